import { describe, expect, it } from 'vitest';
import type { FlagDefinition, FlagSetDocument } from '../../../src/flagd/model.js';
import { applyFlagSetChange, canonicalFlagSet, diffFlagSets } from '../../../src/store/flag-set-change.js';

const flag = (defaultVariant: string): FlagDefinition => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant,
});

const BEFORE: FlagSetDocument = { flags: { b: flag('on'), a: flag('on'), gone: flag('off') } };
const AFTER: FlagSetDocument = { flags: { a: flag('off'), new: flag('on'), b: flag('on') }, metadata: { team: 'x' } };

describe('diffFlagSets', () => {
  it('names the keys added, changed and removed, sorted, and carries only those flags', () => {
    expect(diffFlagSets(BEFORE, AFTER)).toEqual({
      change: { changed: { new: flag('on'), a: flag('off') }, removed: ['gone'], metadata: { team: 'x' } },
      summary: { added: ['new'], changed: ['a'], removed: ['gone'], metadataChanged: true },
    });
  });

  it('sees no change in a flag whose fields are only in another order', () => {
    const reordered = { flags: { a: { defaultVariant: 'on', variants: { off: false, on: true }, state: 'ENABLED' } } };
    expect(diffFlagSets({ flags: { a: flag('on') } }, reordered as FlagSetDocument).summary).toEqual({
      added: [],
      changed: [],
      removed: [],
      metadataChanged: false,
    });
  });

  it('treats a set never written as empty', () => {
    expect(diffFlagSets(undefined, BEFORE).summary.added).toEqual(['a', 'b', 'gone']);
  });
});

describe('applyFlagSetChange', () => {
  it('rebuilds the later document, in canonical form, from the earlier one and the change', () => {
    const rebuilt = applyFlagSetChange(BEFORE, diffFlagSets(BEFORE, AFTER).change);
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(canonicalFlagSet(AFTER)));
    expect(Object.keys(rebuilt.flags)).toEqual(['a', 'b', 'new']);
  });

  it('keeps a __proto__ flag key as a plain key', () => {
    const document = JSON.parse(
      '{"flags":{"__proto__":{"state":"ENABLED","variants":{"on":true},"defaultVariant":"on"}}}',
    );
    const rebuilt = applyFlagSetChange(undefined, diffFlagSets(undefined, document).change);
    expect(Object.keys(rebuilt.flags)).toEqual(['__proto__']);
  });
});
