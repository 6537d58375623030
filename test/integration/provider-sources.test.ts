import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import {
  booleanFlags,
  flagsChanged,
  makeTempDir,
  ProviderHarness,
  RecordingLogger,
  removeDir,
} from './provider-harness.js';

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir();
});

afterEach(async () => {
  await OpenFeature.close();
  await removeDir(dir);
});

async function initialisationError(options: ConstructorParameters<typeof GenesisProvider>[0]): Promise<Error> {
  const provider = new GenesisProvider({ environment: {}, logger: new RecordingLogger(), ...options });
  const failure = await OpenFeature.setProviderAndWait(`failing-${Math.random()}`, provider).then(
    () => new Error('initialisation succeeded'),
    (error: unknown) => error as Error,
  );
  return failure;
}

const YAML_FLAGS = `flags:
  color:
    state: ENABLED
    variants:
      red: '#f00'
      blue: '#00f'
    defaultVariant: blue
    targeting:
      if:
        - ends_with: [{ var: email }, '@example.com']
        - red
        - null
`;

describe('GenesisProvider sources', () => {
  it('rejects initialisation with "File not found: <path>" when the file is missing', async () => {
    const missing = join(dir, 'absent.json');
    expect((await initialisationError({ path: missing })).message).toBe(`File not found: ${missing}`);
  });

  it('rejects initialisation naming the missing file when one of several is missing', async () => {
    const present = join(dir, 'present.json');
    const missing = join(dir, 'absent.json');
    await writeFile(present, booleanFlags({ a: true }));
    expect((await initialisationError({ path: [present, missing] })).message).toBe(`File not found: ${missing}`);
  });

  it('rejects initialisation with the file, line and column of malformed JSON', async () => {
    const file = join(dir, 'broken.json');
    // Line 3 is `    "a": ,`: four spaces, `"a"` in columns 5-7, the colon in 8, a space, the comma in 10.
    await writeFile(file, '{\n  "flags": {\n    "a": ,\n  }\n}\n');
    expect((await initialisationError({ path: file })).message).toContain(`${file}:3:10`);
  });

  it('rejects initialisation when no file and no inline flags are configured', async () => {
    expect((await initialisationError({})).message).toMatch(/^No flags to serve/);
  });

  it('evaluates a YAML file with targeting', async () => {
    const file = join(dir, 'flags.yaml');
    await writeFile(file, YAML_FLAGS);
    const harness = new ProviderHarness({ path: file });
    await harness.start();
    expect(await harness.client.getStringDetails('color', 'grey', { email: 'ann@example.com' })).toMatchObject({
      value: '#f00',
      variant: 'red',
      reason: 'TARGETING_MATCH',
    });
    expect(await harness.client.getStringDetails('color', 'grey', { email: 'bob@elsewhere.org' })).toMatchObject({
      value: '#00f',
      variant: 'blue',
      reason: 'DEFAULT',
    });
  });

  it('lets later files win per key and warns about the key defined twice', async () => {
    const base = join(dir, 'base.json');
    const override = join(dir, 'override.yaml');
    await writeFile(base, booleanFlags({ a: true, b: true }));
    await writeFile(
      override,
      'flags:\n  b: { state: ENABLED, variants: { on: true, off: false }, defaultVariant: "off" }\n',
    );
    const harness = new ProviderHarness({ path: [base, override] });
    await harness.start();

    expect(await harness.client.getBooleanValue('a', false)).toBe(true);
    expect(await harness.client.getBooleanValue('b', true)).toBe(false);
    expect(harness.logger.warnings.some((warning) => warning.includes('b') && warning.includes(override))).toBe(true);
  });

  it('reports as changed only the keys whose winning definition changed', async () => {
    const base = join(dir, 'base.json');
    const override = join(dir, 'override.json');
    await writeFile(base, booleanFlags({ a: true, b: true }));
    await writeFile(override, booleanFlags({ b: false }));
    const harness = new ProviderHarness({ path: [base, override] });
    await harness.start();

    await writeFile(base, booleanFlags({ a: false, b: false }));
    const changed = await harness.nth(ProviderEvents.ConfigurationChanged, 1);
    expect(flagsChanged(changed)).toEqual(['a']);
    expect(await harness.client.getBooleanValue('b', true)).toBe(false);
  });

  it('serves an inline document, with files winning over it per key', async () => {
    const file = join(dir, 'flags.json');
    await writeFile(file, booleanFlags({ a: true }));
    const flags = JSON.parse(booleanFlags({ a: false, x: true }));
    const harness = new ProviderHarness({ path: file, flags });
    await harness.start();
    expect(await harness.client.getBooleanValue('a', false)).toBe(true);
    expect(await harness.client.getBooleanValue('x', false)).toBe(true);
  });

  it('reads the file path from FLAGD_OFFLINE_FLAG_SOURCE_PATH when no path option is given', async () => {
    const file = join(dir, 'flags.json');
    await writeFile(file, booleanFlags({ from_env_path: true }));
    const harness = new ProviderHarness({ environment: { FLAGD_OFFLINE_FLAG_SOURCE_PATH: file } });
    await harness.start();
    expect(await harness.client.getBooleanValue('from_env_path', false)).toBe(true);
  });
});
