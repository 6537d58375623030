import { parseBooleanWord, parseWholeNumber, readEnvVariable, type Environment } from '../read-env-variable.js';
import type { GrpcSyncSourceOptions } from './grpc-sync-source-options.js';
import { parseStatusNameList } from './grpc-status-names.js';

/**
 * The environment variables the official flagd providers read for the same settings, so an instance
 * configured for `@openfeature/flagd-provider` (in-process) needs no change to use our gRPC source.
 * FLAGD_SYNC_PORT wins over FLAGD_PORT, as in the official provider.
 */
export const GRPC_SYNC_VARIABLES = Object.freeze({
  host: 'FLAGD_HOST',
  port: ['FLAGD_SYNC_PORT', 'FLAGD_PORT'],
  tls: 'FLAGD_TLS',
  caCertPath: 'FLAGD_SERVER_CERT_PATH',
  selector: 'FLAGD_SOURCE_SELECTOR',
  connectTimeoutMs: 'FLAGD_DEADLINE_MS',
  streamDeadlineMs: 'FLAGD_STREAM_DEADLINE_MS',
  initialBackoffMs: 'FLAGD_RETRY_BACKOFF_MS',
  maxBackoffMs: 'FLAGD_RETRY_BACKOFF_MAX_MS',
  keepAliveTimeMs: 'FLAGD_KEEP_ALIVE_TIME_MS',
  retryGracePeriodMs: 'FLAGD_RETRY_GRACE_PERIOD',
  fatalStatusCodes: 'FLAGD_FATAL_STATUS_CODES',
});

export interface GrpcSyncEnvironment {
  /** The options the environment sets; the caller's own options should win over them. */
  readonly options: Partial<GrpcSyncSourceOptions>;
  /** One line per variable that was set but could not be read, naming it. */
  readonly warnings: readonly string[];
}

/** Reads the gRPC source's options from flagd's variables; FLAGD_RETRY_GRACE_PERIOD is in seconds, as flagd's. */
export function readGrpcSyncEnvironment(environment: Environment): GrpcSyncEnvironment {
  const warnings: string[] = [];
  const read = <T>(variable: string, parse: (text: string) => T | undefined, expected: string): T | undefined =>
    readEnvVariable(environment, variable, (text) => parse(text.trim()), expected, warnings);
  const integer = (variable: string): number | undefined => read(variable, parseWholeNumber, 'a non-negative integer');
  const graceSeconds = integer(GRPC_SYNC_VARIABLES.retryGracePeriodMs);
  const entries: [keyof GrpcSyncSourceOptions, unknown][] = [
    ['host', read(GRPC_SYNC_VARIABLES.host, (text) => text, 'a host name')],
    ['port', GRPC_SYNC_VARIABLES.port.map(integer).find((value) => value !== undefined)],
    ['tls', read(GRPC_SYNC_VARIABLES.tls, parseBooleanWord, 'true or false')],
    ['caCertPath', read(GRPC_SYNC_VARIABLES.caCertPath, (text) => text, 'a path')],
    ['selector', read(GRPC_SYNC_VARIABLES.selector, (text) => text, 'a selector')],
    ['connectTimeoutMs', integer(GRPC_SYNC_VARIABLES.connectTimeoutMs)],
    ['streamDeadlineMs', integer(GRPC_SYNC_VARIABLES.streamDeadlineMs)],
    ['initialBackoffMs', integer(GRPC_SYNC_VARIABLES.initialBackoffMs)],
    ['maxBackoffMs', integer(GRPC_SYNC_VARIABLES.maxBackoffMs)],
    ['keepAliveTimeMs', integer(GRPC_SYNC_VARIABLES.keepAliveTimeMs)],
    ['retryGracePeriodMs', graceSeconds === undefined ? undefined : graceSeconds * 1_000],
    [
      'fatalStatusCodes',
      read(GRPC_SYNC_VARIABLES.fatalStatusCodes, parseStatusNameList, 'gRPC status names such as PERMISSION_DENIED'),
    ],
  ];
  const options = Object.fromEntries(
    entries.filter(([, value]) => value !== undefined),
  ) as Partial<GrpcSyncSourceOptions>;
  return { options, warnings };
}
