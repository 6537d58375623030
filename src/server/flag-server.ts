import { readFile } from 'node:fs/promises';
import type { Logger } from '@openfeature/core';
import type { Result } from '../errors/result.js';
import { LayeredFileSource } from '../loading/layered-file-source.js';
import { PresencePublisher } from '../store/presence-publisher.js';
import type { ReplicaDelivery } from '../store/replica-presence.js';
import { StoreFlagSource } from '../store/store-flag-source.js';
import { describeReadFailure } from '../flagd/sources/read-failure.js';
import { systemTimers, type Timers } from '../system/timers.js';
import { FlagSyncHandler } from '../flagd/sync/flag-sync-handler.js';
import { HealthService } from '../flagd/sync/health-service.js';
import { SYNC_SERVICE_NAME } from '../flagd/sync/sync-proto.js';
import { startSyncServer } from '../flagd/sync/sync-server.js';
import { EvaluationMetrics } from './evaluation/evaluation-metrics.js';
import { startEvaluationServer } from './evaluation/evaluation-server.js';
import { EvaluationService } from './evaluation/evaluation-service.js';
import { EventStreamLedger } from './evaluation/event-stream-ledger.js';
import { EVALUATION_METHOD_PATHS } from './evaluation/evaluation-routes.js';
import { OFREP_METHOD_PATHS } from './ofrep/ofrep-handler.js';
import { SelectionStores } from './evaluation/selection-stores.js';
import { startManagementServer } from './management-server.js';
import { startOfrepService } from './ofrep/start-ofrep-service.js';
import type { ServeConfig } from './serve-config.js';
import { ServerMetrics } from './server-metrics.js';
import type { CreateSource } from './source-supervisor.js';
import { SyncRuntime, type Readiness } from './sync-runtime.js';

export interface FlagServerDependencies {
  readonly logger: Logger;
  /** @default a StoreFlagSource per flag set with a store, else a FileSource per file with its rollout layer on top */
  readonly createSource?: CreateSource;
  readonly timers?: Timers;
  /** The clock rules see as `$flagd.timestamp`. @default Date.now */
  readonly nowMs?: () => number;
}

export interface RunningFlagServer {
  /** The evaluation port: flagd.evaluation over gRPC, gRPC-Web and Connect. */
  readonly port: number;
  readonly syncPort: number;
  /** The OFREP port: `/ofrep/v1/evaluate/flags` over HTTP(S). */
  readonly ofrepPort: number;
  readonly managementPort: number;
  /** With a store: who this replica is in the store's presence records (docs/STORE.md). */
  readonly replicaId: string | undefined;
  readiness(): Readiness;
  /** Stops watching files, ends every stream with UNAVAILABLE, closes every port; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the whole server: flag evaluation on `port`, the sync and health services on `syncPort`, the
 * management endpoints on `managementPort`, and the file sources feeding them. Resolves once every
 * port listens and every source has had its first attempt; a source that failed keeps the server
 * un-ready, not stopped.
 */
export async function startFlagServer(
  config: ServeConfig,
  dependencies: FlagServerDependencies,
): Promise<Result<RunningFlagServer, Error>> {
  const token = config.tokenFile === undefined ? undefined : await readToken(config.tokenFile);
  if (token !== undefined && !token.ok) return token;
  const { logger } = dependencies;
  const origins = config.store === undefined ? config.files : config.store.flagSets;
  const metrics = new ServerMetrics(origins);
  const health = new HealthService([SYNC_SERVICE_NAME]);
  const storeSources = new Map<string, StoreFlagSource>();
  const runtime = new SyncRuntime({
    origins,
    createSource: dependencies.createSource ?? defaultSources(config, storeSources, () => presence?.changed(), logger),
    metrics,
    logger,
    timers: dependencies.timers ?? systemTimers,
    startupGraceMs: config.startupGraceMs,
    onReadinessChange: (ready) => health.setStatus(ready ? 'SERVING' : 'NOT_SERVING'),
  });
  const presence: PresencePublisher | undefined =
    config.store === undefined
      ? undefined
      : new PresencePublisher({
          location: config.store.location,
          flagSets: config.store.flagSets,
          intervalMs: config.store.presenceIntervalMs,
          // Evaluation calls are answered from the current flags; only a stream (sync, or an
          // EventStream whose configuration_change clears a provider's cache) can be behind.
          delivery: (flagSet): ReplicaDelivery => {
            const generation = runtime.appliedGeneration(flagSet);
            return {
              revision: storeSources.get(flagSet)?.revision ?? 0,
              streams: handler.streamCount + (ledger?.streamCount ?? 0),
              streamsAtRevision: handler.streamsSentSince(generation) + (ledger?.streamsSentSince(generation) ?? 0),
            };
          },
          ...(dependencies.nowMs === undefined ? {} : { nowMs: dependencies.nowMs }),
        });
  const handler: FlagSyncHandler = new FlagSyncHandler({
    state: runtime.state,
    syncContext: config.contextValues,
    disableSyncMetadata: config.disableSyncMetadata,
    observer: metrics,
    logger,
    ...(presence === undefined ? {} : { onStreamsChange: () => presence.changed() }),
  });
  if (presence !== undefined) runtime.state.subscribe(() => presence.changed());
  const sync = await startSyncServer({
    host: config.host,
    port: config.syncPort,
    ...(config.tls === undefined ? {} : { tls: config.tls }),
    ...(token === undefined ? {} : { token: token.value }),
    handler,
    health,
    shutdownGraceMs: config.shutdownGraceMs,
  });
  if (!sync.ok) return sync;
  const stores = new SelectionStores(runtime.state);
  // Made after the selection stores, so that it hears of each update after they queued its events.
  const ledger: EventStreamLedger | undefined =
    presence === undefined ? undefined : new EventStreamLedger(runtime.state, () => presence.changed());
  const evaluationMetrics = new EvaluationMetrics([...EVALUATION_METHOD_PATHS, ...OFREP_METHOD_PATHS]);
  const nowMs = dependencies.nowMs ?? Date.now;
  const env = { nowSeconds: () => Math.floor(nowMs() / 1000) };
  const enrichment = { staticValues: config.contextValues, fromHeaders: config.contextFromHeaders };
  const evaluation = await startEvaluationServer({
    host: config.host,
    port: config.port,
    ...(config.tls === undefined ? {} : { tls: config.tls }),
    ...(token === undefined ? {} : { token: token.value }),
    corsOrigins: config.corsOrigins,
    maxRequestBodyBytes: config.maxRequestBodyBytes,
    service: new EvaluationService({
      stores,
      enrichment,
      env,
      timers: dependencies.timers ?? systemTimers,
      ...(ledger === undefined ? {} : { ledger }),
    }),
    metrics: evaluationMetrics,
  });
  if (!evaluation.ok) {
    await sync.value.close();
    return evaluation;
  }
  const ofrep = await startOfrepService(config, {
    stores,
    env,
    enrichment,
    ...(token === undefined ? {} : { token: token.value }),
    metrics: evaluationMetrics,
    logger,
  });
  if (!ofrep.ok) {
    await Promise.all([sync.value.close(), evaluation.value.close()]);
    return ofrep;
  }
  const management = await startManagementServer(config.host, config.managementPort, {
    readiness: () => runtime.readiness(),
    metrics: () => metrics.render() + evaluationMetrics.render(),
  });
  if (!management.ok) {
    await Promise.all([sync.value.close(), evaluation.value.close(), ofrep.value.close()]);
    return management;
  }
  // Present before the first load: a replica still loading is one the fleet waits for.
  presence?.start();
  await runtime.start();
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    await presence?.stop();
    await runtime.stop();
    await Promise.all([sync.value.close(), evaluation.value.close(), ofrep.value.close()]);
    stores.close();
    await management.value.close();
  };
  return {
    ok: true,
    value: {
      port: evaluation.value.port,
      syncPort: sync.value.port,
      ofrepPort: ofrep.value.port,
      managementPort: management.value.port,
      replicaId: presence?.identity.id,
      readiness: () => runtime.readiness(),
      close: () => (closing ??= close()),
    },
  };
}

/**
 * One source per origin: a flag set followed in the store (kept in `storeSources`, whose revisions the
 * presence shows), or a watched file with its rollout layer.
 */
function defaultSources(
  config: ServeConfig,
  storeSources: Map<string, StoreFlagSource>,
  onRevision: () => void,
  logger: Logger,
): CreateSource {
  const { store } = config;
  if (store !== undefined)
    return (flagSetId, listener) => {
      const source = new StoreFlagSource(
        {
          location: store.location,
          flagSetId,
          connectionName: `genesis-flags-serve-${process.pid}`,
          onRevision,
          onWarning: (message) => logger.warn(message),
        },
        listener,
      );
      storeSources.set(flagSetId, source);
      return source;
    };
  return (path, listener) => new LayeredFileSource({ path, debounceMs: config.debounceMs }, listener);
}

async function readToken(path: string): Promise<Result<string, Error>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { ok: false, error: describeReadFailure(path, error) };
  }
  const token = text.trim();
  return token === '' ? { ok: false, error: new Error(`Token file is empty: ${path}`) } : { ok: true, value: token };
}
