import { hostname } from 'node:os';
import { OpenFeature } from '@openfeature/server-sdk';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentState, JournalEntry } from '../../src/deploy/state/deployment-state.js';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import { FIXTURE_FLAGS } from '../fixtures/deploy/deploy-workspace.js';
import { jsonLines, requireBuiltCli, spawnCli, waitForOutput, type CliProcess } from '../fixtures/deploy/run-cli.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../fixtures/redis-server.js';
import { waitFor } from '../fixtures/wait-for.js';
import { syncTo } from './provider-sync-harness.js';
import { RecordingLogger } from './sync-flag-server.js';

const FLAG = 'phase_4_deployment';
const KEYS = {
  set: 'genesis-flags:{default}:set',
  state: 'genesis-flags:{default}:deploy:state',
  journal: 'genesis-flags:{default}:deploy:journal',
  lease: 'genesis-flags:{default}:deploy:lease',
  controllers: 'genesis-flags:{default}:deploy:controllers',
  replicas: 'genesis-flags:{default}:replicas',
};

interface Presence {
  readonly id: string;
  readonly pid: number;
  readonly revision: number;
  readonly streams: number;
  readonly streamsAtRevision: number;
}

describe.runIf(redisServerInstalled())('a rollout that waits for the fleet of serve --store replicas', () => {
  let redis: RedisServer;
  let client: Redis;
  const replicas: CliProcess[] = [];
  /** Two replicas that run the controller (the lease elects one), and one that does not. */
  let leaders: CliProcess[];
  let follower: CliProcess;

  /** A replica on free ports with one GenesisProvider subscribed to its sync port. */
  async function replica(index: number, extra: readonly string[]): Promise<CliProcess> {
    const ports = ['--port', '0', '--sync-port', '0', '--ofrep-port', '0', '--management-port', '0'];
    const started = spawnCli(['serve', '--store', redis.url, ...ports, ...extra], process.cwd());
    replicas.push(started);
    await waitForOutput(started, (stdout) => stdout.includes('management on'));
    const syncPort = Number(/sync \(gRPC, plaintext\) on 127\.0\.0\.1:(\d+)/.exec(started.stdout())?.[1]);
    const provider = new GenesisProvider({ sync: syncTo(syncPort), logger: new RecordingLogger() });
    await OpenFeature.setProviderAndWait(`fleet-rollout-${index}`, provider);
    return started;
  }

  async function presences(): Promise<Presence[]> {
    return Object.values(await client.hgetall(KEYS.replicas)).map((text) => JSON.parse(text) as Presence);
  }

  async function state(): Promise<DeploymentState> {
    return JSON.parse((await client.get(KEYS.state)) ?? 'null') as DeploymentState;
  }

  async function events(): Promise<string[]> {
    return (await client.lrange(KEYS.journal, 0, -1)).map((line) => (JSON.parse(line) as JournalEntry).event);
  }

  async function leaseHolder(): Promise<{ pid: number; command: string } | null> {
    const holder = await client.hget(KEYS.lease, 'holder');
    return holder === null ? null : (JSON.parse(holder) as { pid: number; command: string });
  }

  async function deploy(args: readonly string[]): Promise<string> {
    const result = await spawnCli(['deploy', ...args, '--store', redis.url], process.cwd()).done;
    expect(result.stderr).toBe('');
    return result.stdout;
  }

  beforeAll(async () => {
    requireBuiltCli();
    redis = await startRedisServer();
    client = new Redis(redis.port, '127.0.0.1');
    const pushed = await spawnCli(['push', '--store', redis.url, FIXTURE_FLAGS], process.cwd()).done;
    expect(pushed.code).toBe(0);
    // A long presence on the follower, so that stopped it stays in the fleet, lagging, past the timeout.
    const controllerArgs = ['--presence-interval', '1s', '--lease-ttl', '1s', '--delivery-timeout', '6s'];
    leaders = [await replica(0, controllerArgs), await replica(1, controllerArgs)];
    follower = await replica(2, ['--presence-interval', '30s', '--no-controller']);
    await waitFor('three replicas, each with its stream', async () => {
      const present = await presences();
      return present.length === 3 && present.every((presence) => presence.streamsAtRevision === 1);
    });
    await waitFor('both controllers registered', async () => (await client.hlen(KEYS.controllers)) === 2);
  }, 90_000);

  afterAll(async () => {
    await OpenFeature.clearProviders();
    for (const started of replicas) {
      started.child.kill('SIGCONT');
      started.child.kill('SIGKILL');
      await started.done;
    }
    client?.disconnect();
    await redis?.stop();
  });

  it('holds a stage a stopped replica has not sent to its stream, then pauses naming that replica', async () => {
    follower.child.kill('SIGSTOP');
    const revision = Number(await client.hget(KEYS.set, 'revision'));
    // In the foreground, following the controller: it prints the fleet while the stage waits, in JSON.
    const started = await spawnCli(
      [
        'deploy',
        'start',
        '--flag',
        FLAG,
        '--strategy',
        'custom',
        '--steps',
        '0,50,100',
        '--step-duration',
        '3s',
      ].concat(['--json', '--store', redis.url]),
      process.cwd(),
    ).done;
    expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 4, stderr: '' });
    const printed = jsonLines(started.stdout);
    expect(printed.find((line) => line['event'] === 'note')?.['message']).toMatch(/^handed to the running controller/);

    expect((await state()).status).toBe('paused');
    const stopped = (await presences()).find((presence) => presence.pid === follower.child.pid);
    expect(stopped).toMatchObject({ revision, streams: 1, streamsAtRevision: 1 });
    const looks = printed.filter((line) => line['event'] === 'fleet');
    expect(looks.at(-1)).toMatchObject({
      flag: FLAG,
      stage: 0,
      revision: revision + 1,
      replicas: 3,
      replicasDelivered: 2,
      streams: 3,
      streamsDelivered: 2,
      lagging: [{ id: stopped?.id, host: hostname(), pid: follower.child.pid, revision, streams: 1, streamsBehind: 1 }],
    });
    expect(looks.at(-1)).not.toHaveProperty('timeoutMs');
    // On change or every 5 s, not at every 250 ms poll of a wait of about 6 s.
    expect(looks.length).toBeGreaterThanOrEqual(2);
    expect(looks.length).toBeLessThanOrEqual(6);
    expect(printed.at(-1)).toMatchObject({ event: 'result', outcome: 'paused', exitCode: 4 });
    const paused = await state();
    expect(paused.reason).toBe(
      `revision ${revision + 1} not delivered to every stream within 6s (1 of 3 replicas): replica ${stopped?.id} ` +
        `(host ${hostname()}, pid ${follower.child.pid}) serves revision ${revision}, 1 of 1 streams behind; ` +
        'resume to write the stage again and wait anew',
    );
    expect({ stage: paused.stageIndex, deliveredAt: paused.delivery?.deliveredAt }).toEqual({
      stage: 0,
      deliveredAt: null,
    });
    expect(await events()).toEqual(['start', 'pause']);

    const status = JSON.parse(await deploy(['status', '--json'])) as {
      controller: { holder: { pid: number; host: string; epoch: number } | null };
      fleet: { stageRevision: number; waiting: boolean; lagging: string[]; replicas: Record<string, unknown>[] };
    };
    expect(status.fleet.stageRevision).toBe(revision + 1);
    expect(status.fleet.lagging).toEqual([stopped?.id]);
    expect(
      status.fleet.replicas.map(({ pid, revision: served, streams, streamsAtStage }) => ({
        pid,
        served,
        streams,
        streamsAtStage,
      })),
    ).toEqual(
      expect.arrayContaining([
        { pid: leaders[0]?.child.pid, served: revision + 1, streams: 1, streamsAtStage: 1 },
        { pid: leaders[1]?.child.pid, served: revision + 1, streams: 1, streamsAtStage: 1 },
        { pid: follower.child.pid, served: revision, streams: 1, streamsAtStage: 0 },
      ]),
    );
    const human = await deploy(['status']);
    expect(human).toMatch(new RegExp(`fleet: revision ${revision + 1} at every stream of 2/3 replicas`));
    expect(human).toContain(
      `${stopped?.id} on ${hostname()} pid ${follower.child.pid}: revision ${revision}, streams 0/1 (behind)`,
    );
  }, 60_000);

  it('starts the stage clock once every replica has sent the stage to all its streams', async () => {
    follower.child.kill('SIGCONT');
    const stageRevision = Number(await client.hget(KEYS.set, 'stage-revision'));
    await waitFor('the follower to catch up', async () =>
      (await presences()).every((presence) => presence.revision === stageRevision),
    );
    await deploy(['resume']);
    await waitFor('the stage delivered', async () => ((await state()).delivery?.deliveredAt ?? null) !== null);
    const delivered = await state();
    expect(delivered.stageEnteredAt).toBe(delivered.delivery?.deliveredAt);
    expect(Date.parse(delivered.stageEnteredAt)).toBeGreaterThanOrEqual(
      Date.parse(delivered.delivery?.writtenAt ?? ''),
    );
    const served = Number(await client.hget(KEYS.set, 'stage-revision'));
    for (const presence of await presences())
      expect(presence.revision >= served && presence.streamsAtRevision === presence.streams).toBe(true);

    const status = JSON.parse(await deploy(['status', '--json'])) as {
      controller: { holder: { pid: number; host: string; epoch: number; command: string } | null };
    };
    const holder = status.controller.holder;
    expect(leaders.map((leader) => leader.child.pid)).toContain(holder?.pid);
    expect({ host: holder?.host, command: holder?.command, epoch: typeof holder?.epoch }).toEqual({
      host: hostname(),
      command: 'serve',
      epoch: 'number',
    });
    await waitFor('the advance to 50%', async () => (await state()).stageIndex === 1);
  }, 60_000);

  it('completes the rollout under another serve replica once the leading one is killed with SIGKILL', async () => {
    const leader = await leaseHolder();
    const victim = leaders.find((candidate) => candidate.child.pid === leader?.pid);
    const survivor = leaders.find((candidate) => candidate !== victim);
    if (victim === undefined || survivor === undefined)
      throw new Error(`The leader ${leader?.pid} is no serve replica`);
    expect((await state()).status).toBe('running');
    victim.child.kill('SIGKILL');

    await waitFor('the other replica to take the lease', async () => (await leaseHolder())?.pid === survivor.child.pid);
    await waitFor('the rollout to complete', async () => (await events()).at(-1) === 'complete');
    expect((await state()).status).toBe('completed');
    expect(await events()).toEqual(['start', 'pause', 'resume', 'advance', 'complete']);
    const rollout = JSON.parse((await client.hget(KEYS.set, 'rollout')) ?? '{}') as { flags: Record<string, unknown> };
    expect(rollout.flags[FLAG]).toMatchObject({ set: { rollout_percentage: 100 } });
  }, 60_000);

  it('follows the next rollout in the foreground, printing the delivery that starts each stage', async () => {
    const survivor = await leaseHolder();
    // The killed replica's presence expires within three presence intervals; then two replicas are left.
    await waitFor('the killed replica gone from the fleet', async () => (await presences()).length === 2);
    // A bake holds the last stage too, so that both stages wait for the fleet.
    const plan = ['--strategy', 'custom', '--steps', '50,100', '--step-duration', '1s', '--bake', '1s'];
    const args = ['deploy', 'start', '--flag', 'aatc_system_enabled', ...plan, '--json', '--store', redis.url];
    const started = await spawnCli(args, process.cwd()).done;
    expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = jsonLines(started.stdout);
    expect(printed.find((line) => line['event'] === 'note')?.['message']).toMatch(/^handed to the running controller/);
    const delivered = printed.filter((line) => line['event'] === 'delivered');
    expect(
      delivered.map(({ flag, stage, percentage, replicas, streams }) => ({
        flag,
        stage,
        percentage,
        replicas,
        streams,
      })),
    ).toEqual([
      { flag: 'aatc_system_enabled', stage: 0, percentage: 50, replicas: 2, streams: 2 },
      { flag: 'aatc_system_enabled', stage: 1, percentage: 100, replicas: 2, streams: 2 },
    ]);
    const revisions = delivered.map((line) => Number(line['revision']));
    expect(revisions[1]).toBeGreaterThan(revisions[0] ?? Infinity);
    expect(printed.at(-1)).toMatchObject({ event: 'result', outcome: 'completed', exitCode: 0 });
    expect((await leaseHolder())?.pid).toBe(survivor?.pid);
  }, 60_000);
});
