import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, ProviderHarness, removeDir } from './provider-harness.js';

let dir: string;
let file: string;

const FLAGS = {
  flags: {
    orchestration_enabled: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: { if: [{ '==': [{ var: 'tier' }, 'gold'] }, 'on', null] },
      metadata: { owner: 'platform' },
    },
    'banner-color': { state: 'ENABLED', variants: { red: '#f00', green: '#0f0' }, defaultVariant: 'red' },
    'max-retries': { state: 'ENABLED', variants: { low: 1, high: 5 }, defaultVariant: 'low' },
    limits: { state: 'ENABLED', variants: { base: { rps: 10 } }, defaultVariant: 'base' },
  },
};

beforeEach(async () => {
  dir = await makeTempDir();
  file = join(dir, 'flags.flagd.json');
  await writeFile(file, JSON.stringify(FLAGS));
});

afterEach(async () => {
  await OpenFeature.close();
  await removeDir(dir);
});

async function start(environment: Record<string, string>, extra: { envPrefix?: string; envOverrides?: boolean } = {}) {
  const harness = new ProviderHarness({ path: file, environment, ...extra });
  await harness.start();
  return harness;
}

describe('GenesisProvider environment overrides', () => {
  it('overrides a flag from the variable named after it, as a static env value', async () => {
    const harness = await start({ ORCHESTRATION_ENABLED: 'true' });
    const details = await harness.client.getBooleanDetails('orchestration_enabled', false, { tier: 'free' });
    expect(details).toMatchObject({ value: true, variant: 'env', reason: 'STATIC' });
    expect(details.flagMetadata).toMatchObject({ source: 'env', owner: 'platform' });
  });

  it('selects a variant by name', async () => {
    const harness = await start({ BANNER_COLOR: 'green' });
    expect(await harness.client.getStringDetails('banner-color', 'grey')).toMatchObject({
      value: '#0f0',
      variant: 'green',
      reason: 'STATIC',
    });
  });

  it.each([
    ['MAX_RETRIES', '7', 'max-retries', 7],
    ['LIMITS', '{"rps":99}', 'limits', { rps: 99 }],
    ['BANNER_COLOR', '#123456', 'banner-color', '#123456'],
  ])('parses %s=%s by the type of %s', async (variable, text, key, value) => {
    const harness = await start({ [variable]: text });
    const details =
      typeof value === 'number'
        ? await harness.client.getNumberDetails(key, 0)
        : typeof value === 'string'
          ? await harness.client.getStringDetails(key, '')
          : await harness.client.getObjectDetails(key, {});
    expect(details).toMatchObject({ value, variant: 'env', reason: 'STATIC', flagMetadata: { source: 'env' } });
  });

  it('reads only prefixed variables when envPrefix is set', async () => {
    const harness = await start({ ORCHESTRATION_ENABLED: 'true', APP_MAX_RETRIES: '3' }, { envPrefix: 'APP_' });
    expect(await harness.client.getBooleanDetails('orchestration_enabled', true)).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect(await harness.client.getNumberValue('max-retries', 0)).toBe(3);
  });

  it('ignores the variables when envOverrides is false', async () => {
    const harness = await start({ MAX_RETRIES: '3' }, { envOverrides: false });
    expect(await harness.client.getNumberValue('max-retries', 0)).toBe(1);
  });

  it('ignores an unparseable value with a warning naming the variable and the flag', async () => {
    const harness = await start({ MAX_RETRIES: 'plenty' });
    expect(await harness.client.getNumberValue('max-retries', 0)).toBe(1);
    expect(
      harness.logger.warnings.some((warning) => warning.includes('MAX_RETRIES') && warning.includes('max-retries')),
    ).toBe(true);
  });

  it('keeps the override across reloads, reading the environment only once', async () => {
    const environment: Record<string, string> = { MAX_RETRIES: '7' };
    const harness = await start(environment);
    environment['MAX_RETRIES'] = '8';
    environment['BANNER_COLOR'] = 'green';
    const changedFile = {
      flags: {
        ...FLAGS.flags,
        'banner-color': { ...FLAGS.flags['banner-color'], variants: { red: '#e00', green: '#0f0' } },
      },
    };
    await writeFile(file, JSON.stringify(changedFile));
    await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(await harness.client.getNumberValue('max-retries', 0)).toBe(7);
    expect(await harness.client.getStringValue('banner-color', '')).toBe('#e00');
    // Logged once, at start, with the variable and its value; the reload logs nothing new.
    expect(harness.logger.infos).toEqual(['Flag max-retries is overridden by MAX_RETRIES="7"']);
  });

  it('never lets a flag named like PATH or HOME be overridden by them, and says so without echoing $PATH', async () => {
    const path = `/usr/local/bin:${'/opt/tool/bin:'.repeat(200)}/usr/bin`;
    await writeFile(
      file,
      JSON.stringify({
        flags: { path: { state: 'ENABLED', variants: { on: 'on', off: 'off' }, defaultVariant: 'off' } },
      }),
    );
    const harness = await start({ PATH: path, HOME: '/root' });
    expect(await harness.client.getStringDetails('path', '')).toMatchObject({ value: 'off', reason: 'STATIC' });
    expect(harness.logger.warnings).toEqual([
      'Ignoring environment variable PATH: flag path is never overridden by PATH, a variable nearly every process has; set envPrefix (GENESIS_FLAGS_ENV_PREFIX) to override it, e.g. APP_ reads APP_PATH',
    ]);
    expect(harness.logger.infos).toEqual([]);
  });
});
