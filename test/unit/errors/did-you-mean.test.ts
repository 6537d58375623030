import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from '../../../src/errors/did-you-mean.js';

const FLAG_KEYS = ['orchestration_enabled', 'llm_integration_enabled', 'emergency_shutdown', 'new_router'];
const FIELDS = ['enabled', 'rollout_strategy', 'rollout_percentage', 'start_date', 'end_date', 'steps', 'requires'];

describe('closestName', () => {
  it.each([
    ['orchestraton_enabled', FLAG_KEYS, 'orchestration_enabled'],
    ['rolout_percentage', FIELDS, 'rollout_percentage'],
    ['enalbed', FIELDS, 'enabled'],
    ['Enabled', FIELDS, 'enabled'],
    ['new_ruoter', FLAG_KEYS, 'new_router'],
    ['stpes', FIELDS, 'steps'],
    ['emergency_shutdwn', FLAG_KEYS, 'emergency_shutdown'],
  ])('suggests %j for a typo, out of the known names', (word, candidates, expected) => {
    expect(closestName(word, candidates)).toBe(expected);
  });

  it.each([
    ['ghost', FLAG_KEYS],
    ['colour', FIELDS],
    ['x', FIELDS],
    ['orchestration', FLAG_KEYS],
  ])('suggests nothing for %j, which is no near miss', (word, candidates) => {
    expect(closestName(word, candidates)).toBeUndefined();
  });

  it('never suggests the word itself, and takes the earlier of two equally close names', () => {
    expect(closestName('steps', FIELDS)).toBeUndefined();
    expect(closestName('flag_c', ['flag_a', 'flag_b'])).toBe('flag_a');
  });
});

describe('didYouMean', () => {
  it('is the hint to append to a message, or nothing', () => {
    expect(didYouMean('orchestraton_enabled', FLAG_KEYS)).toBe(' (did you mean "orchestration_enabled"?)');
    expect(didYouMean('ghost', FLAG_KEYS)).toBe('');
  });
});
