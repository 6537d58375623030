import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import { flagsChanged, makeTempDir, ProviderHarness, RecordingLogger, removeDir } from './provider-harness.js';

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await OpenFeature.close();
  await removeDir(dir);
});

const genesis = (flags: Record<string, unknown>) => `${JSON.stringify({ version: '1.0', flags }, null, 2)}\n`;

describe('GenesisProvider: requires across its files', () => {
  it('turns off a child of file B when its parent in file A is turned off, naming the child as changed', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await writeFile(a, genesis({ orchestration: { enabled: true } }));
    await writeFile(b, genesis({ planner: { enabled: true, requires: ['orchestration'] } }));
    const harness = new ProviderHarness({ path: [a, b], debounceMs: 20 });
    await harness.start();
    expect(await harness.client.getBooleanValue('planner', false)).toBe(true);

    await writeFile(a, genesis({ orchestration: { enabled: false } }));
    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);

    expect(flagsChanged(changed)).toEqual(['orchestration', 'planner']);
    expect(await harness.client.getBooleanValue('orchestration', true)).toBe(false);
    expect(await harness.client.getBooleanValue('planner', true)).toBe(false);
  });

  it('rejects initialisation when a parent is in none of the files, naming the child, the parent and both files', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await writeFile(a, genesis({ orchestration: { enabled: true } }));
    await writeFile(b, genesis({ planner: { enabled: true, requires: ['orchestraton'] } }));
    const provider = new GenesisProvider({ path: [a, b], environment: {}, logger: new RecordingLogger() });
    const failure = await OpenFeature.setProviderAndWait('cross-file-missing', provider).then(
      () => new Error('initialisation succeeded'),
      (error: unknown) => error as Error,
    );
    expect(failure.message).toContain(
      `flags.planner.requires[0]  names unknown flag "orchestraton" in any of ${a}, ${b} (did you mean "orchestration"?)`,
    );
  });
});
