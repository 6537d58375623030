import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroup } from '../../examples/fleet/process-group.js';
import { ORCHESTRATOR_FLAG_KEYS } from '../../examples/orchestrator/orchestrator-flags.js';
import { PROVIDER_KINDS } from '../../examples/orchestrator/provider-kind.js';
import { CALLERS, type ProviderAnswers } from '../../examples/swap-provider/provider-answers.js';
import {
  call,
  CLI_PATH,
  compileExamples,
  eventually,
  requireBuiltCli,
  SHIPPED_FLAGS,
  type ExamplesBuild,
} from './examples-harness.js';

/*
 * The orchestrator compiled and run as separate processes, one per provider, chosen by
 * ORCHESTRATOR_PROVIDER alone; the sync-fed ones read a real `genesis-flags serve` on a free port.
 */

let build: ExamplesBuild;
let dir: string;
let group: ProcessGroup | undefined;

beforeAll(async () => {
  requireBuiltCli();
  build = await compileExamples('swap');
}, 120_000);

afterAll(async () => {
  await build.cleanup();
});

afterEach(async () => {
  await group?.stopAll(5000);
  group = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

interface Instance {
  readonly url: string;
}

function processes(): ProcessGroup {
  group ??= new ProcessGroup();
  return group;
}

async function startOrchestrator(name: string, env: Record<string, string>): Promise<Instance> {
  const member = processes().start(name, process.execPath, [join(build.dir, 'orchestrator', 'main.js')], {
    env: { ORCHESTRATOR_PORT: '0', ...env },
  });
  const match = await member.waitFor(/orchestrator listening on (http:\/\/\S+)/, 20_000);
  return { url: match[1] as string };
}

async function startSyncServer(flagFile: string): Promise<number> {
  const member = processes().start('sync server', process.execPath, [
    CLI_PATH,
    'serve',
    flagFile,
    '--port',
    '0',
    '--sync-port',
    '0',
    '--ofrep-port',
    '0',
    '--management-port',
    '0',
  ]);
  return Number((await member.waitFor(/, sync \([^)]*\) on [^\s:]+:(\d+)/, 20_000))[1]);
}

async function workspace(): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'genesis-swap-test-'));
  const flagFile = join(dir, 'feature_flags.json');
  await copyFile(SHIPPED_FLAGS, flagFile);
  return flagFile;
}

describe('the same orchestrator on every provider', () => {
  it('gives the same flag values and the same routing with each provider, as the shipped file says', async () => {
    const script = join(build.dir, 'swap-provider', 'compare-providers.js');
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--json'], { cwd: build.dir });
    const result = JSON.parse(stdout) as { identical: boolean; answers: Record<string, ProviderAnswers> };

    // The expected values come from the file: every enabled orchestrator flag there is rolled out
    // all at once, so each flag's value is its `enabled` for every caller.
    const shipped = (
      JSON.parse(await readFile(SHIPPED_FLAGS, 'utf8')) as {
        flags: Record<string, { enabled: boolean; rollout_strategy?: string }>;
      }
    ).flags;
    const keys = ORCHESTRATOR_FLAG_KEYS.filter((key) => shipped[key]?.enabled === true);
    expect(keys.every((key) => (shipped[key]?.rollout_strategy ?? 'all_at_once') === 'all_at_once')).toBe(true);
    const expected = Object.fromEntries(ORCHESTRATOR_FLAG_KEYS.map((key) => [key, shipped[key]?.enabled]));

    expect(Object.keys(result.answers).sort()).toEqual([...PROVIDER_KINDS].sort());
    for (const kind of PROVIDER_KINDS) {
      for (const caller of CALLERS) expect(result.answers[kind]?.flags[caller['x-user-id']]).toEqual(expected);
      expect(result.answers[kind]?.decisions.map((decision) => [decision['status'], decision['mode']])).toEqual(
        Array.from({ length: 9 }, () => [201, 'v2']),
      );
    }
    const first = JSON.stringify(result.answers[PROVIDER_KINDS[0]]);
    for (const kind of PROVIDER_KINDS) expect(JSON.stringify(result.answers[kind])).toBe(first);
    expect(result.identical).toBe(true);
  }, 120_000);

  it('puts the environment-variable provider in front of ours: a variable overrides that one flag, where ours turns its children off too', async () => {
    const flagFile = await workspace();
    const env = { ORCHESTRATOR_FLAG_FILE: flagFile, ORCHESTRATION_ENABLED: 'false' };
    const multi = await startOrchestrator('env-then-genesis', { ...env, ORCHESTRATOR_PROVIDER: 'env-then-genesis' });
    const ours = await startOrchestrator('genesis-files', { ...env, ORCHESTRATOR_PROVIDER: 'genesis-files' });
    type Shown = Record<string, { value: boolean; variant: string | null }>;
    const flagsOf = async (instance: Instance) =>
      (await call(instance.url, 'GET', '/flags', { user: 'alice' })).body['flags'] as Shown;

    const fromMulti = await flagsOf(multi);
    const fromOurs = await flagsOf(ours);
    // The environment-variable provider knows nothing of `requires`: the master switch goes off alone.
    expect([fromMulti['orchestration_enabled']?.value, fromMulti['llm_integration_enabled']?.value]).toEqual([
      false,
      true,
    ]);
    expect(fromMulti['orchestration_enabled']?.variant).toBeNull();
    // Our provider applies the override before translating, so the children follow the master switch.
    expect([fromOurs['orchestration_enabled']?.value, fromOurs['llm_integration_enabled']?.value]).toEqual([
      false,
      false,
    ]);
    expect(
      (await call(multi.url, 'POST', '/tasks', { user: 'alice' }, { description: 'Summarize the incident report.' }))
        .body['mode'],
    ).toBe('v1');
  }, 60_000);

  it('follows the five-minute path: a flag flipped in the served file changes both sync-fed instances, with no restart', async () => {
    const flagFile = await workspace();
    const port = await startSyncServer(flagFile);
    const sync = { FLAGD_HOST: '127.0.0.1', FLAGD_PORT: String(port), FLAGD_DEADLINE_MS: '5000' };
    const instances = await Promise.all([
      startOrchestrator('genesis-sync', { ...sync, ORCHESTRATOR_PROVIDER: 'genesis-sync' }),
      startOrchestrator('flagd-in-process', { ...sync, ORCHESTRATOR_PROVIDER: 'flagd-in-process' }),
    ]);
    const task = { description: 'Summarize the incident report.' };
    const statuses = () =>
      Promise.all(
        instances.map(async (instance) => (await call(instance.url, 'POST', '/tasks', { user: 'alice' }, task)).status),
      );
    const setFlagScript = join(build.dir, 'tools', 'set-flag.js');
    const setFlag = (state: 'on' | 'off') =>
      promisify(execFile)(process.execPath, [setFlagScript, flagFile, 'maintenance_mode', state]);
    expect(await statuses()).toEqual([201, 201]);

    await setFlag('on');
    expect(await eventually(statuses, (codes) => codes.every((code) => code === 503))).toEqual([503, 503]);
    await setFlag('off');
    expect(await eventually(statuses, (codes) => codes.every((code) => code === 201))).toEqual([201, 201]);
  }, 60_000);
});
