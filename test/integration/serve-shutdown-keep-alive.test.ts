import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningFlagServer } from '../../src/server/flag-server.js';
import { selfSignedCertificate } from './provider-sync-harness.js';
import { startTestFlagServer } from './sync-flag-server.js';

/**
 * `close()` must not wait for HTTP/1.1 keep-alive connections a client holds open (browsers keep them for
 * minutes): with TLS, connections that fall back to HTTP/1.1 belong to node's HTTP/1.1 machinery, which
 * the HTTP/2 server's close() ends only those idle at that moment, not one whose request is in flight or
 * one that has not sent a request yet. Each test fails by hanging on close() when a connection leaks.
 */

let directory: string;
let flagFile: string;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'serve-shutdown-'));
  flagFile = path.join(directory, 'flags.json');
  await writeFile(
    flagFile,
    JSON.stringify({
      flags: { banner: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' } },
    }),
  );
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface KeptConnection {
  readonly status: number;
  readonly body: string;
  readonly socket: Socket;
}

/** One POST over a keep-alive agent; resolves once the answer is read, the connection still open and idle. */
async function postKeptAlive(url: string, body: string, agent: HttpAgent): Promise<KeptConnection> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  const request = send(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } });
  const socket = once(request, 'socket') as Promise<[Socket]>;
  // The agent takes the socket back for reuse once the response has ended.
  const freed = once(agent, 'free');
  request.end(body);
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  let text = '';
  for await (const chunk of response) text += String(chunk);
  await freed;
  return { status: response.statusCode ?? 0, body: text, socket: (await socket)[0] };
}

const RESOLVE = '/flagd.evaluation.v2.Service/ResolveBoolean';
const RESOLVE_BODY = '{"flagKey":"banner"}';
const EVALUATE = '/ofrep/v1/evaluate/flags/banner';

describe('stopping serve while clients hold keep-alive connections', () => {
  describe('with TLS', () => {
    let certificate: { readonly certPath: string; readonly keyPath: string };
    let agent: HttpsAgent;
    beforeAll(() => {
      certificate = selfSignedCertificate(directory);
    });
    beforeEach(() => {
      agent = new HttpsAgent({ keepAlive: true, ca: readFileSync(certificate.certPath) });
    });
    afterEach(() => agent.destroy());
    const startSecure = (): Promise<RunningFlagServer> =>
      startTestFlagServer({ files: [flagFile], tlsCertPath: certificate.certPath, tlsKeyPath: certificate.keyPath });

    it('ends idle HTTP/1.1 connections to the evaluation and OFREP ports', async () => {
      const server = await startSecure();
      const evaluation = await postKeptAlive(`https://127.0.0.1:${server.port}${RESOLVE}`, RESOLVE_BODY, agent);
      const ofrep = await postKeptAlive(`https://127.0.0.1:${server.ofrepPort}${EVALUATE}`, '{}', agent);
      expect([evaluation.status, JSON.parse(evaluation.body)]).toEqual([
        200,
        { value: true, reason: 'STATIC', variant: 'on', metadata: {} },
      ]);
      expect([ofrep.status, evaluation.socket.destroyed, ofrep.socket.destroyed]).toEqual([200, false, false]);
      await Promise.all([server.close(), once(evaluation.socket, 'close'), once(ofrep.socket, 'close')]);
    });

    it('answers an HTTP/1.1 request in flight on the evaluation port, then ends its connection', async () => {
      const server = await startSecure();
      const request = httpsRequest(`https://127.0.0.1:${server.port}${RESOLVE}`, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(RESOLVE_BODY.length),
          expect: '100-continue',
        },
      });
      const socket = once(request, 'socket') as Promise<[Socket]>;
      // The server says 100 Continue once it has read the headers: the request is then in flight.
      request.flushHeaders();
      await once(request, 'continue');
      const closed = server.close();
      request.end(RESOLVE_BODY);
      const [response] = (await once(request, 'response')) as [IncomingMessage];
      let text = '';
      for await (const chunk of response) text += String(chunk);
      expect([response.statusCode, JSON.parse(text)]).toEqual([
        200,
        { value: true, reason: 'STATIC', variant: 'on', metadata: {} },
      ]);
      await Promise.all([closed, once((await socket)[0], 'close')]);
    });

    it('ends a connection that has sent no request yet (a browser preconnect)', async () => {
      const server = await startSecure();
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: server.port,
        servername: 'localhost',
        ca: readFileSync(certificate.certPath),
        ALPNProtocols: ['http/1.1'],
      });
      await once(socket, 'secureConnect');
      await Promise.all([server.close(), once(socket, 'close')]);
    });
  });

  it('ends idle plaintext HTTP/1.1 connections to the evaluation and OFREP ports', async () => {
    const server = await startTestFlagServer({ files: [flagFile] });
    const agent = new HttpAgent({ keepAlive: true });
    try {
      const evaluation = await postKeptAlive(`http://127.0.0.1:${server.port}${RESOLVE}`, RESOLVE_BODY, agent);
      const ofrep = await postKeptAlive(`http://127.0.0.1:${server.ofrepPort}${EVALUATE}`, '{}', agent);
      expect([evaluation.status, ofrep.status]).toEqual([200, 200]);
      await Promise.all([server.close(), once(evaluation.socket, 'close'), once(ofrep.socket, 'close')]);
    } finally {
      agent.destroy();
    }
  });
});
