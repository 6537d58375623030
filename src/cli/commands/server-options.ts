import { InvalidArgumentError, type Command } from 'commander';
import { createConsoleLogger } from '../../server/console-logger.js';
import type { RunningFlagServer } from '../../server/flag-server.js';
import { loadWireFlags } from '../../server/load-wire-flags.js';
import { runFlagServer } from '../../server/run-flag-server.js';
import {
  parseKeyValues,
  resolveServeConfig,
  SERVE_DEFAULTS,
  type ServeConfig,
  type ServeOptions,
} from '../../server/serve-config.js';

/** The command-line options `serve` and `start` share, as commander parses them. */
export interface ServerFlags {
  readonly host?: string;
  readonly port?: number;
  readonly managementPort?: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly tokenFile?: string;
  readonly contextValue?: Readonly<Record<string, string>>;
  readonly disableSyncMetadata?: boolean;
  /** `false` with `--no-controller`. */
  readonly controller?: boolean;
}

/** Adds the server options; defaults are shown but applied by resolveServeConfig, after the environment. */
export function addServerOptions(command: Command): Command {
  return command
    .option('--host <host>', `interface to bind (default: ${SERVE_DEFAULTS.host})`)
    .option(
      '-g, --port <port>',
      `gRPC sync port, 0 for any free one (default: ${SERVE_DEFAULTS.port}, env FLAGD_SYNC_PORT or FLAGD_PORT)`,
      parsePort,
    )
    .option(
      '-m, --management-port <port>',
      `HTTP port of /healthz, /readyz, /metrics (default: ${SERVE_DEFAULTS.managementPort}, env FLAGD_MANAGEMENT_PORT)`,
      parsePort,
    )
    .option('-c, --tls-cert <path>', 'PEM certificate chain; with --tls-key, serve TLS (env FLAGD_SERVER_CERT_PATH)')
    .option('-k, --tls-key <path>', 'PEM private key (env FLAGD_SERVER_KEY_PATH)')
    .option(
      '--token-file <path>',
      'require "authorization: Bearer <token>" on every sync call, the token read from this file',
    )
    .option(
      '-X, --context-value <key=value>',
      'static context sent to subscribers as sync_context; repeatable (env FLAGD_CONTEXT_VALUE)',
      collectKeyValue,
    )
    .option(
      '--no-controller',
      'do not drive the rollouts (`deploy`) of the served files; see `genesis-flags controller`',
    )
    .option(
      '--disable-sync-metadata',
      'answer the deprecated GetMetadata with UNIMPLEMENTED (env FLAGD_DISABLE_SYNC_METADATA)',
    );
}

export function serveOptionsOf(flags: ServerFlags, files: readonly string[] | undefined): ServeOptions {
  return {
    ...(files === undefined || files.length === 0 ? {} : { files }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.managementPort === undefined ? {} : { managementPort: flags.managementPort }),
    ...(flags.tlsCert === undefined ? {} : { tlsCertPath: flags.tlsCert }),
    ...(flags.tlsKey === undefined ? {} : { tlsKeyPath: flags.tlsKey }),
    ...(flags.tokenFile === undefined ? {} : { tokenFile: flags.tokenFile }),
    ...(flags.contextValue === undefined ? {} : { contextValues: flags.contextValue }),
    ...(flags.disableSyncMetadata === undefined ? {} : { disableSyncMetadata: flags.disableSyncMetadata }),
  };
}

/**
 * Resolves the config, runs the server until SIGINT or SIGTERM (one AbortController for both), drains
 * it, and returns the exit code: 0 after a clean shutdown, 1 when the server could not start.
 */
export async function serveFromCommandLine(
  options: ServeOptions,
  onListening: (server: RunningFlagServer, config: ServeConfig) => void,
  withController = true,
): Promise<number> {
  const resolved = resolveServeConfig(options);
  if (!resolved.ok) return fail(resolved.error);
  const logger = createConsoleLogger();
  for (const warning of resolved.warnings) logger.warn(warning);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    const rollouts = withController ? driveRollouts(resolved.value.files, controller.signal) : Promise.resolve();
    const error = await runFlagServer(resolved.value, { load: loadWireFlags, logger }, controller.signal, (server) =>
      onListening(server, resolved.value),
    );
    controller.abort();
    await rollouts;
    return error === undefined ? 0 : fail(error.message);
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
  }
}

/**
 * The rollout controller over the served files, beside the server and stopped with it (the deploy
 * code is loaded only here, so `--no-controller` costs nothing). Never rejects: a controller
 * problem is logged, and the flags keep being served.
 */
async function driveRollouts(files: readonly string[], signal: AbortSignal): Promise<void> {
  try {
    const { runRolloutController, timestampedLog } = await import('./controller-run.js');
    await runRolloutController({ files, command: 'serve', log: timestampedLog(process.stderr) }, signal);
  } catch (error) {
    process.stderr.write(
      `error: the rollout controller stopped: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}

/** The line that says where the server listens; tests and scripts read the ports from it. */
export function listeningLine(server: RunningFlagServer, config: ServeConfig): string {
  const scheme = config.tls === undefined ? 'plaintext' : 'TLS';
  const auth = config.tokenFile === undefined ? '' : ', bearer token required';
  return `flagd sync (gRPC, ${scheme}${auth}) on ${config.host}:${server.syncPort}, management on http://${config.host}:${server.managementPort} (/healthz /readyz /metrics)`;
}

function fail(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return 1;
}

function parsePort(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535) throw new InvalidArgumentError('expected a port number, 0-65535');
  return value;
}

function collectKeyValue(text: string, previous: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const pair = parseKeyValues(text);
  if (pair === undefined || Object.keys(pair).length === 0) throw new InvalidArgumentError('expected key=value');
  return { ...previous, ...pair };
}
