import { FileSource } from '../../src/flagd/sources/file-source.js';
import { systemTimers } from '../../src/flagd/sources/timers.js';
import { createAuthorizationCheck } from '../../src/flagd/sync/bearer-auth.js';
import { SelectionStores } from '../../src/server/evaluation/selection-stores.js';
import { loadWireFlags } from '../../src/server/load-wire-flags.js';
import { OfrepHandler, type OfrepEndpoint } from '../../src/server/ofrep/ofrep-handler.js';
import { startOfrepServer } from '../../src/server/ofrep/ofrep-server.js';
import { ServerMetrics } from '../../src/server/server-metrics.js';
import { SyncRuntime } from '../../src/server/sync-runtime.js';
import { RecordingLogger } from './sync-flag-server.js';

export interface OfrepTestServerOptions {
  readonly token?: string;
  readonly corsOrigins?: readonly string[];
  readonly staticValues?: Readonly<Record<string, string>>;
  readonly fromHeaders?: Readonly<Record<string, string>>;
  readonly maxBodyBytes?: number;
}

export interface OfrepTestServer {
  readonly url: string;
  readonly answered: { endpoint: OfrepEndpoint; status: number }[];
  close(): Promise<void>;
}

/** Real flag files watched on disk, served over OFREP on an ephemeral loopback port. */
export async function startOfrepTestServer(
  files: readonly string[],
  options: OfrepTestServerOptions = {},
): Promise<OfrepTestServer> {
  const logger = new RecordingLogger();
  const runtime = new SyncRuntime({
    files,
    load: loadWireFlags,
    createSource: (path, callbacks) => new FileSource({ path, debounceMs: 10 }, callbacks),
    metrics: new ServerMetrics(files),
    logger,
    timers: systemTimers,
  });
  const stores = new SelectionStores(runtime.state);
  const answered: { endpoint: OfrepEndpoint; status: number }[] = [];
  const handler = new OfrepHandler({
    stores,
    env: { nowSeconds: () => Math.floor(Date.now() / 1000) },
    enrichment: { staticValues: options.staticValues ?? {}, fromHeaders: options.fromHeaders ?? {} },
    ...(options.token === undefined ? {} : { checkToken: createAuthorizationCheck(options.token) }),
    corsOrigins: options.corsOrigins ?? ['*'],
    maxBodyBytes: options.maxBodyBytes ?? 1_000_000,
    onAnswered: (endpoint, status) => answered.push({ endpoint, status }),
    logger,
  });
  const server = await startOfrepServer({ host: '127.0.0.1', port: 0, handler });
  if (!server.ok) throw server.error;
  await runtime.start();
  return {
    url: `http://127.0.0.1:${server.value.port}`,
    answered,
    close: async () => {
      await runtime.stop();
      stores.close();
      await server.value.close();
    },
  };
}
