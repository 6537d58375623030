import { setTimeout as delay } from 'node:timers/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { byteCountOption, listenPortOption, type OptionKind } from '../../options/option-kind.js';
import { createConsoleLogger } from '../../server/console-logger.js';
import type { RunningFlagServer } from '../../server/flag-server.js';
import {
  parseFileUris,
  parseKeyValues,
  resolveServeConfig,
  SERVE_DEFAULTS,
  type ServeConfig,
  type ServeOptions,
} from '../../server/serve-config.js';
import { watchParentProcess } from '../../server/watch-parent-process.js';
import { MAX_RECONNECT_DELAY_MS } from '../../store/connect-store.js';
import type { ControllerRunOptions } from './controller-run.js';

/** The command-line options `serve` and `start` share, as commander parses them (flagd `start`'s names). */
export interface ServerFlags {
  readonly uri?: readonly string[];
  readonly host?: string;
  readonly port?: number;
  readonly syncPort?: number;
  readonly ofrepPort?: number;
  readonly managementPort?: number;
  readonly serverCertPath?: string;
  readonly serverKeyPath?: string;
  readonly tokenFile?: string;
  readonly corsOrigin?: readonly string[];
  readonly contextValue?: Readonly<Record<string, string>>;
  readonly contextFromHeader?: Readonly<Record<string, string>>;
  readonly maxRequestBody?: number;
  readonly disableSyncMetadata?: boolean;
  readonly store?: string;
  readonly flagSet?: readonly string[];
  /** `false` with `--no-controller`. */
  readonly controller?: boolean;
}

/**
 * Adds the server options, spelled as flagd's `start` spells them so a command line (or systemd unit)
 * written for flagd runs unchanged. Defaults are shown but applied by resolveServeConfig, after the environment.
 */
export function addServerOptions(command: Command): Command {
  return command
    .option(
      '-f, --uri <uris>',
      'flag file as a path or file: URI; repeatable or comma-separated, later ones winning per key (env FLAGD_URI)',
      collectUris,
    )
    .option('--host <host>', `interface every port binds to (default: ${SERVE_DEFAULTS.host})`)
    .option(
      '-p, --port <port>',
      `evaluation port: flagd.evaluation gRPC, gRPC-Web and Connect (default: ${SERVE_DEFAULTS.port}, env FLAGD_PORT)`,
      parsePort,
    )
    .option(
      '-g, --sync-port <port>',
      `flagd.sync gRPC port (default: ${SERVE_DEFAULTS.syncPort}, env FLAGD_SYNC_PORT)`,
      parsePort,
    )
    .option(
      '-r, --ofrep-port <port>',
      `OFREP HTTP port (default: ${SERVE_DEFAULTS.ofrepPort}, env FLAGD_OFREP_PORT)`,
      parsePort,
    )
    .option(
      '-m, --management-port <port>',
      `HTTP port of /healthz, /readyz, /metrics (default: ${SERVE_DEFAULTS.managementPort}, env FLAGD_MANAGEMENT_PORT)`,
      parsePort,
    )
    .option(
      '-c, --server-cert-path <path>',
      'PEM certificate chain; with --server-key-path, every port but management serves TLS (env FLAGD_SERVER_CERT_PATH)',
    )
    .option('-k, --server-key-path <path>', 'PEM private key (env FLAGD_SERVER_KEY_PATH)')
    .option(
      '--token-file <path>',
      'require "authorization: Bearer <token>" on every sync and evaluation call, the token read from this file',
    )
    .option(
      '-C, --cors-origin <origins>',
      'browser origins allowed on the evaluation ports, * for any; repeatable or comma-separated (default: *, env FLAGD_CORS_ORIGIN)',
      collectList,
    )
    .option(
      '-X, --context-value <key=value>',
      'static context merged into every evaluation and sent to subscribers as sync_context; repeatable (env FLAGD_CONTEXT_VALUE)',
      collectKeyValue,
    )
    .option(
      '--no-controller',
      'do not drive the rollouts (`deploy`) of the served files or flag sets; see `genesis-flags controller`',
    )
    .option(
      '-H, --context-from-header <header=key>',
      'put a request header’s value into the evaluation context under key; repeatable (env FLAGD_CONTEXT_FROM_HEADER)',
      collectKeyValue,
    )
    .option(
      '-B, --max-request-body <bytes>',
      `largest evaluation request body accepted, 0 for no limit (default: ${SERVE_DEFAULTS.maxRequestBodyBytes}, env FLAGD_MAX_REQUEST_BODY)`,
      parseByteCount,
    )
    .option(
      '--store <url>',
      'serve flag sets from this store instead of files, following each change as it is pushed: redis://, rediss:// or redis+sentinel:// (env GENESIS_FLAGS_STORE; docs/STORE.md)',
    )
    .option(
      '--flag-set <id>',
      'with --store: a flag set to serve, each a source of its own; repeatable (default: default)',
      (id: string, previous: readonly string[] | undefined) => [...(previous ?? []), id],
    )
    .option(
      '--disable-sync-metadata',
      'answer the deprecated GetMetadata with UNIMPLEMENTED (env FLAGD_DISABLE_SYNC_METADATA)',
    );
}

/** The options of a command line: `--uri` files first, then the positional ones, in the order given. */
export function serveOptionsOf(flags: ServerFlags, files: readonly string[] | undefined): ServeOptions {
  const allFiles = [...(flags.uri ?? []), ...(files ?? [])];
  return {
    ...(allFiles.length === 0 ? {} : { files: allFiles }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.syncPort === undefined ? {} : { syncPort: flags.syncPort }),
    ...(flags.ofrepPort === undefined ? {} : { ofrepPort: flags.ofrepPort }),
    ...(flags.managementPort === undefined ? {} : { managementPort: flags.managementPort }),
    ...(flags.serverCertPath === undefined ? {} : { tlsCertPath: flags.serverCertPath }),
    ...(flags.serverKeyPath === undefined ? {} : { tlsKeyPath: flags.serverKeyPath }),
    ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
    ...(flags.corsOrigin === undefined ? {} : { corsOrigins: flags.corsOrigin }),
    ...(flags.contextValue === undefined ? {} : { contextValues: flags.contextValue }),
    ...(flags.contextFromHeader === undefined ? {} : { contextFromHeaders: flags.contextFromHeader }),
    ...(flags.maxRequestBody === undefined ? {} : { maxRequestBodyBytes: flags.maxRequestBody }),
    ...(flags.disableSyncMetadata === undefined ? {} : { disableSyncMetadata: flags.disableSyncMetadata }),
    ...(flags.store === undefined ? {} : { store: flags.store }),
    ...(flags.flagSet === undefined ? {} : { flagSets: flags.flagSet }),
  };
}

/**
 * Resolves the config, runs the server until SIGINT or SIGTERM (one AbortController for both), drains
 * it, and returns the exit code: 0 after a clean shutdown, 1 when the server could not start. Unless
 * `withController` is false, the rollout controller runs beside it: over the files, or per flag set of
 * a store with `storeController`'s settings.
 */
export async function serveFromCommandLine(
  options: ServeOptions,
  onListening: (server: RunningFlagServer, config: ServeConfig) => void,
  withController = true,
  storeController: StoreControllerSettings = {},
): Promise<number> {
  const resolved = resolveServeConfig(options);
  if (!resolved.ok) return fail(resolved.error);
  const logger = createConsoleLogger();
  for (const warning of resolved.warnings) logger.warn(warning);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  // `kill %1` of `npx genesis-flags serve` ends npx only: stop as for SIGTERM when the parent is gone.
  const stopWatchingParent = watchParentProcess((parentPid) => {
    logger.warn(`parent process ${parentPid} exited; stopping`);
    abort();
  });
  try {
    // Imported here, not at the top: the server (gRPC, Connect, protobuf) is half the CPU of a start and
    // `serve --help`, the top-level help and a refused option never need it.
    const { runFlagServer } = await import('../../server/run-flag-server.js');
    const { store, files } = resolved.value;
    // With a store every replica runs a controller per flag set, and the lease elects one to drive each.
    const runs: Omit<ControllerRunOptions, 'command' | 'log'>[] =
      store === undefined
        ? [{ files }]
        : store.flagSets.map((flagSet) => ({ files: [], store: storeUrlOf(options), flagSet, ...storeController }));
    const rollouts = withController
      ? Promise.all(runs.map((run) => driveRollouts(run, controller.signal)))
      : Promise.resolve();
    const error = await runFlagServer(resolved.value, { logger }, controller.signal, (server) =>
      onListening(server, resolved.value),
    );
    controller.abort();
    await rollouts;
    return error === undefined ? 0 : fail(error.message);
  } finally {
    stopWatchingParent();
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

/** The store controller's settings of `serve --store` (`--lease-ttl`, `--delivery-timeout`). */
export interface StoreControllerSettings {
  readonly leaseTtl?: number;
  readonly deliveryTimeout?: number;
}

/** The store URL as given (its password included, which the controller's connection needs). */
function storeUrlOf(options: ServeOptions): string {
  return options.store ?? process.env['GENESIS_FLAGS_STORE'] ?? '';
}

/**
 * The rollout controller over the served files, or a served flag set, beside the server and stopped
 * with it (the deploy code is loaded only here, so `--no-controller` costs nothing). Never rejects: a
 * controller problem is logged, and the flags keep being served; a store that cannot be reached yet
 * is tried again, as the replica's own sources do.
 */
async function driveRollouts(run: Omit<ControllerRunOptions, 'command' | 'log'>, signal: AbortSignal): Promise<void> {
  let lastError: string | undefined;
  while (!signal.aborted) {
    try {
      const { runRolloutController, timestampedLog } = await import('./controller-run.js');
      await runRolloutController({ ...run, command: 'serve', log: timestampedLog(process.stderr) }, signal);
      return;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) process.stderr.write(`error: the rollout controller stopped: ${message}\n`);
      lastError = message;
      if (run.store === undefined) return;
      await delay(MAX_RECONNECT_DELAY_MS, undefined, { signal }).catch(() => undefined);
    }
  }
}

/** The line that says where the server listens; tests and scripts read the ports from it. */
export function listeningLine(server: RunningFlagServer, config: ServeConfig): string {
  const scheme = config.tls === undefined ? 'plaintext' : 'TLS';
  const auth = config.tokenFile === undefined ? '' : ', bearer token required';
  const { host } = config;
  return (
    `flagd evaluation (gRPC, gRPC-Web, Connect; ${scheme}${auth}) on ${host}:${server.port}, ` +
    `OFREP (${config.tls === undefined ? 'http' : 'https'}${auth}) on ${host}:${server.ofrepPort}, ` +
    `sync (gRPC, ${scheme}${auth}) on ${host}:${server.syncPort}, ` +
    `management on http://${host}:${server.managementPort} (/healthz /readyz /metrics)` +
    (config.store === undefined
      ? ''
      : `; flags from the store ${config.store.location.redacted} (flag sets: ${config.store.flagSets.join(', ')})`)
  );
}

function fail(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return 1;
}

/**
 * Reads a command-line value as the option's environment variable is read (one parser per kind), so
 * `--port 8013` and `FLAGD_PORT=8013` accept the same text and name the same expectation.
 */
function parseArgument<T>(kind: OptionKind<T>, text: string): T {
  const value = kind.parse(text);
  if (value === undefined) throw new InvalidArgumentError(`expected ${kind.expected}`);
  return value;
}

function parsePort(text: string): number {
  return parseArgument(listenPortOption, text);
}

function parseByteCount(text: string): number {
  return parseArgument(byteCountOption, text);
}

function collectUris(text: string, previous: readonly string[] | undefined): string[] {
  const files = parseFileUris(text);
  if (files === undefined || files.length === 0)
    throw new InvalidArgumentError('expected file paths or file: URIs (only files are served; not grpc://, http://)');
  return [...(previous ?? []), ...files];
}

function collectList(text: string, previous: readonly string[] | undefined): string[] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new InvalidArgumentError('expected a comma-separated list');
  return [...(previous ?? []), ...entries];
}

function collectKeyValue(text: string, previous: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const pair = parseKeyValues(text);
  if (pair === undefined || Object.keys(pair).length === 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, ...pair };
}
