import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentState, JournalEntry } from '../../src/deploy/state/deployment-state.js';
import { FIXTURE_FLAGS } from '../fixtures/deploy/deploy-workspace.js';
import { requireBuiltCli, spawnCli, type CliProcess } from '../fixtures/deploy/run-cli.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';
import { waitFor } from '../fixtures/wait-for.js';

const FLAG = 'phase_4_deployment';
const SET = 'genesis-flags:{default}:set';
const KEYS = {
  state: 'genesis-flags:{default}:deploy:state',
  journal: 'genesis-flags:{default}:deploy:journal',
  lease: 'genesis-flags:{default}:deploy:lease',
  controllers: 'genesis-flags:{default}:deploy:controllers',
};

describe.runIf(redisServerInstalled())('rollouts in a Redis store, driven by controller processes', () => {
  let redis: RedisServer;
  let client: Redis;
  const running: CliProcess[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    redis = await startRedisServer();
    client = new Redis(redis.port, '127.0.0.1');
  });
  afterEach(async () => {
    for (const process of running.splice(0)) {
      process.child.kill('SIGCONT');
      process.child.kill('SIGKILL');
      await process.done;
    }
    await client.flushdb();
  });
  afterAll(async () => {
    client.disconnect();
    await redis.stop();
  });

  /** Pushes `document` (a Genesis flag file) with `genesis-flags push`, as a CI job would. */
  async function push(document: unknown): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'genesis-push-'));
    const file = join(dir, 'feature_flags.json');
    await writeFile(file, JSON.stringify(document, null, 2));
    const pushed = await spawnCli(['push', '--store', redis.url, file], dir).done;
    await rm(dir, { recursive: true, force: true });
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
  }

  async function seedFlagSet(): Promise<void> {
    await push(JSON.parse(await readFile(FIXTURE_FLAGS, 'utf8')));
  }

  function controller(leaseTtl: string): CliProcess {
    const started = spawnCli(['controller', '--store', redis.url, '--lease-ttl', leaseTtl], process.cwd());
    running.push(started);
    return started;
  }

  async function state(): Promise<DeploymentState> {
    return JSON.parse((await client.get(KEYS.state)) ?? 'null') as DeploymentState;
  }

  async function journal(): Promise<JournalEntry[]> {
    return (await client.lrange(KEYS.journal, 0, -1)).map((line) => JSON.parse(line) as JournalEntry);
  }

  async function leader(): Promise<{ pid: number; epoch: number } | null> {
    const holder = await client.hget(KEYS.lease, 'holder');
    return holder === null ? null : (JSON.parse(holder) as { pid: number; epoch: number });
  }

  async function startRollout(steps: string, stepDuration: string): Promise<void> {
    const started = spawnCli(
      ['deploy', 'start', '--store', redis.url, '--flag', FLAG, '--strategy', 'custom', '--steps', steps].concat([
        '--step-duration',
        stepDuration,
        '--detach',
      ]),
      process.cwd(),
    );
    const result = await started.done;
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('handed to the running controller');
  }

  async function controllersRegistered(count: number): Promise<void> {
    await waitFor(`${count} controllers to register`, async () => (await client.hlen(KEYS.controllers)) >= count);
  }

  it('completes a rollout while its leader is killed with SIGKILL five times; the journal has every step once', async () => {
    await seedFlagSet();
    const controllers = [controller('500ms'), controller('500ms'), controller('500ms')];
    await controllersRegistered(3);
    await startRollout('0,20,40,60,80,100', '1500ms');

    // Killed right after each of the first five transitions, so every kill lands mid-rollout.
    const killed: number[] = [];
    for (let seq = 1; seq <= 5; seq += 1) {
      await waitFor(`transition ${seq} by a live leader`, async () => {
        const current = await leader();
        return (await state()).seq >= seq && current !== null && !killed.includes(current.pid);
      });
      const current = await leader();
      const victim = controllers.find((candidate) => candidate.child.pid === current?.pid);
      if (victim === undefined) throw new Error(`The leader ${current?.pid} is none of the controllers started`);
      expect((await state()).status).toBe('running');
      victim.child.kill('SIGKILL');
      killed.push(victim.child.pid ?? 0);
      controllers.push(controller('500ms'));
    }

    await waitFor('the rollout to complete', async () => (await journal()).at(-1)?.event === 'complete');
    const entries = await journal();
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries.map((entry) => entry.event)).toEqual([
      'start',
      'advance',
      'advance',
      'advance',
      'advance',
      'complete',
    ]);
    expect(entries.map((entry) => entry.to.percentage)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(new Set(killed).size).toBe(5);
    expect((await state()).status).toBe('completed');
    const rollout = JSON.parse((await client.hget(SET, 'rollout')) ?? '{}') as { flags: Record<string, unknown> };
    expect(rollout.flags[FLAG]).toMatchObject({ set: { rollout_percentage: 100 } });
  }, 60_000);

  it('refuses every write of a leader stopped past its lease: the store is unchanged by it when it continues', async () => {
    await seedFlagSet();
    const first = controller('600ms');
    await controllersRegistered(1);
    await startRollout('0,50,100', '1500ms');
    await waitFor('the first controller to lead', async () => (await leader())?.pid === first.child.pid);
    first.child.kill('SIGSTOP');

    // The second holds its lease long, so it keeps it while stopped too and nothing else writes.
    const second = controller('60s');
    await waitFor('the second controller to take the lease', async () => (await leader())?.pid === second.child.pid);
    await waitFor('the second controller to write a stage', async () => (await state()).stageIndex >= 1);
    second.child.kill('SIGSTOP');
    const before = {
      state: await client.get(KEYS.state),
      set: await client.hgetall(SET),
      journal: await client.lrange(KEYS.journal, 0, -1),
    };

    first.child.kill('SIGCONT');
    await waitFor('the first controller to be refused', async () => first.stderr().includes('the lease moved on'));
    expect(first.stderr()).toMatch(/refused, the lease moved on \(lease epoch 3, writer 2\)/);
    expect(await client.get(KEYS.state)).toBe(before.state);
    expect(await client.hgetall(SET)).toEqual(before.set);
    expect(await client.lrange(KEYS.journal, 0, -1)).toEqual(before.journal);

    second.child.kill('SIGCONT');
    await waitFor('the rollout to complete', async () => (await journal()).at(-1)?.event === 'complete');
    expect((await journal()).map((entry) => entry.seq)).toEqual([1, 2, 3]);
  }, 60_000);

  it('pauses when a push changes the flag mid-rollout, and the pushed flags stay served', async () => {
    await seedFlagSet();
    controller('2s');
    await controllersRegistered(1);
    // Stages long enough that the push below lands mid-rollout however slow the machine.
    await startRollout('0,50,100', '60s');
    await waitFor('stage 0 served', async () => (await state()).applied);

    const source = JSON.parse((await client.hget(SET, 'source')) ?? '{}') as {
      flags: Record<string, Record<string, unknown>>;
    };
    source.flags[FLAG] = { ...source.flags[FLAG], rollout_strategy: 'percentage', rollout_percentage: 10 };
    await push(source);
    const pushedRevision = Number(await client.hget(SET, 'revision'));

    await waitFor('the rollout to pause', async () => (await state()).status === 'paused');
    expect((await state()).reason).toBe(
      `flag ${FLAG} was changed by hand in ${redis.url} flag set default: rollout_strategy "progressive" → "percentage", rollout_percentage null → 10 (pushed, revision ${pushedRevision}); your edit is served: resume to roll out over it, or roll back`,
    );
    expect(JSON.parse((await client.hget(SET, 'source')) ?? '{}')).toEqual(source);
    const served = JSON.parse((await client.hget(SET, 'document')) ?? '{}') as { flags: Record<string, unknown> };
    expect(JSON.stringify(served.flags[FLAG])).toContain('["on",1000],["off",9000]');
    expect((await journal()).at(-1)?.event).toBe('pause');
  }, 60_000);
  it('starts a background controller for --detach without the store URL on its command line', async () => {
    await seedFlagSet();
    const cwd = await mkdtemp(join(tmpdir(), 'genesis-detach-'));
    const started = spawnCli(
      ['deploy', 'start', '--store', redis.url, '--flag', FLAG, '--strategy', 'custom', '--steps', '0,100'].concat([
        '--step-duration',
        '1h',
        '--detach',
      ]),
      cwd,
    );
    const result = await started.done;
    const pid = Number(/started in the background, pid (\d+)/.exec(result.stdout)?.[1]);
    try {
      expect(pid).toBeGreaterThan(0);
      // Every user of the machine can read a command line; a store URL may carry a password.
      const commandLine = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      expect(commandLine.filter((argument) => argument.includes('redis://'))).toEqual([]);
      expect(commandLine).toContain('--flag-set');
      await waitFor('the background controller to take the lease', async () => (await leader())?.pid === pid);
    } finally {
      if (pid > 0) process.kill(pid, 'SIGKILL');
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
