import { mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { booleanFlags, flagsChanged, makeTempDir, ProviderHarness, removeDir } from './provider-harness.js';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await makeTempDir();
  file = join(dir, 'flags.flagd.json');
});

afterEach(async () => {
  await OpenFeature.close();
  await removeDir(dir);
});

async function startOn(
  path: string,
  initial: Readonly<Record<string, boolean>>,
  debounceMs = 20,
): Promise<ProviderHarness> {
  await writeFile(file, booleanFlags(initial));
  const harness = new ProviderHarness({ path, debounceMs });
  await harness.start();
  return harness;
}

describe('GenesisProvider over a flag file', () => {
  it('serves the file and, when it changes, the new values with exactly the changed keys in flagsChanged', async () => {
    const harness = await startOn(file, { a: true, b: true, c: false });
    expect(await harness.client.getBooleanValue('a', false)).toBe(true);
    expect(await harness.client.getBooleanDetails('c', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'STATIC',
    });

    await writeFile(file, booleanFlags({ a: false, b: true, d: true }));
    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);

    expect(flagsChanged(changed)).toEqual(['a', 'c', 'd']);
    expect(await harness.client.getBooleanValue('a', true)).toBe(false);
    expect(await harness.client.getBooleanValue('d', false)).toBe(true);
    expect(await harness.client.getBooleanDetails('c', true)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('picks up a second save made right after the first was applied', async () => {
    const harness = await startOn(file, { a: true, b: true });
    await writeFile(file, booleanFlags({ a: false, b: true }));
    await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    await writeFile(file, booleanFlags({ a: false, b: false }));

    const second = await harness.nth(ProviderEvents.ConfigurationChanged, 2);
    expect(flagsChanged(second)).toEqual(['b']);
    expect(await harness.client.getBooleanValue('b', true)).toBe(false);
  });

  it('picks up an editor-style atomic save (write a temporary file, rename it over the original)', async () => {
    const harness = await startOn(file, { a: true });
    const temporary = join(dir, '.flags.flagd.json.swp');
    await writeFile(temporary, booleanFlags({ a: false }));
    await rename(temporary, file);

    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['a']);
    expect(await harness.client.getBooleanValue('a', true)).toBe(false);
  });

  it('picks up a file that is removed and created again', async () => {
    const harness = await startOn(file, { a: true });
    await rm(file);
    await writeFile(file, booleanFlags({ a: false }));

    await harness.waitFor(
      (events) => events.some((event) => event.type === ProviderEvents.ConfigurationChanged),
      'a configuration change',
    );
    expect(await harness.client.getBooleanValue('a', true)).toBe(false);
  });

  it('follows a Kubernetes ConfigMap update: a new timestamped directory and a ..data symlink swapped over', async () => {
    await mkdir(join(dir, '..2024_01_01_00_00_00.1'));
    await writeFile(join(dir, '..2024_01_01_00_00_00.1', 'flags.flagd.json'), booleanFlags({ a: true }));
    await symlink('..2024_01_01_00_00_00.1', join(dir, '..data'));
    await symlink(join('..data', 'flags.flagd.json'), file);
    const harness = new ProviderHarness({ path: file, debounceMs: 20 });
    await harness.start();
    expect(await harness.client.getBooleanValue('a', false)).toBe(true);

    // What the kubelet does: write the new version aside, point a temporary link at it, rename the link
    // over ..data (atomic), then delete the old version.
    await mkdir(join(dir, '..2024_01_01_00_05_00.2'));
    await writeFile(join(dir, '..2024_01_01_00_05_00.2', 'flags.flagd.json'), booleanFlags({ a: false }));
    await symlink('..2024_01_01_00_05_00.2', join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    await rm(join(dir, '..2024_01_01_00_00_00.1'), { recursive: true });

    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['a']);
    expect(await harness.client.getBooleanValue('a', true)).toBe(false);
  });

  it('debounces a burst of writes into one reload that serves the last content', async () => {
    const harness = await startOn(file, { a: true, b: true }, 500);
    await writeFile(file, booleanFlags({ a: false, b: true }));
    await writeFile(file, booleanFlags({ a: true, b: true }));
    await writeFile(file, booleanFlags({ a: true, b: false }));

    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['b']);
    expect(await harness.client.getBooleanValue('b', true)).toBe(false);
    // One more real change proves nothing else was queued: it is the second event, not the third.
    await writeFile(file, booleanFlags({ a: false, b: false }));
    const next = await harness.nth(ProviderEvents.ConfigurationChanged, 2);
    expect(flagsChanged(next)).toEqual(['a']);
    expect(harness.events.filter((event) => event.type === ProviderEvents.ConfigurationChanged)).toHaveLength(2);
  });

  it('emits nothing for a rewrite that changes no flag, and reports only real changes afterwards', async () => {
    const harness = await startOn(file, { a: true, b: true });
    await writeFile(file, booleanFlags({ a: true, b: true }));
    await writeFile(file, JSON.stringify(JSON.parse(booleanFlags({ a: true, b: true }))));
    await writeFile(file, booleanFlags({ a: true, b: false }));

    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['b']);
  });

  it('keeps serving the last good flags after a bad reload, then recovers with READY and CONFIGURATION_CHANGED', async () => {
    const harness = await startOn(file, { a: true });
    await writeFile(file, '{ "flags": { "a": ');
    const failed = await harness.nth(ProviderEvents.Error, 1);

    expect(failed.details?.message).toContain(file);
    expect(harness.client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await harness.client.getBooleanDetails('a', false)).toMatchObject({ value: true, reason: 'STATIC' });
    expect(harness.logger.errors.some((message) => message.includes(file))).toBe(true);

    await writeFile(file, booleanFlags({ a: false }));
    await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    const afterFailure = harness.events.slice(harness.events.indexOf(failed) + 1).map((event) => event.type);
    expect(afterFailure).toEqual([ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
    expect(harness.client.providerStatus).toBe(ProviderStatus.READY);
    expect(await harness.client.getBooleanValue('a', true)).toBe(false);
  });

  it('reports a file deleted for good as an error and keeps serving its last flags', async () => {
    const harness = await startOn(file, { a: true });
    await rm(file);
    const failed = await harness.nth(ProviderEvents.Error, 1);
    expect(failed.details?.message).toBe(`File not found: ${file}`);
    expect(await harness.client.getBooleanValue('a', false)).toBe(true);
  });
});
