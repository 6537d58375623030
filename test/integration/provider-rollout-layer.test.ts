import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flagsChanged, makeTempDir, ProviderHarness, removeDir } from './provider-harness.js';

/*
 * The provider loads a Genesis file with the rollout layer a deployment writes beside it merged on
 * top; a person's edit of the flag's rollout fields beats the layer at once.
 */

let dir: string;
let file: string;
let layer: string;

const people = (enabled: boolean, strategy = 'progressive') =>
  `${JSON.stringify(
    {
      flags: {
        feature: {
          enabled,
          rollout_strategy: strategy,
          start_date: '2020-01-01T00:00:00Z',
          end_date: '2020-01-02T00:00:00Z',
        },
        other: { enabled: true },
      },
    },
    null,
    2,
  )}\n`;

const BASE = {
  enabled: true,
  rollout_strategy: 'progressive',
  rollout_percentage: null,
  start_date: '2020-01-01T00:00:00Z',
  end_date: '2020-01-02T00:00:00Z',
};

const layerAt = (percentage: number) =>
  JSON.stringify({
    version: 1,
    deployment: 'feature@2026-01-01T00:00:00.000Z',
    flags: { feature: { base: BASE, set: { rollout_strategy: 'percentage', rollout_percentage: percentage } } },
  });

beforeEach(async () => {
  dir = await makeTempDir();
  file = join(dir, 'flags.json');
  layer = join(dir, 'flags.rollout.json');
});

afterEach(async () => {
  await OpenFeature.close();
  await removeDir(dir);
});

describe('GenesisProvider with a rollout layer beside the flag file', () => {
  it('serves the stage the layer holds, follows it as it changes, and drops it when it is removed', async () => {
    await writeFile(file, people(true));
    await writeFile(layer, layerAt(0));
    const harness = new ProviderHarness({ path: file, debounceMs: 10 });
    await harness.start();
    // The progressive ramp of the people's file ended in 2020 (everyone); the layer holds it at 0%.
    expect(await harness.client.getBooleanValue('feature', true, { targetingKey: 'user-1' })).toBe(false);

    await writeFile(layer, layerAt(100));
    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['feature']);
    expect(await harness.client.getBooleanValue('feature', false, { targetingKey: 'user-1' })).toBe(true);

    await writeFile(layer, layerAt(0));
    await harness.nth(ProviderEvents.ConfigurationChanged, 2);
    await rm(layer);
    await harness.nth(ProviderEvents.ConfigurationChanged, 3);
    expect(await harness.client.getBooleanValue('feature', false, { targetingKey: 'user-1' })).toBe(true);
  });

  it("serves a person's enabled: false over any stage, and their other edits over the layer", async () => {
    await writeFile(file, people(true));
    await writeFile(layer, layerAt(100));
    const harness = new ProviderHarness({ path: file, debounceMs: 10 });
    await harness.start();
    expect(await harness.client.getBooleanValue('feature', false, { targetingKey: 'user-1' })).toBe(true);

    await writeFile(file, people(false));
    await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(await harness.client.getBooleanDetails('feature', true, { targetingKey: 'user-1' })).toMatchObject({
      value: false,
      reason: 'STATIC',
    });

    // Back on, but with another strategy than the layer's base: the person's file is served as written.
    await writeFile(file, people(true, 'all_at_once'));
    await harness.nth(ProviderEvents.ConfigurationChanged, 2);
    expect(await harness.client.getBooleanValue('feature', false, { targetingKey: 'user-1' })).toBe(true);
  });
});
