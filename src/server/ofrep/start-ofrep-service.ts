import type { Logger } from '@openfeature/core';
import type { EvaluationEnv } from '../../flagd/model.js';
import type { Result } from '../../errors/result.js';
import { createAuthorizationCheck } from '../../flagd/sync/bearer-auth.js';
import type { ContextEnrichment } from '../evaluation/enrich-context.js';
import type { EvaluationMetrics } from '../evaluation/evaluation-metrics.js';
import type { SelectionStores } from '../evaluation/selection-stores.js';
import type { ServeConfig } from '../serve-config.js';
import { OfrepHandler, ofrepMethodPath } from './ofrep-handler.js';
import { startOfrepServer, type RunningOfrepServer } from './ofrep-server.js';

/** What the OFREP service shares with the rest of the flag server. */
export interface OfrepServiceParts {
  readonly stores: SelectionStores;
  readonly env: EvaluationEnv;
  readonly enrichment: ContextEnrichment;
  /** The bearer token every call must carry, when the server has one. */
  readonly token?: string;
  readonly metrics: EvaluationMetrics;
  readonly logger: Logger;
}

/** Starts OFREP on `config.ofrepPort`, with the TLS, CORS origins and body limit of the other evaluation port. */
export function startOfrepService(
  config: ServeConfig,
  parts: OfrepServiceParts,
): Promise<Result<RunningOfrepServer, Error>> {
  const handler = new OfrepHandler({
    stores: parts.stores,
    env: parts.env,
    enrichment: parts.enrichment,
    ...(parts.token === undefined ? {} : { checkToken: createAuthorizationCheck(parts.token) }),
    corsOrigins: config.corsOrigins,
    maxBodyBytes: config.maxRequestBodyBytes,
    onAnswered: (endpoint, status) => parts.metrics.requestFinished('ofrep', ofrepMethodPath(endpoint), String(status)),
    logger: parts.logger,
  });
  return startOfrepServer({
    host: config.host,
    port: config.ofrepPort,
    ...(config.tls === undefined ? {} : { tls: config.tls }),
    handler,
    shutdownGraceMs: config.shutdownGraceMs,
  });
}
