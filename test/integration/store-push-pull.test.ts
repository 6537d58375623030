import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushCommand } from '../../src/cli/commands/push.js';
import { connectStore, createStoreClient, type StoreClient } from '../../src/store/connect-store.js';
import { readFlagSet, writeFlagSet } from '../../src/store/flag-set-store.js';
import { parseStoreUrl } from '../../src/store/store-url.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';
import { requireBuiltCli, runCli, TempFiles } from './cli-harness.js';

const booleanFlag = (variant: 'on' | 'off'): object => ({
  state: 'ENABLED',
  variants: { on: true, off: false },
  defaultVariant: variant,
});

/** Two flag files that share keys with different values, so a store holding a mix of them shows it. */
const FILE_A = { flags: { checkout: booleanFlag('on'), search: booleanFlag('on'), only_a: booleanFlag('on') } };
const FILE_B = { flags: { checkout: booleanFlag('off'), search: booleanFlag('off'), only_b: booleanFlag('off') } };

describe.runIf(redisServerInstalled())('push and pull (real redis-server)', () => {
  const files = new TempFiles();
  let redis: RedisServer;
  let client: StoreClient;
  const env = (): Record<string, string> => ({ GENESIS_FLAGS_STORE: redis.url });

  beforeAll(async () => {
    requireBuiltCli();
    redis = await startRedisServer();
    const location = parseStoreUrl(redis.url);
    if (!location.ok) throw new Error(location.error);
    const connected = await connectStore(createStoreClient(location.value), location.value);
    if (!connected.ok) throw new Error(connected.error);
    client = connected.value;
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
    files.removeAll();
  });

  it('pushes a file, prints the new revision, and pulls the same flags back', () => {
    const file = files.write('a.json', JSON.stringify(FILE_A));
    const pushed = runCli(['push', '--flag-set', 'round-trip', file], { env: env() });
    expect(pushed).toMatchObject({ code: 0, stderr: '' });
    expect(pushed.stdout).toBe('flag set "round-trip" at revision 1 (was 0): added checkout, only_a, search\n');
    const pulled = runCli(['pull', '--flag-set', 'round-trip', '--json'], { env: env() });
    expect(pulled.code).toBe(0);
    expect(JSON.parse(pulled.stdout)).toEqual({
      flagSet: 'round-trip',
      revision: 1,
      document: { flags: { checkout: booleanFlag('on'), only_a: booleanFlag('on'), search: booleanFlag('on') } },
    });
  });

  it('writes nothing for the same flags again, and prints what a dry run would change', () => {
    const a = files.write('a.json', JSON.stringify(FILE_A));
    const b = files.write('b.json', JSON.stringify(FILE_B));
    const store = ['--store', redis.url, '--flag-set', 'dry'];
    expect(runCli(['push', ...store, a]).code).toBe(0);
    expect(runCli(['push', ...store, a]).stdout).toBe('flag set "dry" unchanged at revision 1\n');
    const dry = runCli(['push', ...store, '--dry-run', b]);
    expect(dry.stdout).toBe(
      'flag set "dry" at revision 1: would change added only_b; changed checkout, search; removed only_a\n',
    );
    expect(JSON.parse(runCli(['pull', ...store, '--json']).stdout)).toMatchObject({ revision: 1 });
  });

  it('pushes nothing when validate refuses a file, with validate’s problems and exit code 1', () => {
    const good = files.write('good.json', JSON.stringify(FILE_A));
    const bad = files.write('bad.json', JSON.stringify({ flags: { broken: { state: 'ON' } } }));
    const pushed = runCli(['push', '--flag-set', 'refused', good, bad], { env: env() });
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain(`${bad}: 2 problem(s)\nnothing was pushed\n`);
    const pulled = runCli(['pull', '--flag-set', 'refused'], { env: env() });
    expect(pulled).toMatchObject({ code: 1, stdout: '' });
    expect(pulled.stderr).toBe(`Flag set "refused" is not in the store ${redis.url}: nothing was pushed to it\n`);
  });

  it('writes pull --out atomically and names the file', () => {
    const a = files.write('a.json', JSON.stringify(FILE_A));
    expect(runCli(['push', '--flag-set', 'out', a], { env: env() }).code).toBe(0);
    const out = files.write('pulled.json', 'old content');
    const pulled = runCli(['pull', '--flag-set', 'out', '--out', out], { env: env() });
    expect(pulled.stdout).toBe(`flag set "out" at revision 1 written to ${out}\n`);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ flags: { only_a: booleanFlag('on') } });
  });

  it('refuses a write based on a revision the store has moved past, naming both revisions', async () => {
    const base = await readFlagSet(client, 'cas');
    if (!base.ok) throw new Error(base.error);
    const first = await writeFlagSet(client, base.value, FILE_A as never);
    expect(first.ok && first.value.revision).toBe(1);
    const stale = await writeFlagSet(client, base.value, FILE_B as never);
    expect(stale).toEqual({
      ok: false,
      error: {
        kind: 'stale',
        readRevision: 0,
        storeRevision: 1,
        message:
          'Flag set "cas" changed while this write was prepared: it was read at revision 0, the store is now at revision 1; nothing was written (read it again and retry)',
      },
    });
    const now = await readFlagSet(client, 'cas');
    expect(now.ok && Object.keys(now.value.document?.flags ?? {})).toEqual(['checkout', 'only_a', 'search']);
  });

  it('ends two simultaneous pushes of different files with exactly one of them, or one refused, 50 times', async () => {
    const a = files.write('a.json', JSON.stringify(FILE_A));
    const b = files.write('b.json', JSON.stringify(FILE_B));
    const canonicalA = { flags: { checkout: booleanFlag('on'), only_a: booleanFlag('on'), search: booleanFlag('on') } };
    const canonicalB = {
      flags: { checkout: booleanFlag('off'), only_b: booleanFlag('off'), search: booleanFlag('off') },
    };
    const outcomes = { refused: 0, bothWritten: 0 };
    for (let trial = 0; trial < 50; trial++) {
      const flagSet = `race-${trial}`;
      const flags = { store: redis.url, flagSet };
      const [pushA, pushB] = await Promise.all([pushCommand([a], flags, {}), pushCommand([b], flags, {})]);
      const stored = await readFlagSet(client, flagSet);
      if (!stored.ok) throw new Error(stored.error);
      const refused = [pushA, pushB].filter((push) => push.exitCode !== 0);
      expect(refused.length).toBeLessThanOrEqual(1);
      for (const push of refused)
        expect(push.stderr).toEqual([
          `Flag set "${flagSet}" changed while this write was prepared: it was read at revision 0, the store is now at revision 1; nothing was written (read it again and retry)`,
        ]);
      const winner = refused.length === 1 ? (pushA.exitCode === 0 ? canonicalA : canonicalB) : undefined;
      if (winner !== undefined) expect(stored.value).toEqual({ flagSetId: flagSet, revision: 1, document: winner });
      else expect([canonicalA, canonicalB]).toContainEqual(stored.value.document);
      outcomes.refused += refused.length;
      outcomes.bothWritten += refused.length === 0 ? 1 : 0;
    }
    expect(outcomes.refused + outcomes.bothWritten).toBe(50);
  });
});
