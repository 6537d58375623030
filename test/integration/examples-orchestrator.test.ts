import { readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents, type Client } from '@openfeature/server-sdk';
import { metrics } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFlagProvider } from '../../examples/orchestrator/bootstrap-provider.js';
import { installOpenTelemetryMetrics, type OpenTelemetryMetrics } from '../../examples/orchestrator/otel-metrics.js';
import { startOrchestratorServer, type RunningOrchestrator } from '../../examples/orchestrator/orchestrator-server.js';
import { ORCHESTRATOR_DEFAULTS, readOrchestratorSettings } from '../../examples/orchestrator/orchestrator-settings.js';
import { sumCohortSamples, trackingSeries } from '../../src/deploy/metrics/cohort-series.js';
import { parseExposition } from '../../src/deploy/metrics/exposition-parser.js';
import { call, editFlagFile, REPO_ROOT, SHIPPED_FLAGS, type Caller, type GenesisFlags } from './examples-harness.js';

/*
 * The orchestrator example in this process, on our provider reading a copy of the shipped flag file
 * from a temp folder; every flag flip below is a real file write picked up by hot reload, with no
 * restart of the service.
 */

let dir: string;
let flagFile: string;
let client: Client;
let server: RunningOrchestrator;
let logs: string[];
// The OpenTelemetry SDK is global and installed once, as main.ts does; its counters add up over the tests.
let telemetry: OpenTelemetryMetrics;

beforeAll(() => {
  telemetry = installOpenTelemetryMetrics();
});

afterAll(async () => {
  await telemetry.shutdown();
  metrics.disable();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'genesis-orchestrator-'));
  flagFile = join(dir, 'feature_flags.json');
  await copyFile(SHIPPED_FLAGS, flagFile);
  await OpenFeature.setProviderAndWait(createFlagProvider({ ...ORCHESTRATOR_DEFAULTS, flagFile }, () => undefined));
  client = OpenFeature.getClient();
  logs = [];
  server = await startOrchestratorServer({
    flags: client,
    host: '127.0.0.1',
    port: 0,
    phase4ErrorRate: 0,
    log: (line) => logs.push(line),
    moreMetrics: () => telemetry.exposition(),
  });
});

afterEach(async () => {
  await server.close();
  await OpenFeature.close();
  await rm(dir, { recursive: true, force: true });
});

/** Edits the flag file and resolves once the provider has applied the change. */
async function flip(edit: (flags: GenesisFlags) => void): Promise<void> {
  const applied = new Promise<void>((resolve) => {
    const handler = (): void => {
      client.removeHandler(ProviderEvents.ConfigurationChanged, handler);
      resolve();
    };
    client.addHandler(ProviderEvents.ConfigurationChanged, handler);
  });
  await editFlagFile(flagFile, edit);
  await applied;
}

const setEnabled = (key: string, enabled: boolean) => (flags: GenesisFlags) => {
  flags[key] = { ...flags[key], enabled, rollout_strategy: 'all_at_once' };
};

const alice: Caller = { user: 'alice', region: 'eu-west', tenant: 'acme' };
const post = (task: Record<string, unknown>, caller: Caller = alice) =>
  call(server.url, 'POST', '/tasks', caller, task);

// Prices from model-catalog.ts, in dollars per 1,000 tokens.
const SMALL = 0.0005;
const LARGE = 0.015;

describe('orchestration_enabled: v2 routing or the v1 fallback, per request', () => {
  it('routes an easy task in v2 to the small model and reports the saving against the large one', async () => {
    const answer = await post({ description: 'Summarize the incident report.' });

    // By hand: one step; difficulty 0.1 + 4 words × 0.01 − 0.1 (one easy word) = 0.04 → small;
    // tokens ceil(30 chars / 4) + 200 + round(1800 × 0.04) = 8 + 200 + 72 = 280.
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      mode: 'v2',
      planner: 'llm',
      steps: [{ difficulty: 0.04, tier: 'small', model: 'genesis-small', estimatedTokens: 280 }],
    });
    expect(answer.body['estimatedCostUsd']).toBeCloseTo(0.28 * SMALL, 9);
    expect(answer.body['baselineCostUsd']).toBeCloseTo(0.28 * LARGE, 9);
    expect(answer.body['savingUsd']).toBeCloseTo(0.28 * (LARGE - SMALL), 9);
    expect(answer.body['savingPercent']).toBe(96.7);
    expect(logs.at(-1)).toMatch(/^POST \/tasks 201 mode=v2 /);
  });

  it('falls back to v1 (priority queue, the default model, no cost optimisation) once the master switch is off on disk', async () => {
    await flip(setEnabled('orchestration_enabled', false));
    const answer = await post({ description: 'Summarize the incident report.', priority: 'high' });

    // By hand: v1 estimates at difficulty 0.5: 8 + 200 + 900 = 1108 tokens on the large model.
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      mode: 'v1',
      queue: 'express',
      model: 'genesis-large',
      estimatedTokens: 1108,
      costOptimization: 'disabled',
    });
    expect(answer.body['estimatedCostUsd']).toBeCloseTo(1.108 * LARGE, 9);
    expect(answer.body).not.toHaveProperty('savingUsd');
    expect(logs.at(-1)).toMatch(/^POST \/tasks 201 mode=v1 \(fallback: orchestration off\)/);
  });

  it('turns the children of the master switch off with it: the flags endpoint shows them all off', async () => {
    await flip(setEnabled('orchestration_enabled', false));
    const flags = (await call(server.url, 'GET', '/flags', alice)).body['flags'] as Record<string, { value: boolean }>;

    expect(flags['llm_integration_enabled']?.value).toBe(false);
    expect(flags['performance_optimizations_enabled']?.value).toBe(false);
  });
});

describe('the feature flags each change the routing', () => {
  const task = { description: 'Scrape the changelog pages then summarize them.' };

  it('llm_integration_enabled: the step-by-step planner, or one heuristic step when off', async () => {
    expect((await post(task)).body).toMatchObject({
      planner: 'llm',
      steps: [{ text: 'Scrape the changelog pages' }, { text: 'summarize them.' }],
    });
    await flip(setEnabled('llm_integration_enabled', false));
    const answer = await post(task);
    expect(answer.body).toMatchObject({ planner: 'heuristic', steps: [{ text: task.description }] });
  });

  it('aatc_system_enabled: a sandboxed agent is created for a capability no standing agent has', async () => {
    expect((await post(task)).body).toMatchObject({
      createdAgents: [],
      unsupported: ['web-scraper'],
      steps: [{ agent: 'generalist' }, { agent: 'writer' }],
    });
    await flip(setEnabled('aatc_system_enabled', true));
    const answer = await post(task);
    expect(answer.body).toMatchObject({
      createdAgents: ['aatc-web-scraper'],
      unsupported: [],
      steps: [{ agent: 'aatc-web-scraper' }, { agent: 'writer' }],
    });
  });

  it('performance_optimizations_enabled: a repeated task is a cache hit, and nothing is cached when off', async () => {
    expect([(await post(task)).body['cache'], (await post(task)).body['cache']]).toEqual(['miss', 'hit']);
    await flip(setEnabled('performance_optimizations_enabled', false));
    expect([(await post(task)).body['cache'], (await post(task)).body['cache']]).toEqual(['off', 'off']);
  });

  it('phase_4_deployment: the phase-4 pipeline, which fails at the injected rate, and phase 3 untouched when off', async () => {
    await flip(setEnabled('phase_4_deployment', true));
    expect((await call(server.url, 'POST', '/admin/faults', {}, { phase4ErrorRate: 0.5 })).status).toBe(200);
    const onPhase4 = [await post(task), await post(task), await post(task), await post(task)];
    // Spread evenly: at 0.5, every second request fails.
    expect(onPhase4.map((answer) => answer.status)).toEqual([201, 500, 201, 500]);
    expect(onPhase4[0]?.body['dispatch']).toEqual({ pipeline: 'phase-4', deadlineMs: 300_000, retries: 2 });
    expect(onPhase4[1]?.body).toMatchObject({ error: 'dispatch_failed', pipeline: 'phase-4' });

    await flip(setEnabled('phase_4_deployment', false));
    const onPhase3 = [await post(task), await post(task)];
    expect(
      onPhase3.map((answer) => [answer.status, (answer.body['dispatch'] as { pipeline: string }).pipeline]),
    ).toEqual([
      [201, 'phase-3'],
      [201, 'phase-3'],
    ]);
  });
});

describe('emergency flags', () => {
  it('emergency_shutdown rejects new requests with 503 while a request in flight finishes', async () => {
    const slow = post({ description: 'Summarize the incident report.', work_ms: 1500 });
    // The request is past the gate once its feature flags have been evaluated.
    for (let seen = 0; seen === 0;) {
      const evaluations = await server.metrics.flagEvaluations.get();
      seen = evaluations.values.filter((sample) => sample.labels['flag'] === 'phase_4_deployment').length;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await flip(setEnabled('emergency_shutdown', true));

    const rejected = await post({ description: 'Another task' });
    const read = await call(server.url, 'GET', '/tasks', alice);
    expect(rejected.status).toBe(503);
    expect(rejected.body).toEqual({
      error: 'emergency_shutdown',
      message: 'Emergency shutdown: new requests are rejected',
    });
    expect(read.status).toBe(503);
    expect((await slow).status).toBe(201);
  });

  it('maintenance_mode rejects new requests with 503, a maintenance message and Retry-After', async () => {
    await flip(setEnabled('maintenance_mode', true));
    const answer = await post({ description: 'Summarize the incident report.' });

    expect(answer.status).toBe(503);
    expect(answer.body['error']).toBe('maintenance_mode');
    expect(answer.body['message']).toMatch(/maintenance/);
    expect(answer.headers.get('retry-after')).toBe('300');
  });

  it('read_only_mode rejects writes with 423 and serves reads', async () => {
    const created = await post({ description: 'Summarize the incident report.' });
    await flip(setEnabled('read_only_mode', true));

    expect((await post({ description: 'Another task' })).status).toBe(423);
    const read = await call(server.url, 'GET', `/tasks/${String(created.body['id'])}`, alice);
    expect(read.status).toBe(200);
    expect(read.body['id']).toBe(created.body['id']);
    expect((await call(server.url, 'GET', '/tasks', alice)).status).toBe(200);
  });

  it('acts per caller: a maintenance canary closes the service for the listed user and region only', async () => {
    await flip((flags) => {
      flags['maintenance_mode'] = {
        ...flags['maintenance_mode'],
        enabled: true,
        rollout_strategy: 'canary',
        canary_users: ['ops-1'],
        canary_regions: ['ap-south'],
        rollout_percentage: 0,
      };
    });
    const task = { description: 'Summarize the incident report.' };

    expect((await post(task, { user: 'ops-1', region: 'eu-west' })).status).toBe(503);
    expect((await post(task, { user: 'bob', region: 'ap-south' })).status).toBe(503);
    expect((await post(task, { user: 'bob', region: 'eu-west' })).status).toBe(201);
  });
});

describe('metrics', () => {
  it('counts requests by route and status and their durations under the names the deploy gates read by default', async () => {
    for (let sent = 0; sent < 3; sent += 1) await post({ description: 'Summarize the incident report.' });
    await call(server.url, 'GET', '/tasks/nope', alice);
    await call(server.url, 'GET', '/healthz');
    const text = await (await fetch(`${server.url}/metrics`)).text();

    expect(text).toContain(`http_requests_total{method="POST",route="/tasks",status="201"} 3`);
    expect(text).toContain(`http_requests_total{method="GET",route="/tasks/:id",status="404"} 1`);
    expect(text).toContain(`http_request_duration_seconds_count{method="POST",route="/tasks",status="201"} 3`);
    expect(text).toMatch(
      new RegExp(`http_request_duration_seconds_bucket\\{le="\\+Inf",method="POST",route="/tasks",status="201"\\} 3`),
    );
    expect(text).not.toContain('route="/healthz"');
    expect(text).not.toContain('route="/metrics"');
  });

  it('counts flag evaluations by flag, variant and reason through the OpenFeature hook', async () => {
    for (let sent = 0; sent < 2; sent += 1) await post({ description: 'Summarize the incident report.' });
    const text = await (await fetch(`${server.url}/metrics`)).text();

    // Each task evaluates the two gates a write passes (three with read-only) and the five features once.
    expect(text).toContain(
      'orchestrator_flag_evaluations_total{flag="orchestration_enabled",variant="on",reason="STATIC"} 2',
    );
    expect(text).toContain(
      'orchestrator_flag_evaluations_total{flag="emergency_shutdown",variant="off",reason="STATIC"} 2',
    );
    expect(text).toContain(
      'orchestrator_flag_evaluations_total{flag="read_only_mode",variant="off",reason="STATIC"} 2',
    );
    expect(text).toContain(
      'orchestrator_flag_evaluations_total{flag="aatc_system_enabled",variant="off",reason="STATIC"} 2',
    );
  });
});

describe('tracking: the per-variant series the deploy gate reads', () => {
  async function phase4Cohorts() {
    const parsed = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    if (!parsed.ok) throw new Error(parsed.error);
    const pair = sumCohortSamples(parsed.value, trackingSeries('phase_4_deployment', 'on'));
    return {
      on: { requests: pair?.treatment.requests ?? 0, errors: pair?.treatment.errors ?? 0 },
      off: { requests: pair?.control.requests ?? 0, errors: pair?.control.errors ?? 0 },
    };
  }

  it('reports each task once with client.track, attributed to the variant its user gets of a flag under rollout', async () => {
    await flip((flags) => {
      flags['phase_4_deployment'] = {
        ...flags['phase_4_deployment'],
        enabled: true,
        rollout_strategy: 'percentage',
        rollout_percentage: 50,
      };
    });
    expect((await call(server.url, 'POST', '/admin/faults', {}, { phase4ErrorRate: 1 })).status).toBe(200);
    const before = await phase4Cohorts();
    const statuses: number[] = [];
    for (let user = 0; user < 40; user += 1) {
      const answer = await post({ description: 'Summarize the incident report.' }, { user: `user-${user}` });
      statuses.push(answer.status);
    }
    const after = await phase4Cohorts();

    // Every phase-4 (variant on) task fails at rate 1, every phase-3 one succeeds: the answers say who got what.
    const failed = statuses.filter((status) => status === 500).length;
    const served = statuses.filter((status) => status === 201).length;
    expect(failed + served).toBe(40);
    expect(failed).toBeGreaterThan(5);
    expect(served).toBeGreaterThan(5);
    expect({
      on: { requests: after.on.requests - before.on.requests, errors: after.on.errors - before.on.errors },
      off: { requests: after.off.requests - before.off.requests, errors: after.off.errors - before.off.errors },
    }).toEqual({ on: { requests: failed, errors: failed }, off: { requests: served, errors: 0 } });
  });

  it('serves the series under the names and labels docs/DEPLOYMENT.md gives, beside the request metrics', async () => {
    await post({ description: 'Summarize the incident report.' });
    const text = await (await fetch(`${server.url}/metrics`)).text();

    for (const name of ['feature_flag_tracking_events_total', 'feature_flag_tracking_duration_bucket']) {
      expect(text).toMatch(
        new RegExp(
          `^${name}\\{[^}]*feature_flag_key="phase_4_deployment",feature_flag_result_variant="off",event_name="request"`,
          'm',
        ),
      );
    }
    expect(text).toMatch(/^feature_flag_evaluations_total\{feature_flag_key="orchestration_enabled"/m);
    expect(text).toContain(`http_requests_total{method="POST",route="/tasks",status="201"}`);
  });
});

describe('settings', () => {
  it('takes its defaults from ORCHESTRATOR_DEFAULTS when nothing is set', () => {
    expect(readOrchestratorSettings({})).toEqual({ ok: true, value: ORCHESTRATOR_DEFAULTS });
  });

  it('refuses an unknown provider and a bad port, naming each variable', () => {
    const outcome = readOrchestratorSettings({ ORCHESTRATOR_PROVIDER: 'redis', ORCHESTRATOR_PORT: 'eighty' });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error).toMatch(
      /ORCHESTRATOR_PROVIDER=redis: expected one of genesis-files, .*; ORCHESTRATOR_PORT=eighty/,
    );
  });
});

describe('where the provider is chosen', () => {
  it('keeps every provider and genesis-flags out of the orchestrator but for bootstrap-provider.ts, whose business code imports only the OpenFeature SDK', () => {
    const folder = join(REPO_ROOT, 'examples', 'orchestrator');
    const packages = Object.fromEntries(
      readdirSync(folder)
        .filter((file) => file.endsWith('.ts') && file !== 'bootstrap-provider.ts')
        .map((file) => {
          const imports = [...readFileSync(join(folder, file), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map(
            (match) => match[1] as string,
          );
          return [file, [...new Set(imports.filter((name) => !name.startsWith('.') && !name.startsWith('node:')))]];
        }),
    );

    const allowed = (file: string, name: string): boolean =>
      name === '@openfeature/server-sdk' ||
      (file === 'orchestrator-metrics.ts' && name === 'prom-client') ||
      (file === 'otel-metrics.ts' && name.startsWith('@opentelemetry/'));
    const outside = Object.entries(packages).flatMap(([file, names]) =>
      names.filter((name) => !allowed(file, name)).map((name) => `${file}: ${name}`),
    );
    expect(outside).toEqual([]);
    expect(packages['task-router.ts']).toEqual([]);
    expect(packages['request-gate.ts']).toEqual(['@openfeature/server-sdk']);
  });
});
