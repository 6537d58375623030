import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OpenFeature, ProviderEvents, type EvaluationDetails } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from './provider-harness.js';
import { flagsChanged, makeTempDir, ProviderHarness, removeDir } from './provider-harness.js';
import {
  evaluateContinuously,
  FAST_RECONNECT,
  serveFlags,
  syncTo,
  writeBooleanFlags,
} from './provider-sync-harness.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/cli/main.js');
const built = existsSync(cli);
if (!built) console.warn(`Skipping the killed-server test: ${cli} is missing (run npm run build)`);

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

const types = (events: readonly RecordedEvent[]) => events.map((event) => event.type);

/** Every answer is the served value, resolved as normal: nothing failed, nothing fell back to the default. */
function expectAllServed(answers: readonly EvaluationDetails<boolean>[], value: boolean): void {
  expect(answers.length).toBeGreaterThan(0);
  const unexpected = answers.filter(
    (answer) => answer.value !== value || answer.reason !== 'STATIC' || answer.errorCode !== undefined,
  );
  expect(unexpected).toEqual([]);
}

describe('GenesisProvider when its sync server goes away', () => {
  it('goes STALE at once and ERROR after the grace period, keeps answering from the last flags, and is READY when the server is back', async () => {
    const file = await writeBooleanFlags(directory, 'flags.json', { banner: true });
    const server = await serveFlags(cleanups, { files: [file] });
    const harness = new ProviderHarness({ sync: syncTo(server.syncPort) });
    await harness.start();
    const evaluating = evaluateContinuously(harness.client, 'banner');
    await server.close();
    await harness.nth(ProviderEvents.Stale, 1);
    await harness.nth(ProviderEvents.Error, 1);
    await serveFlags(cleanups, { files: [file], syncPort: server.syncPort });
    await harness.nth(ProviderEvents.Ready, 1);
    expectAllServed(await evaluating.stop(), true);
    expect(types(harness.events)).toEqual([ProviderEvents.Stale, ProviderEvents.Error, ProviderEvents.Ready]);
  });

  it('goes from STALE straight back to READY when the server returns within the grace period', async () => {
    const file = await writeBooleanFlags(directory, 'flags.json', { banner: true });
    const server = await serveFlags(cleanups, { files: [file] });
    const harness = new ProviderHarness({ sync: syncTo(server.syncPort, { retryGracePeriodMs: 60_000 }) });
    await harness.start();
    await server.close();
    await harness.nth(ProviderEvents.Stale, 1);
    await serveFlags(cleanups, { files: [file], syncPort: server.syncPort });
    await harness.nth(ProviderEvents.Ready, 1);
    expect(types(harness.events)).toEqual([ProviderEvents.Stale, ProviderEvents.Ready]);
  });

  it.skipIf(!built)(
    'survives the server process being killed, and takes the changed flags of its restart',
    async () => {
      const file = await writeBooleanFlags(directory, 'flags.json', { banner: true, legacy: true });
      const first = await runServe(file, 0);
      const harness = new ProviderHarness({ sync: syncTo(first.syncPort) });
      await harness.start();
      const evaluating = evaluateContinuously(harness.client, 'banner');
      first.child.kill('SIGKILL');
      await harness.nth(ProviderEvents.Stale, 1);
      await writeBooleanFlags(directory, 'flags.json', { banner: true, legacy: false });
      await runServe(file, first.syncPort);
      const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
      expectAllServed(await evaluating.stop(), true);
      expect(flagsChanged(changed)).toEqual(['legacy']);
      expect(types(harness.events).filter((type) => type !== ProviderEvents.Error)).toEqual([
        ProviderEvents.Stale,
        ProviderEvents.Ready,
        ProviderEvents.ConfigurationChanged,
      ]);
      expect(await harness.client.getBooleanValue('legacy', true)).toBe(false);
    },
  );

  it('starts from its cache file while the server is down, marked source: cache, then takes the live flags', async () => {
    const cachePath = path.join(directory, 'flags-cache.json');
    const file = `${directory}/targeted.json`;
    const rule = { if: [{ '==': [{ var: 'tier' }, 'gold'] }, 'on'] };
    const document = (defaultVariant: string) => ({
      flags: { perk: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant, targeting: rule } },
    });
    await writeFile(file, JSON.stringify(document('off')));
    const server = await serveFlags(cleanups, { files: [file] });
    const writer = new ProviderHarness({ sync: syncTo(server.syncPort, { cachePath }) });
    await writer.start();
    await OpenFeature.clearProviders();
    await server.close();

    const harness = new ProviderHarness({ sync: syncTo(server.syncPort, { cachePath }) });
    await harness.start();
    const gold = { tier: 'gold' };
    expect(await harness.client.getBooleanDetails('perk', false, gold)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { source: 'cache' },
    });
    expect(await harness.client.getBooleanDetails('perk', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DEFAULT',
      flagMetadata: { source: 'cache' },
    });

    await writeFile(file, JSON.stringify(document('on')));
    await serveFlags(cleanups, { files: [file], syncPort: server.syncPort });
    expect(flagsChanged(await harness.nth(ProviderEvents.ConfigurationChanged, 1))).toEqual(['perk']);
    const live = await harness.client.getBooleanDetails('perk', false);
    expect(live).toMatchObject({ value: true, variant: 'on', reason: 'DEFAULT' });
    expect(live.flagMetadata).not.toHaveProperty('source');
  });

  it('fails to initialise with neither server nor cache, keeps trying, and is READY once the server appears', async () => {
    const file = await writeBooleanFlags(directory, 'flags.json', { banner: true });
    const probe = await serveFlags(cleanups, { files: [file] });
    const port = probe.syncPort;
    await probe.close();
    const harness = new ProviderHarness({ sync: { host: '127.0.0.1', port, ...FAST_RECONNECT } });
    const events: ProviderEvents[] = [];
    for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.ConfigurationChanged])
      harness.client.addHandler(type, () => void events.push(type));
    await expect(OpenFeature.setProviderAndWait(harness.domain, harness.provider)).rejects.toThrow(
      `Cannot reach flag sync server 127.0.0.1:${port}`,
    );
    const ready = new Promise<void>((resolve) =>
      harness.client.addHandler(ProviderEvents.ConfigurationChanged, () => resolve()),
    );
    await serveFlags(cleanups, { files: [file], syncPort: port });
    await ready;
    expect(events).toEqual([ProviderEvents.Error, ProviderEvents.Ready, ProviderEvents.ConfigurationChanged]);
    expect(await harness.client.getBooleanDetails('banner', false)).toMatchObject({ value: true, reason: 'STATIC' });
  });
});

/** Runs `genesis-flags serve` in its own process and resolves once it listens. */
function runServe(file: string, port: number): Promise<{ readonly child: ChildProcess; readonly syncPort: number }> {
  const child = spawn(
    process.execPath,
    [cli, 'serve', file, '--sync-port', String(port), '--port', '0', '--ofrep-port', '0', '--management-port', '0'],
    {
      env: { PATH: process.env['PATH'] ?? '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  cleanups.push(() => (child.exitCode === null && child.signalCode === null ? child.kill('SIGKILL') : undefined));
  const output = child.stdout;
  if (output === null) throw new Error('no stdout pipe');
  return new Promise((resolve, reject) => {
    createInterface({ input: output }).on('line', (line) => {
      const match = /on 127\.0\.0\.1:(\d+), management/.exec(line);
      if (match !== null) resolve({ child, syncPort: Number(match[1]) });
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`genesis-flags serve exited before listening (${code ?? signal})`)),
    );
  });
}
