import { fileURLToPath } from 'node:url';
import { makeGenericClientConstructor, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';

/**
 * The gRPC services of this package, loaded at run time from the `.proto` files shipped in `proto/`
 * (see docs/SYNC.md for why run-time loading rather than generated stubs). The path is relative to this
 * module so it resolves the same from `src/` (tests) and from `dist/` (the published package).
 */
export const PROTO_ROOT = fileURLToPath(new URL('../../../proto/', import.meta.url));

export const SYNC_SERVICE_NAME = 'flagd.sync.v1.FlagSyncService';
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

export interface SyncProtocol {
  readonly syncService: ServiceDefinition;
  readonly healthService: ServiceDefinition;
  readonly SyncClient: ServiceClientConstructor;
  readonly HealthClient: ServiceClientConstructor;
}

let loaded: SyncProtocol | undefined;

/** Loads both protocols once per process; the definitions are immutable and shared. */
export function loadSyncProtocol(): SyncProtocol {
  loaded ??= buildProtocol();
  return loaded;
}

function buildProtocol(): SyncProtocol {
  const definition = loadSync(['flagd/sync/v1/sync.proto', 'grpc/health/v1/health.proto'], {
    includeDirs: [PROTO_ROOT],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const syncService = serviceDefinition(definition, SYNC_SERVICE_NAME);
  const healthService = serviceDefinition(definition, HEALTH_SERVICE_NAME);
  return {
    syncService,
    healthService,
    SyncClient: makeGenericClientConstructor(syncService, SYNC_SERVICE_NAME),
    HealthClient: makeGenericClientConstructor(healthService, HEALTH_SERVICE_NAME),
  };
}

function serviceDefinition(definition: PackageDefinition, name: string): ServiceDefinition {
  const entry = definition[name];
  // Message types carry a `format` field; services are plain method maps.
  if (entry === undefined || 'format' in entry) throw new Error(`Service ${name} missing from ${PROTO_ROOT}`);
  return entry as ServiceDefinition;
}
