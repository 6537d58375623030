import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenFeature, ProviderEvents, type Logger } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PRODUCTION_FLAGS = path.join(repoRoot, 'config/feature_flags.json');
const AT = (iso: string) => () => Date.parse(iso);

let dir: string;
let providers: GenesisProvider[];
let warnings: string[];

const logger: Logger = {
  error: (...args: unknown[]) => warnings.push(args.join(' ')),
  warn: (...args: unknown[]) => warnings.push(args.join(' ')),
  info: () => {},
  debug: () => {},
};

async function started(options: ConstructorParameters<typeof GenesisProvider>[0]): Promise<GenesisProvider> {
  const provider = new GenesisProvider({ logger, environment: {}, ...options });
  providers.push(provider);
  await provider.initialize();
  return provider;
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'genesis-provider-'));
  providers = [];
  warnings = [];
});
afterEach(async () => {
  await OpenFeature.close();
  await Promise.all(providers.map((provider) => provider.onClose()));
  await rm(dir, { recursive: true, force: true });
});

describe('GenesisProvider on Genesis files', () => {
  it('serves config/feature_flags.json through the OpenFeature client', async () => {
    const provider = new GenesisProvider({ path: PRODUCTION_FLAGS, logger, environment: {} });
    providers.push(provider);
    await OpenFeature.setProviderAndWait('genesis-file', provider);
    const client = OpenFeature.getClient('genesis-file');
    expect(await client.getBooleanValue('orchestration_enabled', false)).toBe(true);
    expect(await client.getBooleanValue('emergency_shutdown', true)).toBe(false);
    const details = await client.getBooleanDetails('phase_4_deployment', true, { targetingKey: 'user-1' });
    expect(details).toMatchObject({ value: false, variant: 'off', reason: 'STATIC' });
    expect(details.flagMetadata).toMatchObject({ strategy: 'progressive', genesisKey: 'phase_4_deployment' });
  });

  it('turns the children of the master switch off when ORCHESTRATION_ENABLED=false', async () => {
    const provider = await started({
      path: PRODUCTION_FLAGS,
      environment: { ORCHESTRATION_ENABLED: 'false', LLM_INTEGRATION_ENABLED: 'true' },
    });
    const master = await provider.resolveBooleanEvaluation('orchestration_enabled', true, {});
    expect(master).toMatchObject({ value: false, reason: 'STATIC' });
    expect(master.flagMetadata).toMatchObject({ source: 'env' });
    expect(
      (await provider.resolveBooleanEvaluation('llm_integration_enabled', true, { targetingKey: 'u' })).value,
    ).toBe(false);
    expect((await provider.resolveBooleanEvaluation('performance_optimizations_enabled', true, {})).value).toBe(false);
    expect((await provider.resolveBooleanEvaluation('otel_enabled', false, {})).value).toBe(true);
  });

  it('warns about an override it cannot read and keeps the flag as written', async () => {
    const provider = await started({ path: PRODUCTION_FLAGS, environment: { MAINTENANCE_MODE: 'sometimes' } });
    expect((await provider.resolveBooleanEvaluation('maintenance_mode', true, {})).value).toBe(false);
    expect(warnings.join('\n')).toContain('MAINTENANCE_MODE="sometimes"');
  });

  it('ramps a progressive flag with the injected clock', async () => {
    const file = path.join(dir, 'ramp.json');
    const ramp = { enabled: true, rollout_strategy: 'progressive', start_date: '2025-10-18', end_date: '2025-10-25' };
    await writeFile(file, JSON.stringify({ format: 'genesis', flags: { ramp } }));
    const keys = Array.from({ length: 2000 }, (_, index) => `user-${index}`);
    const share = async (iso: string) => {
      const provider = await started({ path: file, now: AT(iso) });
      const answers = await Promise.all(
        keys.map((targetingKey) => provider.resolveBooleanEvaluation('ramp', false, { targetingKey })),
      );
      return answers.filter((answer) => answer.value).length / keys.length;
    };
    expect(await share('2025-10-17T23:59:59Z')).toBe(0);
    expect(Math.abs((await share('2025-10-21T12:00:00Z')) - 0.5)).toBeLessThan(0.05);
    expect(await share('2025-10-25T00:00:00Z')).toBe(1);
  });

  it('loads a file written by the old Python system unchanged', async () => {
    const file = path.join(dir, 'feature_flags.json');
    const legacy = {
      version: '1.0.0',
      last_updated: '2025-10-18T10:00:00.123456+00:00',
      flags: {
        orchestration_enabled: {
          name: 'orchestration_enabled',
          enabled: true,
          default_value: true,
          rollout_strategy: 'all_at_once',
          rollout_percentage: 0.0,
          progressive_config: {},
          description: 'Master',
        },
        canary_feature: {
          enabled: false,
          config: {
            name: 'canary_feature',
            enabled: true,
            default_value: false,
            rollout_strategy: 'canary',
            rollout_percentage: 0.0,
            progressive_config: { canary_users: ['user1'], canary_regions: ['us-west-1'] },
            description: 'Canary',
          },
        },
      },
    };
    await writeFile(file, JSON.stringify(legacy, null, 2));
    const provider = await started({ path: file });
    expect((await provider.resolveBooleanEvaluation('orchestration_enabled', false, {})).value).toBe(true);
    // the flat `enabled: false` wins over the one under `config`
    expect((await provider.resolveBooleanEvaluation('canary_feature', true, { targetingKey: 'user1' })).value).toBe(
      false,
    );
  });

  it('rejects initialisation with every problem of an invalid Genesis file, by path', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'genesis',
        flags: { a: { enabled: true, requires: ['b'] }, b: { enabled: true, requires: ['a'] } },
      }),
    );
    const provider = new GenesisProvider({ path: file, logger, environment: {} });
    providers.push(provider);
    await expect(provider.initialize()).rejects.toThrow('flags.b.requires[0]  forms a cycle: a → b → a');
  });

  it('reloads an edited Genesis file and reports the changed flag', async () => {
    const file = path.join(dir, 'flags.json');
    await writeFile(
      file,
      JSON.stringify({ format: 'genesis', flags: { maintenance_mode: { enabled: false }, other: { enabled: true } } }),
    );
    const provider = await started({ path: file });
    const changed = new Promise<unknown>((resolve) => {
      provider.events.addHandler(ProviderEvents.ConfigurationChanged, (details) => resolve(details?.flagsChanged));
    });
    await writeFile(
      file,
      JSON.stringify({ format: 'genesis', flags: { maintenance_mode: { enabled: true }, other: { enabled: true } } }),
    );
    expect(await changed).toEqual(['maintenance_mode']);
    expect((await provider.resolveBooleanEvaluation('maintenance_mode', false, {})).value).toBe(true);
  });
});
