import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushCommand } from '../../src/cli/commands/push.js';
import { connectStore, createStoreClient, type StoreClient } from '../../src/store/connect-store.js';
import { readFlagSet, writeFlagSet } from '../../src/store/flag-set-store.js';
import { StoreFlagSource } from '../../src/store/store-flag-source.js';
import { deploymentKeys } from '../../src/deploy/persistence/redis-deployment-keys.js';
import { RedisDeploymentRecords } from '../../src/deploy/persistence/redis-deployment-state.js';
import { tryAcquireLease } from '../../src/deploy/persistence/redis-lease.js';
import { parseStoreUrl, type StoreLocation } from '../../src/store/store-url.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';
import { listenerWith } from '../fixtures/source-listener.js';
import { waitFor } from '../fixtures/wait-for.js';
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
      if (winner !== undefined)
        expect(stored.value).toEqual({
          flagSetId: flagSet,
          revision: 1,
          writeId: expect.any(String),
          document: winner,
        });
      else expect([canonicalA, canonicalB]).toContainEqual(stored.value.document);
      outcomes.refused += refused.length;
      outcomes.bothWritten += refused.length === 0 ? 1 : 0;
    }
    expect(outcomes.refused + outcomes.bothWritten).toBe(50);
  });

  describe('a store whose history changes under a live connection (FLUSHDB, an older copy restored)', () => {
    /** Database 7 of the shared server: FLUSHDB there touches nothing the other cases use. */
    let history: StoreClient;
    let location: StoreLocation;
    const push = async (flagSet: string, document: object): Promise<number> => {
      const read = await readFlagSet(history, flagSet);
      if (!read.ok) throw new Error(read.error);
      const written = await writeFlagSet(history, read.value, document as never);
      if (!written.ok) throw new Error(written.error.message);
      return written.value.revision;
    };
    /** A replica's source following `flagSet`: what it served last, and its warnings. */
    const follow = async (flagSet: string, blockMs: number) => {
      const served: string[] = [];
      const warnings: string[] = [];
      const source = new StoreFlagSource(
        { location, flagSetId: flagSet, blockMs, onWarning: (message) => warnings.push(message) },
        listenerWith({ payload: (text) => served.push(text) }),
      );
      await source.start();
      return { source, served, warnings, last: () => JSON.parse(served.at(-1) ?? 'null') as unknown };
    };
    const canonical = (document: { flags: Record<string, object> }): object => ({
      flags: Object.fromEntries(Object.entries(document.flags).sort(([a], [b]) => a.localeCompare(b))),
    });

    beforeAll(async () => {
      const parsed = parseStoreUrl(`${redis.url}/7`);
      if (!parsed.ok) throw new Error(parsed.error);
      location = parsed.value;
      const connected = await connectStore(createStoreClient(location), location);
      if (!connected.ok) throw new Error(connected.error);
      history = connected.value;
    });
    afterAll(() => history.disconnect());

    it('reloads and warns when the revision goes back with no write after it, naming the set and both revisions', async () => {
      await push('back', FILE_A);
      await push('back', FILE_B);
      // A short block: the quiet log is where a revision that only went back shows.
      const replica = await follow('back', 100);
      try {
        expect(replica.source.revision).toBe(2);
        await history.flushdb();
        await push('back', FILE_A);
        await waitFor('the replica to serve revision 1', async () => replica.source.revision === 1);
        expect(replica.last()).toEqual(canonical(FILE_A));
        expect(replica.warnings).toEqual([
          `flag set "back" in ${location.redacted}: the store went back to revision 1 while revision 2 was served (the store was flushed or restored from an older copy); reloading the snapshot`,
        ]);
      } finally {
        await replica.source.stop();
      }
    });

    it('does not apply a change written over another history that reuses the revision it serves', async () => {
      const FILE_C = { flags: { checkout: booleanFlag('on'), only_c: booleanFlag('on') } };
      await push('reuse', FILE_A);
      await push('reuse', FILE_B);
      // A block longer than the test: only the log entry of revision 3 can tell the replica.
      const replica = await follow('reuse', 60_000);
      try {
        expect(replica.last()).toEqual(canonical(FILE_B));
        await history.flushdb();
        await push('reuse', FILE_B);
        await push('reuse', FILE_A);
        expect(await push('reuse', FILE_C)).toBe(3);
        await waitFor('the replica to serve revision 3', async () => replica.source.revision === 3);
        // Revision 3 applied over the replica's own revision 2 (FILE_B) would keep only_b and lose only_a's absence.
        expect(replica.last()).toEqual(canonical(FILE_C));
        expect(replica.warnings).toEqual([
          `flag set "reuse" in ${location.redacted}: revision 3 was written over another revision 2 than the one served while revision 2 was served (the store was flushed or restored from an older copy); reloading the snapshot`,
        ]);
      } finally {
        await replica.source.stop();
      }
    });

    it('refuses a write read before the store went back, even at the same revision number', async () => {
      await push('fence', FILE_A);
      const before = await readFlagSet(history, 'fence');
      if (!before.ok) throw new Error(before.error);
      await history.flushdb();
      await push('fence', FILE_B);
      const stale = await writeFlagSet(history, before.value, { flags: { only_late: booleanFlag('on') } } as never);
      expect(stale.ok).toBe(false);
      expect(!stale.ok && stale.error.message).toBe(
        'Flag set "fence" changed while this write was prepared: it was read at revision 1, the store is now at revision 1; nothing was written (read it again and retry)',
      );
      const now = await readFlagSet(history, 'fence');
      expect(now.ok && now.value.document).toEqual(canonical(FILE_B));
    });

    it('refuses the writes of a lease holder from before a FLUSHDB, though the new holder got the same epoch', async () => {
      const keys = deploymentKeys('genesis-flags:{fenced}');
      const take = async () => {
        const attempt = await tryAcquireLease(history, keys, 'deploy start', Date.now(), { ttlMs: 60_000 });
        if (!attempt.acquired) throw new Error('the lease is held');
        return attempt.lock;
      };
      const before = await take();
      await history.flushdb();
      const after = await take();
      expect([before.holder.epoch, after.holder.epoch]).toEqual([1, 1]);
      const records = new RedisDeploymentRecords(history, keys, 'the store');
      await expect(records.writeState({ written: 'before' } as never, before)).rejects.toThrow(
        'Cannot write deployment state to the store: refused, the lease moved on (lease epoch 1 of another holder (the store was flushed or restored), writer 1)',
      );
      await records.writeState({ written: 'after' } as never, after);
      expect(await history.get(keys.state)).toBe('{"written":"after"}');
      await expect(before.verify()).rejects.toThrow(
        'The lease moved on: this process held epoch 1, it is now 1 (another holder: the store was flushed or restored)',
      );
      await after.release();
    });
  });
});
