import { writeFile } from 'node:fs/promises';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flagsChanged, makeTempDir, ProviderHarness, removeDir } from './provider-harness.js';
import { serveFlags, syncTo, writeBooleanFlags } from './provider-sync-harness.js';

let directory: string;
const cleanups: (() => unknown)[] = [];
beforeEach(async () => {
  directory = await makeTempDir();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await OpenFeature.clearProviders();
  await removeDir(directory);
});

async function started(harness: ProviderHarness): Promise<ProviderHarness> {
  await harness.start();
  return harness;
}

describe('GenesisProvider against genesis-flags serve', () => {
  it('is ready with the served flags', async () => {
    const file = await writeBooleanFlags(directory, 'flags.json', { banner: true, legacy: false });
    const server = await serveFlags(cleanups, { files: [file] });
    const harness = await started(new ProviderHarness({ sync: syncTo(server.syncPort) }));
    expect(await harness.client.getBooleanDetails('banner', false)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'STATIC',
    });
    expect(await harness.client.getBooleanDetails('legacy', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'STATIC',
    });
  });

  it('turns a change of the served file into CONFIGURATION_CHANGED with the changed keys and the new values', async () => {
    await writeBooleanFlags(directory, 'flags.json', { banner: true, legacy: false });
    const server = await serveFlags(cleanups, { files: [`${directory}/flags.json`] });
    const harness = await started(new ProviderHarness({ sync: syncTo(server.syncPort) }));
    await writeBooleanFlags(directory, 'flags.json', { banner: false, legacy: false, fresh: true });
    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['banner', 'fresh']);
    expect(await harness.client.getBooleanValue('banner', true)).toBe(false);
    expect(await harness.client.getBooleanValue('fresh', false)).toBe(true);
  });

  describe('selectors', () => {
    async function twoFileServer(): Promise<number> {
      const web = await writeBooleanFlags(directory, 'web.json', { banner: true }, { flagSetId: 'web' });
      const pay = await writeBooleanFlags(directory, 'pay.json', { checkout: true }, { flagSetId: 'pay' });
      return (await serveFlags(cleanups, { files: [web, pay] })).syncPort;
    }

    it.each([
      ['source=<file>', (dir: string) => `source=${dir}/web.json`],
      ['a bare file name', (dir: string) => `${dir}/web.json`],
      ['flagSetId=<id>', () => 'flagSetId=web'],
    ])('receives only the selected flags with %s', async (_name, selector) => {
      const port = await twoFileServer();
      const harness = await started(new ProviderHarness({ sync: syncTo(port, { selector: selector(directory) }) }));
      expect(await harness.client.getBooleanDetails('banner', false)).toMatchObject({ value: true, reason: 'STATIC' });
      expect(await harness.client.getBooleanDetails('checkout', false)).toMatchObject({
        value: false,
        reason: 'ERROR',
        errorCode: 'FLAG_NOT_FOUND',
      });
    });

    it('receives every flag without a selector', async () => {
      const port = await twoFileServer();
      const harness = await started(new ProviderHarness({ sync: syncTo(port) }));
      expect(await harness.client.getBooleanValue('banner', false)).toBe(true);
      expect(await harness.client.getBooleanValue('checkout', false)).toBe(true);
    });

    it('is not told about a change outside its selection', async () => {
      const port = await twoFileServer();
      const web = await started(new ProviderHarness({ sync: syncTo(port, { selector: 'flagSetId=web' }) }));
      const pay = await started(new ProviderHarness({ sync: syncTo(port, { selector: 'flagSetId=pay' }) }));
      await writeBooleanFlags(directory, 'pay.json', { checkout: false }, { flagSetId: 'pay' });
      expect(flagsChanged(await pay.nth(ProviderEvents.ConfigurationChanged, 1))).toEqual(['checkout']);
      // A later change of its own selection shows what, if anything, reached it before.
      await writeBooleanFlags(directory, 'web.json', { banner: false }, { flagSetId: 'web' });
      await web.nth(ProviderEvents.ConfigurationChanged, 1);
      expect(web.events.map(flagsChanged)).toEqual([['banner']]);
    });
  });

  it("evaluates with the server's context values merged into the evaluation context", async () => {
    const file = `${directory}/context.json`;
    const rule = { if: [{ '==': [{ var: 'region' }, 'eu'] }, 'on', 'off'] };
    await writeFile(
      file,
      JSON.stringify({
        flags: {
          gdpr: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: rule },
        },
      }),
    );
    const server = await serveFlags(cleanups, { files: [file], contextValues: { region: 'eu' } });
    const harness = await started(new ProviderHarness({ sync: syncTo(server.syncPort) }));
    expect(await harness.client.getBooleanDetails('gdpr', false)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
  });

  it('connects from FLAGD_HOST, FLAGD_SYNC_PORT and FLAGD_SOURCE_SELECTOR alone', async () => {
    const web = await writeBooleanFlags(directory, 'web.json', { banner: true });
    const pay = await writeBooleanFlags(directory, 'pay.json', { checkout: true });
    const server = await serveFlags(cleanups, { files: [web, pay] });
    const environment = {
      FLAGD_HOST: '127.0.0.1',
      FLAGD_SYNC_PORT: String(server.syncPort),
      FLAGD_SOURCE_SELECTOR: `source=${pay}`,
    };
    const harness = await started(new ProviderHarness({ environment }));
    expect(await harness.client.getBooleanValue('checkout', false)).toBe(true);
    expect(await harness.client.getBooleanDetails('banner', false)).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
  });

  it("applies the instance's own environment overrides to the served flags", async () => {
    const file = await writeBooleanFlags(directory, 'flags.json', { banner: true });
    const server = await serveFlags(cleanups, { files: [file] });
    const harness = await started(
      new ProviderHarness({ sync: syncTo(server.syncPort), environment: { BANNER: 'off' } }),
    );
    expect(await harness.client.getBooleanDetails('banner', true)).toMatchObject({
      value: false,
      variant: 'off',
      flagMetadata: { source: 'env' },
    });
  });
});
