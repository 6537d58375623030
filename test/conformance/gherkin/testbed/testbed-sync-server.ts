import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileSource } from '../../../../src/flagd/sources/file-source.js';
import { startFlagServer, type RunningFlagServer } from '../../../../src/server/flag-server.js';
import { resolveServeConfig } from '../../../../src/server/serve-config.js';
import { silentLogger } from '../targets/provider-target.js';
import { bindOnFreshPorts } from './fresh-ports.js';
import { readLaunchpadConfig, type LaunchpadConfig, type LaunchpadConfigName } from './launchpad-config.js';
import type { TlsMaterial } from './tls-material.js';

const COMBINED_SOURCE = 'flags/allFlags.json';
const RAW_PREFIX = 'rawflags/';
const CHANGING_FLAG = 'changing-flag';

/**
 * Our server (`genesis-flags serve`, in process) standing in for the testbed's launchpad and its
 * flagd, for one scenario. It serves a launchpad configuration from the scenario's temp dir, on one
 * loopback port per service that survives restarts, so that providers reconnect to where they were:
 * - `start(config)` is the launchpad's `/start?config=…`;
 * - `loseConnectionFor(ms)` is `/restart?seconds=…`: the server stops at once (streams end with
 *   UNAVAILABLE) and comes back on the same port after the pause, while the scenario goes on;
 * - `toggleChangingFlag()` is `/change`: `changing-flag`'s default variant flips between `foo` and
 *   `bar` in the combined file, written atomically, and the server pushes it.
 */
export class TestbedSyncServer {
  #dir: string | undefined;
  #config: LaunchpadConfig | undefined;
  #running: RunningFlagServer | undefined;
  #port = 0;
  #evaluationPort = 0;
  #restart: Promise<void> | undefined;
  #restartFailure: unknown;

  constructor(
    private readonly testbedDir: string,
    private readonly combinedText: () => string,
    private readonly tls: () => TlsMaterial,
  ) {}

  /** The sync port; fixed once the server first started. */
  get port(): number {
    if (this.#port === 0) throw new Error('The sync server has not been started');
    return this.#port;
  }

  /** The evaluation port (flagd.evaluation gRPC, for RPC providers); fixed once the server first started. */
  get evaluationPort(): number {
    if (this.#evaluationPort === 0) throw new Error('The server has not been started');
    return this.#evaluationPort;
  }

  /** The CA file a provider must trust, when the configuration serves TLS. */
  get caCertPath(): string | undefined {
    return this.#config?.tls === true ? this.tls().certPath : undefined;
  }

  async start(name: LaunchpadConfigName): Promise<void> {
    const config = readLaunchpadConfig(this.testbedDir, name);
    const dir = await this.#ensureDir();
    for (const source of config.sources) await this.#writeSource(dir, source);
    this.#config = config;
    await this.#listen();
  }

  async loseConnectionFor(pauseMs: number): Promise<void> {
    await this.#stop();
    this.#restart = new Promise((resolve) => setTimeout(resolve, pauseMs))
      .then(() => this.#listen())
      .catch((error: unknown) => {
        this.#restartFailure = error;
      });
  }

  async toggleChangingFlag(): Promise<void> {
    const file = path.join(await this.#ensureDir(), COMBINED_SOURCE);
    const document = JSON.parse(await readFile(file, 'utf8')) as {
      flags?: Record<string, { defaultVariant?: string }>;
    };
    const flag = document.flags?.[CHANGING_FLAG];
    if (flag === undefined) throw new Error(`${CHANGING_FLAG} is not in ${file}`);
    flag.defaultVariant = flag.defaultVariant === 'foo' ? 'bar' : 'foo';
    await writeFile(`${file}.tmp`, JSON.stringify(document, null, 2));
    await rename(`${file}.tmp`, file);
  }

  /** Waits for a pending restart, stops the server and removes the files; a failed restart fails the scenario. */
  async dispose(): Promise<void> {
    await this.#restart;
    await this.#stop();
    if (this.#dir !== undefined) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
    if (this.#restartFailure !== undefined)
      throw new Error('The sync server did not restart', { cause: this.#restartFailure });
  }

  async #listen(): Promise<void> {
    const dir = this.#dir;
    const config = this.#config;
    if (dir === undefined || config === undefined) throw new Error('No launchpad configuration was started');
    const tls = config.tls ? { tlsCertPath: this.tls().certPath, tlsKeyPath: this.tls().keyPath } : {};
    const options = {
      files: config.sources,
      host: '127.0.0.1',
      port: this.#evaluationPort,
      syncPort: this.#port,
      ofrepPort: 0,
      managementPort: 0,
      contextValues: config.contextValues,
      disableSyncMetadata: config.disableSyncMetadata,
      debounceMs: 10,
      shutdownGraceMs: 200,
      ...tls,
    };
    const resolved = resolveServeConfig(options, {});
    if (!resolved.ok) throw new Error(resolved.error);
    const createSource = (name: string, callbacks: ConstructorParameters<typeof FileSource>[1]) =>
      new FileSource({ path: path.join(dir, name), debounceMs: 10 }, callbacks);
    const start = async (): Promise<RunningFlagServer> => {
      const started = await startFlagServer(resolved.value, { logger: silentLogger, createSource });
      if (!started.ok) throw started.error;
      return started.value;
    };
    // A restart comes back on the ports of the first start, so that providers reconnect to where they were.
    this.#running =
      this.#port === 0
        ? await bindOnFreshPorts(
            start,
            (server) => [server.syncPort, server.port],
            (server) => server.close(),
          )
        : await start();
    this.#port = this.#running.syncPort;
    this.#evaluationPort = this.#running.port;
  }

  async #stop(): Promise<void> {
    const running = this.#running;
    this.#running = undefined;
    await running?.close();
  }

  async #writeSource(dir: string, source: string): Promise<void> {
    const file = path.join(dir, source);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, await this.#textOf(source));
  }

  async #textOf(source: string): Promise<string> {
    if (source === COMBINED_SOURCE) return this.combinedText();
    if (source.startsWith(RAW_PREFIX))
      return readFile(path.join(this.testbedDir, 'flags', path.basename(source)), 'utf8');
    throw new Error(`Unknown launchpad source "${source}": expected ${COMBINED_SOURCE} or ${RAW_PREFIX}<file>`);
  }

  async #ensureDir(): Promise<string> {
    this.#dir ??= await mkdtemp(path.join(tmpdir(), 'genesis-conformance-sync-'));
    return this.#dir;
  }
}
