import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, EvaluationContext } from '@openfeature/server-sdk';
import { FaultInjector } from './fault-injector.js';
import { createFlagMetricsHook } from './flag-metrics-hook.js';
import { readJsonBody, sendJson } from './http-io.js';
import { ORCHESTRATOR_FLAG_KEYS } from './orchestrator-flags.js';
import { createOrchestratorMetrics, type OrchestratorMetrics } from './orchestrator-metrics.js';
import { contextOf } from './request-context.js';
import { createTask, readTasks, type TaskService } from './task-handlers.js';
import { TaskRouter } from './task-router.js';
import { TaskStore } from './task-store.js';

export interface OrchestratorServerOptions {
  /** The OpenFeature client every decision goes through; the server adds its metrics hook to it. */
  readonly flags: Client;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly phase4ErrorRate: number;
  readonly log: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** More Prometheus text for `/metrics`: the OpenTelemetry SDK's exposition (otel-metrics.ts). */
  readonly moreMetrics?: () => Promise<string>;
}

export interface RunningOrchestrator {
  readonly url: string;
  readonly port: number;
  readonly metrics: OrchestratorMetrics;
  /** Stops accepting connections and resolves once every request in flight has been answered. */
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** A measured route: its label in the metrics, and what answers it. */
interface Route {
  readonly label: string;
  readonly handle: Handler;
}

/** Starts the HTTP service: task routes, `/flags`, `/admin/faults`, `/metrics`, `/healthz`. */
export async function startOrchestratorServer(options: OrchestratorServerOptions): Promise<RunningOrchestrator> {
  const metrics = createOrchestratorMetrics();
  options.flags.addHooks(createFlagMetricsHook(metrics.flagEvaluations));
  const faults = new FaultInjector(options.phase4ErrorRate);
  const service: TaskService = {
    flags: options.flags,
    router: new TaskRouter(),
    store: new TaskStore(),
    faults,
    log: options.log,
    now: options.now ?? Date.now,
    countTask: (mode, pipeline) => metrics.tasks.inc({ mode, pipeline }),
  };
  const routeOf = (method: string, path: string): Route | null => {
    const id = /^\/tasks\/([^/]+)$/.exec(path)?.[1];
    if (path === '/tasks' && method === 'POST') {
      return {
        label: '/tasks',
        handle: (req, res) => {
          const context = contextOf(req.headers);
          trackRequest(options.flags, context, res);
          return inFlight(metrics, () => createTask(service, req, res, context));
        },
      };
    }
    if (path === '/tasks' && method === 'GET')
      return { label: '/tasks', handle: (req, res) => readTasks(service, req, res, contextOf(req.headers), null) };
    if (id !== undefined && method === 'GET') {
      return {
        label: '/tasks/:id',
        handle: (req, res) => readTasks(service, req, res, contextOf(req.headers), decodeURIComponent(id)),
      };
    }
    if (path === '/flags' && method === 'GET')
      return { label: '/flags', handle: (req, res) => showFlags(options.flags, req, res) };
    if (path === '/admin/faults')
      return { label: '/admin/faults', handle: (req, res) => controlFaults(faults, options.log, req, res) };
    return null;
  };
  const server = createServer((request, response) => {
    void serve(request, response, metrics, options.moreMetrics, routeOf, options.log);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    metrics,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close((error) => (error === undefined ? resolve() : reject(error))),
      ),
  };
}

/** Answers one request; task and flag routes are measured, `/metrics` and `/healthz` are not. */
async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  metrics: OrchestratorMetrics,
  moreMetrics: (() => Promise<string>) | undefined,
  routeOf: (method: string, path: string) => Route | null,
  log: (line: string) => void,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://orchestrator');
  const method = request.method ?? 'GET';
  try {
    if (url.pathname === '/healthz') return sendJson(response, 200, { status: 'ok' });
    if (url.pathname === '/metrics') {
      const text = (await metrics.registry.metrics()) + ((await moreMetrics?.()) ?? '');
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      return void response.end(text);
    }
    const route = routeOf(method, url.pathname);
    const stop = metrics.duration.startTimer();
    response.once('finish', () => {
      const labels = { method, route: route?.label ?? 'unmatched', status: String(response.statusCode) };
      metrics.requests.inc(labels);
      stop(labels);
    });
    if (route === null)
      return sendJson(response, 404, { error: 'not_found', message: `No route ${method} ${url.pathname}` });
    await route.handle(request, response);
  } catch (error) {
    log(`${method} ${url.pathname} 500: ${error instanceof Error ? error.message : String(error)}`);
    if (!response.headersSent) sendJson(response, 500, { error: 'internal', message: 'unexpected error' });
    else response.end();
  }
}

/**
 * A task is the orchestrator's unit of work: reported once through the OpenFeature Tracking API when
 * its answer is sent, by the documented convention (event `request`, latency in ms as `value`,
 * `error: true` for a server error). The provider attributes it to the variant this caller gets of
 * each flag under a guarded rollout, which is what the deploy gate's cohort analysis compares.
 */
function trackRequest(flags: Client, context: EvaluationContext, response: ServerResponse): void {
  const started = performance.now();
  response.once('finish', () => {
    flags.track('request', context, { value: performance.now() - started, error: response.statusCode >= 500 });
  });
}

async function inFlight(metrics: OrchestratorMetrics, work: () => Promise<void>): Promise<void> {
  metrics.inFlight.inc();
  try {
    await work();
  } finally {
    metrics.inFlight.dec();
  }
}

/** `GET /flags`: what every flag of the orchestrator says for this caller, and why. */
async function showFlags(flags: Client, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const context = contextOf(request.headers);
  const details = await Promise.all(ORCHESTRATOR_FLAG_KEYS.map((key) => flags.getBooleanDetails(key, false, context)));
  const shown = Object.fromEntries(
    details.map(({ flagKey, value, variant, reason, errorCode }) => [
      flagKey,
      { value, variant: variant ?? null, reason: reason ?? null, errorCode: errorCode ?? null },
    ]),
  );
  sendJson(response, 200, { provider: flags.metadata.providerMetadata.name, context, flags: shown });
}

/** `GET|POST /admin/faults`: the demo's switch for errors on the phase-4 pipeline. */
async function controlFaults(
  faults: FaultInjector,
  log: (line: string) => void,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method === 'POST') {
    const body = await readJsonBody(request);
    const rate = body.ok ? (body.value as { phase4ErrorRate?: unknown }).phase4ErrorRate : undefined;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      return sendJson(response, 400, {
        error: 'bad_request',
        message: body.ok ? 'phase4ErrorRate: expected a number 0-1' : body.message,
      });
    }
    faults.setRate(rate);
    log(`phase-4 error rate set to ${rate}`);
  } else if (request.method !== 'GET') {
    return sendJson(response, 405, { error: 'method_not_allowed', message: 'use GET or POST' });
  }
  sendJson(response, 200, { phase4ErrorRate: faults.rate });
}
