import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { startOfrepTestServer, type OfrepTestServer } from './ofrep-test-server.js';
import { selfSignedCertificate } from './provider-sync-harness.js';

const FLAGS = {
  flags: {
    'new-checkout': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'on', null] },
      metadata: { owner: 'checkout-team', flagSetId: 'shop' },
    },
    'banner-color': { state: 'ENABLED', variants: { red: 'red', blue: 'blue' }, defaultVariant: 'red' },
    'region-limit': {
      state: 'ENABLED',
      variants: { eu: 5, other: 50 },
      defaultVariant: 'other',
      targeting: { if: [{ '==': [{ var: 'region' }, 'eu'] }, 'eu', null] },
      metadata: { flagSetId: 'shop' },
    },
    'old-banner': { state: 'DISABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
    'no-default': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: null,
      targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'on', null] },
    },
    'broken-rule': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { no_such_operator: [1] },
    },
  },
};

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the OFREP port', () => {
  let dir: string;
  let file: string;
  let server: OfrepTestServer;
  let single: (key: string) => string;
  let bulk: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ofrep-server-'));
    file = join(dir, 'flags.json');
    await writeFile(file, JSON.stringify(FLAGS));
    server = await startOfrepTestServer({
      files: [file],
      corsOrigins: ['https://app.example.com'],
      contextValues: { region: 'eu' },
      contextFromHeaders: { 'x-plan': 'plan' },
      maxRequestBodyBytes: 4096,
    });
    single = (key) => `${server.url}/ofrep/v1/evaluate/flags/${encodeURIComponent(key)}`;
    bulk = `${server.url}/ofrep/v1/evaluate/flags`;
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('single-flag evaluation', () => {
    it('answers 200 with value, variant, reason and the flag metadata', async () => {
      const response = await post(single('new-checkout'), { context: { targetingKey: 'u1', plan: 'pro' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({
        key: 'new-checkout',
        value: true,
        reason: 'TARGETING_MATCH',
        variant: 'on',
        metadata: { owner: 'checkout-team', flagSetId: 'shop' },
      });
    });

    it('answers 404 FLAG_NOT_FOUND for a key that is not served', async () => {
      const response = await post(single('no-such-flag'), { context: {} });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        key: 'no-such-flag',
        errorCode: 'FLAG_NOT_FOUND',
        errorDetails: 'Flag not found: no-such-flag',
        metadata: {},
      });
    });

    it('answers a disabled flag, and a flag with no default variant, without value or variant (code default)', async () => {
      const disabled = await post(single('old-banner'), { context: {} });
      expect(await disabled.json()).toEqual({ key: 'old-banner', reason: 'DISABLED', metadata: {} });
      const noDefault = await post(single('no-default'), { context: { plan: 'free' } });
      expect(noDefault.status).toBe(200);
      expect(await noDefault.json()).toEqual({ key: 'no-default', reason: 'DEFAULT', metadata: {} });
    });

    it('answers 400 PARSE_ERROR for a flag whose rule did not compile', async () => {
      const response = await post(single('broken-rule'), { context: {} });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ key: 'broken-rule', errorCode: 'PARSE_ERROR' });
    });

    it('merges --context-value values and --context-from-header headers into the context', async () => {
      const region = await post(single('region-limit'), { context: { region: 'us' } });
      expect(await region.json()).toMatchObject({ value: 5, variant: 'eu', reason: 'TARGETING_MATCH' });
      const plan = await post(single('new-checkout'), { context: { plan: 'free' } }, { 'x-plan': 'pro' });
      expect(await plan.json()).toMatchObject({ value: true, variant: 'on' });
    });

    it('evaluates with an empty context when the body is empty, as flagd does', async () => {
      const response = await fetch(single('banner-color'), { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ value: 'red', reason: 'STATIC' });
    });

    it('reads a body that arrives in several chunks', async () => {
      const answer = await postInChunks(single('new-checkout'), [
        '{"context": {"targetingKey": "u1", ',
        '"plan": ',
        '"pro"}}',
      ]);
      expect(answer).toEqual({
        status: 200,
        body: {
          key: 'new-checkout',
          value: true,
          reason: 'TARGETING_MATCH',
          variant: 'on',
          metadata: { owner: 'checkout-team', flagSetId: 'shop' },
        },
      });
    });

    it('finds flags whose key needs percent-encoding', async () => {
      const response = await post(single('a key/with slash'), { context: {} });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ key: 'a key/with slash', errorCode: 'FLAG_NOT_FOUND' });
    });
  });

  describe('bulk evaluation', () => {
    it('answers every flag, failures as items, with an ETag', async () => {
      const response = await post(bulk, { context: { targetingKey: 'u1', plan: 'pro' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('etag')).toMatch(/^"[\w-]{32}"$/);
      const body = (await response.json()) as { flags: { key: string }[]; metadata: object };
      expect(body.flags).toEqual([
        {
          key: 'new-checkout',
          value: true,
          reason: 'TARGETING_MATCH',
          variant: 'on',
          metadata: { owner: 'checkout-team', flagSetId: 'shop' },
        },
        { key: 'banner-color', value: 'red', reason: 'STATIC', variant: 'red', metadata: {} },
        { key: 'region-limit', value: 5, reason: 'TARGETING_MATCH', variant: 'eu', metadata: { flagSetId: 'shop' } },
        { key: 'old-banner', reason: 'DISABLED', metadata: {} },
        { key: 'no-default', value: true, reason: 'TARGETING_MATCH', variant: 'on', metadata: {} },
        expect.objectContaining({ key: 'broken-rule', errorCode: 'PARSE_ERROR' }),
      ]);
      expect(body.metadata).toEqual({});
    });

    it('answers 304 with no body to a matching If-None-Match, and 200 when the context differs', async () => {
      const context = { context: { targetingKey: 'u2' } };
      const etag = (await post(bulk, context)).headers.get('etag') ?? '';
      const again = await post(bulk, context, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
      const weak = await post(bulk, context, { 'if-none-match': `"other", W/${etag}` });
      expect(weak.status).toBe(304);
      const otherContext = await post(bulk, { context: { targetingKey: 'u3' } }, { 'if-none-match': etag });
      expect(otherContext.status).toBe(200);
      expect(otherContext.headers.get('etag')).not.toBe(etag);
    });

    it('answers 304 only to the same body and the same mapped headers', async () => {
      const body = JSON.stringify({ context: { targetingKey: 'u5' } });
      const etag = (await post(bulk, body, { 'x-plan': 'pro' })).headers.get('etag') ?? '';
      expect((await post(bulk, body, { 'x-plan': 'pro', 'if-none-match': etag })).status).toBe(304);
      const otherPlan = await post(bulk, body, { 'x-plan': 'free', 'if-none-match': etag });
      expect([otherPlan.status, otherPlan.headers.get('etag') === etag]).toEqual([200, false]);
      const noPlan = await post(bulk, body, { 'if-none-match': etag });
      expect([noPlan.status, noPlan.headers.get('etag') === etag]).toEqual([200, false]);
      // The same context in another body is the same ETag.
      const spaced = await post(bulk, `  ${body}  `, { 'x-plan': 'pro', 'if-none-match': etag });
      expect(spaced.status).toBe(304);
    });

    it('answers a body it has answered before 415 when it comes as a form', async () => {
      const body = JSON.stringify({ context: { targetingKey: 'u6' } });
      const etag = (await post(bulk, body)).headers.get('etag') ?? '';
      const form = await post(bulk, body, {
        'content-type': 'application/x-www-form-urlencoded',
        'if-none-match': etag,
      });
      expect(form.status).toBe(415);
      expect(await form.json()).toMatchObject({ errorCode: 'GENERAL' });
    });

    it('scopes flags by the Flagd-Selector header, as flagd', async () => {
      const response = await post(bulk, { context: {} }, { 'flagd-selector': 'flagSetId=shop' });
      const body = (await response.json()) as { flags: { key: string }[] };
      expect(body.flags.map((flag) => flag.key)).toEqual(['new-checkout', 'region-limit']);
      const outside = await post(single('banner-color'), { context: {} }, { 'flagd-selector': 'flagSetId=shop' });
      expect(outside.status).toBe(404);
      const invalid = await post(bulk, { context: {} }, { 'flagd-selector': 'team=x' });
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({
        errorCode: 'GENERAL',
        errorDetails: expect.stringContaining('team'),
      });
    });
  });

  describe('bad input', () => {
    it.each([
      ['malformed JSON', '{"context": ', 'application/json', 400, 'INVALID_CONTEXT', 'Request body is not valid JSON'],
      ['a body that is a list', '[1]', 'application/json', 400, 'INVALID_CONTEXT', 'got an array'],
      [
        'a context that is a string',
        '{"context":"u1"}',
        'application/json',
        400,
        'INVALID_CONTEXT',
        '"context" must be a JSON object, got a string',
      ],
      ['a context that is null', '{"context":null}', 'application/json', 400, 'INVALID_CONTEXT', 'got null'],
      [
        'a numeric targetingKey',
        '{"context":{"targetingKey":7}}',
        'application/json',
        400,
        'INVALID_CONTEXT',
        '"context.targetingKey" must be a string, got a number',
      ],
      [
        'a form body',
        'context=1',
        'application/x-www-form-urlencoded',
        415,
        'GENERAL',
        'Content-Type must be application/json',
      ],
    ])(
      'answers %s with %i and an OFREP error body naming the problem',
      async (_name, body, type, status, code, details) => {
        const response = await fetch(single('banner-color'), {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        });
        expect(response.status).toBe(status);
        const answer = (await response.json()) as { key: string; errorCode: string; errorDetails: string };
        expect(answer).toMatchObject({ key: 'banner-color', errorCode: code });
        expect(answer.errorDetails).toContain(details);
        const bulkResponse = await fetch(bulk, { method: 'POST', headers: { 'content-type': type }, body });
        expect(bulkResponse.status).toBe(status);
        expect(await bulkResponse.json()).not.toHaveProperty('key');
      },
    );

    it('answers 413 to a body over the limit, and keeps serving', async () => {
      const big = { context: { targetingKey: 'u1', padding: 'x'.repeat(5000) } };
      const response = await post(single('banner-color'), big);
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({
        errorCode: 'GENERAL',
        errorDetails: 'Request body is larger than the limit of 4096 bytes',
      });
      const next = await post(single('banner-color'), { context: {} });
      expect(next.status).toBe(200);
    });

    it('answers 405 to other methods and 404 to other paths', async () => {
      const get = await fetch(single('banner-color'));
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toBe('POST, OPTIONS');
      const other = await post(`${server.url}/ofrep/v2/whatever`, {});
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ errorDetails: expect.stringContaining('/ofrep/v1/evaluate/flags') });
    });
  });

  describe('CORS', () => {
    it('answers a preflight from an allowed origin, and exposes the ETag to its script', async () => {
      const preflight = await fetch(bulk, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,if-none-match,authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,if-none-match,authorization');
      const actual = await post(bulk, { context: {} }, { origin: 'https://app.example.com' });
      expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(actual.headers.get('access-control-expose-headers')).toBe('ETag');
    });

    it('gives an origin that is not allowed no CORS headers', async () => {
      const actual = await post(bulk, { context: {} }, { origin: 'https://evil.example.com' });
      expect(actual.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  it('gives a new ETag, and the new values, after the flag file changes', async () => {
    const context = { context: { targetingKey: 'u4' } };
    const before = await post(bulk, context);
    const etag = before.headers.get('etag') ?? '';
    await writeFile(
      `${file}.tmp`,
      JSON.stringify({
        flags: { ...FLAGS.flags, 'banner-color': { ...FLAGS.flags['banner-color'], defaultVariant: 'blue' } },
      }),
    );
    await rename(`${file}.tmp`, file);
    await vi.waitFor(async () => expect((await post(bulk, context, { 'if-none-match': etag })).status).toBe(200), {
      timeout: 5_000,
      interval: 20,
    });
    const after = await post(single('banner-color'), context);
    expect(await after.json()).toMatchObject({ value: 'blue', variant: 'blue' });
    await writeFile(file, JSON.stringify(FLAGS));
    // The next tests compare ETags, which the reload of the restored file would change under them.
    await vi.waitFor(
      async () => expect(await (await post(single('banner-color'), context)).json()).toMatchObject({ value: 'red' }),
      { timeout: 5_000, interval: 20 },
    );
  });

  it('counts requests by method and status on /metrics', async () => {
    const before = await server.answeredCount('single', 413);
    await post(single('banner-color'), { context: { padding: 'x'.repeat(5000) } });
    expect(await server.answeredCount('single', 413)).toBe(before + 1);
    const notModified = await server.answeredCount('bulk', 304);
    const etag = (await post(bulk, { context: {} })).headers.get('etag') ?? '';
    await post(bulk, { context: {} }, { 'if-none-match': etag });
    expect(await server.answeredCount('bulk', 304)).toBe(notModified + 1);
  });
});

/** POSTs JSON with chunked transfer encoding, one chunk per part; resolves to the status and parsed body. */
function postInChunks(url: string, parts: readonly string[]): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    call.on('error', reject);
    for (const part of parts) call.write(part);
    call.end();
  });
}

/** POSTs over HTTPS trusting only `ca`; resolves to the status and parsed body. */
function postHttps(url: string, ca: Buffer, body: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const call = httpsRequest(
      url,
      { method: 'POST', ca, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    call.on('error', reject);
    call.end(JSON.stringify(body));
  });
}

describe('the OFREP port with TLS', () => {
  it('speaks HTTPS with the certificate of the other ports', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ofrep-tls-'));
    await writeFile(join(dir, 'flags.json'), JSON.stringify(FLAGS));
    const certificate = selfSignedCertificate(dir);
    const server = await startOfrepTestServer({
      files: [join(dir, 'flags.json')],
      tlsCertPath: certificate.certPath,
      tlsKeyPath: certificate.keyPath,
    });
    try {
      const url = `https://127.0.0.1:${server.server.ofrepPort}/ofrep/v1/evaluate/flags/banner-color`;
      expect(await postHttps(url, readFileSync(certificate.certPath), { context: {} })).toEqual({
        status: 200,
        body: { key: 'banner-color', value: 'red', reason: 'STATIC', variant: 'red', metadata: {} },
      });
      await expect(fetch(url.replace('https:', 'http:'), { method: 'POST' })).rejects.toThrow();
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the OFREP port with a bearer token', () => {
  let dir: string;
  let server: OfrepTestServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ofrep-token-'));
    await writeFile(join(dir, 'flags.json'), JSON.stringify(FLAGS));
    await writeFile(join(dir, 'token'), 's3cret\n');
    server = await startOfrepTestServer({ files: [join(dir, 'flags.json')], tokenFile: join(dir, 'token') });
  });

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 401 without a token, 403 with a wrong one, 200 with the right one', async () => {
    const url = `${server.url}/ofrep/v1/evaluate/flags/banner-color`;
    const missing = await post(url, { context: {} });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.json()).toEqual({ errorDetails: 'Missing bearer token' });
    const wrong = await post(url, { context: {} }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ errorDetails: 'Invalid bearer token' });
    const right = await post(url, { context: {} }, { authorization: 'Bearer s3cret' });
    expect(right.status).toBe(200);
  });

  it('answers a browser preflight without asking for the token', async () => {
    const preflight = await fetch(`${server.url}/ofrep/v1/evaluate/flags`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });
});
