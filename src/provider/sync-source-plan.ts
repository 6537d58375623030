import type { Logger } from '@openfeature/core';
import type { GrpcSyncSourceOptions } from '../flagd/sources/grpc-sync-source-options.js';
import type { FlagSource, SourceListener } from '../sources/flag-source.js';
import type { SourcePlan } from './source-plan.js';
import type { ResolvedSyncConfig } from './sync-options.js';

/** How the provider builds its gRPC sync source; replaceable so the adapter can be tested alone. */
export type CreateSyncSource = (options: GrpcSyncSourceOptions, listener: SourceListener) => FlagSource;

/**
 * The name a sync server's flags go by in messages: its address, and the selector when there is one.
 * It never ends in a file extension, so the payload is always read as the JSON the protocol sends.
 */
export function syncOriginName(sync: Pick<ResolvedSyncConfig, 'host' | 'port' | 'selector'>): string {
  const selector =
    sync.selector === undefined || sync.selector === '' ? '' : ` (selector ${JSON.stringify(sync.selector)})`;
  return `flag sync server ${sync.host}:${sync.port}${selector}`;
}

/**
 * One gRPC sync source. The source keeps its own wall clock for gRPC deadlines: the provider's `now`
 * option is the clock rules see, which tests may fix, and a fixed clock would expire every deadline.
 */
export function planSyncSource(
  sync: ResolvedSyncConfig,
  logger: Logger,
  createSyncSource: CreateSyncSource,
): SourcePlan {
  const origin = syncOriginName(sync);
  return {
    origins: [origin],
    create: (listenerFor) => [createSyncSource({ ...sync, logger }, listenerFor(origin))],
  };
}
