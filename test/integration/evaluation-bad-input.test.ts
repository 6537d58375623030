import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect as connectHttp2, constants } from 'node:http2';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ResolveBooleanRequestSchema,
  ResolveBooleanResponseSchema,
} from '../../src/generated/flagd/evaluation/v2/evaluation_pb.js';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { startTestFlagServer } from './sync-flag-server.js';

const LIMIT_BYTES = 2_048;
const RESOLVE_BOOLEAN = '/flagd.evaluation.v2.Service/ResolveBoolean';

let directory: string;
let server: RunningFlagServer;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'evaluation-bad-input-'));
  const file = path.join(directory, 'flags.json');
  await writeFile(
    file,
    JSON.stringify({
      flags: { banner: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } },
    }),
  );
  server = await startTestFlagServer({
    files: [file],
    maxRequestBodyBytes: LIMIT_BYTES,
    corsOrigins: ['https://app.example'],
  });
});
afterAll(async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
});

function post(body: string | Uint8Array, contentType: string, method = RESOLVE_BOOLEAN): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}${method}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}

async function connectAnswer(response: Response): Promise<[number, unknown]> {
  return [response.status, await response.json()];
}

/** One unary gRPC call over HTTP/2 with a raw body, as a misbehaving client would send it. */
function grpcCall(body: Buffer): Promise<{ status: string | undefined; message: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(`http://127.0.0.1:${server.port}`);
    session.on('error', reject);
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: RESOLVE_BOOLEAN,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let headers: Record<string, unknown> = {};
    stream.on('response', (received) => (headers = received));
    stream.on('trailers', (trailers) => (headers = { ...headers, ...trailers }));
    stream.resume();
    stream.on('close', () => {
      session.close();
      resolve({ status: headers['grpc-status'] as string, message: headers['grpc-message'] as string });
    });
    stream.end(body);
  });
}

function grpcFrame(message: Uint8Array, declaredLength = message.length): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([header, message]);
}

describe('the evaluation port on bad input', () => {
  it('answers a Connect JSON call and a Connect binary call', async () => {
    expect(await connectAnswer(await post('{"flagKey":"banner"}', 'application/json'))).toEqual([
      200,
      { value: true, reason: 'STATIC', variant: 'on', metadata: {} },
    ]);
    const binary = toBinary(ResolveBooleanRequestSchema, create(ResolveBooleanRequestSchema, { flagKey: 'banner' }));
    const response = await post(binary, 'application/proto');
    const decoded = fromBinary(ResolveBooleanResponseSchema, new Uint8Array(await response.arrayBuffer()));
    expect({ value: decoded.value, variant: decoded.variant, reason: decoded.reason }).toEqual({
      value: true,
      variant: 'on',
      reason: 'STATIC',
    });
  });

  it('refuses a malformed JSON body with invalid_argument', async () => {
    const [status, body] = await connectAnswer(await post('{"flagKey":', 'application/json'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses a context that is not an object with invalid_argument', async () => {
    const [status, body] = await connectAnswer(await post('{"flagKey":"banner","context":[1,2]}', 'application/json'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'invalid_argument' });
  });

  it('refuses a wrong content type with 415 and says which ones it takes', async () => {
    const response = await post('flagKey=banner', 'text/plain');
    expect([response.status, await response.text()]).toEqual([
      415,
      'Unsupported content type "text/plain": use application/json, application/proto, application/connect+json, application/connect+proto, application/grpc, application/grpc-web\n',
    ]);
    expect(response.headers.get('accept-post')).toContain('application/connect+json');
  });

  it('refuses a body over the limit with resource_exhausted, naming the limit', async () => {
    const context = { padding: 'x'.repeat(LIMIT_BYTES) };
    const [status, body] = await connectAnswer(
      await post(JSON.stringify({ flagKey: 'banner', context }), 'application/json'),
    );
    expect(status).toBe(429);
    expect(body).toMatchObject({ code: 'resource_exhausted' });
    expect((body as { message: string }).message).toContain(String(LIMIT_BYTES));
  });

  it('ends a gRPC call with a truncated or oversized message with a gRPC error, not a crash', async () => {
    const truncated = await grpcCall(grpcFrame(Buffer.from([0x0a, 0x06, 0x62]), 8));
    expect(truncated).toMatchObject({ status: String(3) });
    const oversized = await grpcCall(grpcFrame(Buffer.alloc(LIMIT_BYTES + 10, 0x41)));
    expect(oversized).toMatchObject({ status: String(8) });
  });

  it('speaks only gRPC on plaintext HTTP/2: a Connect call there gets 415', async () => {
    const status = await new Promise<unknown>((resolve, reject) => {
      const session = connectHttp2(`http://127.0.0.1:${server.port}`);
      session.on('error', reject);
      const stream = session.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: RESOLVE_BOOLEAN,
        'content-type': 'application/json',
      });
      stream.on('response', (headers) => resolve(headers[constants.HTTP2_HEADER_STATUS]));
      stream.on('close', () => session.close());
      stream.resume();
      stream.end('{"flagKey":"banner"}');
    });
    expect(status).toBe(415);
  });

  it('refuses a selector with an unknown key with invalid_argument, naming the valid keys', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}${RESOLVE_BOOLEAN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'flagd-selector': 'team=web' },
      body: '{"flagKey":"banner"}',
    });
    expect(await connectAnswer(response)).toEqual([
      400,
      {
        code: 'invalid_argument',
        message: 'Invalid selector key "team" in "team=web"; valid keys: "flagSetId", "source"',
      },
    ]);
  });

  it('answers an unknown method with 404', async () => {
    expect((await post('{}', 'application/json', '/flagd.evaluation.v2.Service/Nope')).status).toBe(404);
  });

  it('answers a CORS preflight from an allowed origin, and none from another', async () => {
    const preflight = (origin: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${server.port}${RESOLVE_BOOLEAN}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,connect-protocol-version',
        },
      });
    const allowed = await preflight('https://app.example');
    expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([204, 'https://app.example']);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type,connect-protocol-version');
    const refused = await preflight('https://evil.example');
    expect([refused.status, refused.headers.get('access-control-allow-origin')]).toEqual([204, null]);
  });

  it('stays up and counts every request by protocol and outcome in /metrics', async () => {
    expect(await connectAnswer(await post('{"flagKey":"banner"}', 'application/json'))).toMatchObject([200, {}]);
    const metrics = await (await fetch(`http://127.0.0.1:${server.managementPort}/metrics`)).text();
    const series = (protocol: string, code: string): number => {
      const line = metrics
        .split('\n')
        .find((text) =>
          text.startsWith(
            `genesis_flags_evaluation_requests_total{protocol="${protocol}",method="flagd.evaluation.v2.Service/ResolveBoolean",code="${code}"}`,
          ),
        );
      return Number(line?.split(' ')[1] ?? 0);
    };
    expect(series('connect', 'ok')).toBe(3);
    expect(series('connect', 'invalid_argument')).toBe(3);
    expect(series('connect', 'resource_exhausted')).toBe(1);
    expect(series('grpc', 'resource_exhausted')).toBe(1);
    expect(series('connect', 'http_415')).toBe(1);
    expect(metrics).toContain('genesis_flags_evaluation_requests_total{protocol="connect",method="unknown",code="');
  });
});
