import { describe, expect, it } from 'vitest';
import { FlagStore } from '../../../src/flagd/flag-store.js';
import { FlagLoader } from '../../../src/loading/flag-loader.js';

const json = (flags: Record<string, unknown>) => JSON.stringify({ flags });
const env = { nowSeconds: () => 1_700_000_000 };

function valueOf(layers: FlagLoader, key: string): unknown {
  const store = new FlagStore();
  store.replace(layers.merge());
  return store.evaluate(key, 'boolean', true, { targetingKey: 'u1' }, env).value;
}

describe('FlagLoader: requires across origins', () => {
  it('resolves a parent in an earlier file, and re-translates the child when the parent changes there', () => {
    const layers = new FlagLoader(['a.json', 'b.json'], { strict: false });
    expect(layers.load('a.json', { text: json({ parent: { enabled: true } }) }).ok).toBe(true);
    expect(layers.load('b.json', { text: json({ child: { enabled: true, requires: ['parent'] } }) }).ok).toBe(true);
    expect(valueOf(layers, 'child')).toBe(true);

    expect(layers.load('a.json', { text: json({ parent: { enabled: false } }) }).ok).toBe(true);
    expect(valueOf(layers, 'child')).toBe(false);
  });

  it('loads the child file first and resolves its parent once the parent file is loaded', () => {
    const layers = new FlagLoader(['a.json', 'b.json'], { strict: false });
    expect(layers.load('b.json', { text: json({ child: { enabled: true, requires: ['!kill'] } }) }).ok).toBe(true);
    expect(layers.load('a.json', { text: json({ kill: { enabled: false } }) }).ok).toBe(true);
    expect(valueOf(layers, 'child')).toBe(true);
  });

  it('takes the parent of the later file when both files define it', () => {
    const layers = new FlagLoader(['a.json', 'b.json'], { strict: false });
    layers.load('a.json', {
      text: json({ parent: { enabled: true }, child: { enabled: true, requires: ['parent'] } }),
    });
    layers.load('b.json', { text: json({ parent: { enabled: false } }) });
    expect(valueOf(layers, 'child')).toBe(false);
  });

  it('fails a missing parent naming the child, the parent and every file looked in', () => {
    const layers = new FlagLoader(['a.json', 'b.json'], { strict: false });
    layers.load('a.json', { text: json({ other: { enabled: true } }) });
    const outcome = layers.load('b.json', { text: json({ child: { enabled: true, requires: ['parent'] } }) });
    expect(outcome).toMatchObject({
      ok: false,
      error: 'Invalid b.json:\n  flags.child.requires[0]  names unknown flag "parent" in any of a.json, b.json',
    });
  });

  it('refuses a change that removes a parent another file requires, keeping the last good flags of both', () => {
    const layers = new FlagLoader(['a.json', 'b.json'], { strict: false });
    layers.load('a.json', { text: json({ parent: { enabled: true } }) });
    layers.load('b.json', { text: json({ child: { enabled: true, requires: ['parent'] } }) });
    const outcome = layers.load('a.json', { text: json({ renamed: { enabled: false } }) });
    expect(outcome).toEqual({
      ok: false,
      error:
        'Not loading a.json: Invalid b.json:\n  flags.child.requires[0]  names unknown flag "parent" in any of a.json, b.json',
    });
    expect(valueOf(layers, 'parent')).toBe(true);
    expect(valueOf(layers, 'child')).toBe(true);
  });

  it('reports a cycle that runs through two files', () => {
    const layers = new FlagLoader(['a.json', 'b.json'], { strict: false });
    layers.load('a.json', { text: json({ x: { enabled: true, requires: ['y'] } }) });
    const outcome = layers.load('b.json', { text: json({ y: { enabled: true, requires: ['x'] } }) });
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error).toContain('forms a cycle: y → x → y');
  });
});
