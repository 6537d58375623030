import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FlagStore } from '../../src/flagd/flag-store.js';
import { normalizeFlagSet } from '../../src/flagd/parse/flag-set-normalizer.js';
import { findGenesisProblems } from '../../src/genesis/find-genesis-problems.js';
import { readGenesisDocument } from '../../src/genesis/read-genesis-document.js';
import { translateGenesisDocument } from '../../src/genesis/translate-genesis-document.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

/** The first JSON block after the README's format heading: the example a newcomer copies. */
function formatExample(): unknown {
  const section = readme.slice(readme.indexOf('## The Genesis flag format'));
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README has no JSON example under "The Genesis flag format"');
  return JSON.parse(block);
}

describe('README Genesis format example', () => {
  it('is a valid Genesis document with one flag per strategy', () => {
    expect(findGenesisProblems(formatExample())).toEqual([]);
    const read = readGenesisDocument(formatExample(), 'README example');
    if (!read.ok) return;
    const strategies = new Set(Object.values(read.value.flags).map((flag) => flag.rollout_strategy ?? 'all_at_once'));
    expect([...strategies].sort()).toEqual(['all_at_once', 'canary', 'percentage', 'progressive']);
  });

  it('answers as the prose under it says: children of an off parent are off, canaries are on', () => {
    const read = readGenesisDocument(formatExample(), 'README example');
    if (!read.ok) throw new Error(read.error);
    const translated = translateGenesisDocument(read.value);
    if (!translated.ok) throw new Error(translated.error);
    const normalized = normalizeFlagSet(translated.value, { origin: 'README example' });
    if (!normalized.ok) throw new Error(normalized.error);
    const store = new FlagStore();
    store.replace(normalized.value);
    const env = { nowSeconds: () => Date.parse('2025-10-19T00:00:00Z') / 1000 };
    const canary = { targetingKey: 'user-1' };
    expect(store.evaluate('cost_optimizer', 'boolean', false, canary, env).value).toBe(true);
    expect(store.evaluate('emergency_shutdown', 'boolean', true, canary, env).value).toBe(false);
    expect(store.evaluate('llm_integration_enabled', 'boolean', false, canary, env).value).toBe(true);
    const beforeRamp = { nowSeconds: () => Date.parse('2025-10-17T00:00:00Z') / 1000 };
    expect(store.evaluate('phase_4_deployment', 'boolean', true, canary, beforeRamp).value).toBe(false);
  });
});
