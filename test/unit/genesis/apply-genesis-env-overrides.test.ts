import { describe, expect, it } from 'vitest';
import { applyGenesisEnvOverrides, type EnvOverride } from '../../../src/genesis/apply-genesis-env-overrides.js';
import type { GenesisDocument } from '../../../src/genesis/genesis-document.js';

const doc: GenesisDocument = {
  flags: {
    orchestration_enabled: { enabled: true },
    llm_integration_enabled: {
      enabled: true,
      rollout_strategy: 'percentage',
      rollout_percentage: 10,
      requires: ['orchestration_enabled'],
    },
  },
};

function lookupFrom(env: Record<string, string>) {
  return (flagKey: string): EnvOverride | undefined => {
    const name = flagKey.toUpperCase();
    const value = env[name];
    return value === undefined ? undefined : { name, value };
  };
}

describe('applyGenesisEnvOverrides', () => {
  it.each(['false', 'FALSE', '0', 'off', ' no '])('reads %j as off', (value) => {
    const result = applyGenesisEnvOverrides(doc, lookupFrom({ ORCHESTRATION_ENABLED: value }), () => {});
    expect(result.flags['orchestration_enabled']).toEqual({
      enabled: false,
      rollout_strategy: 'all_at_once',
      metadata: { source: 'env', envVariable: 'ORCHESTRATION_ENABLED' },
    });
  });

  it.each(['true', 'True', '1', 'on', 'yes'])('reads %j as on for everyone, keeping requires', (value) => {
    const result = applyGenesisEnvOverrides(doc, lookupFrom({ LLM_INTEGRATION_ENABLED: value }), () => {});
    expect(result.flags['llm_integration_enabled']).toEqual({
      enabled: true,
      rollout_strategy: 'all_at_once',
      rollout_percentage: 10,
      requires: ['orchestration_enabled'],
      metadata: { source: 'env', envVariable: 'LLM_INTEGRATION_ENABLED' },
    });
  });

  it('warns about an unreadable value by name and leaves the flag as written', () => {
    const warnings: string[] = [];
    const result = applyGenesisEnvOverrides(doc, lookupFrom({ ORCHESTRATION_ENABLED: 'maybe' }), (message) =>
      warnings.push(message),
    );
    expect(result.flags['orchestration_enabled']).toBe(doc.flags['orchestration_enabled']);
    expect(warnings).toEqual([
      'Ignoring ORCHESTRATION_ENABLED="maybe": expected a boolean (true/false, 1/0, on/off or yes/no)',
    ]);
  });

  it('leaves the document alone when nothing is set', () => {
    expect(applyGenesisEnvOverrides(doc, lookupFrom({}), () => {})).toEqual(doc);
  });
});
