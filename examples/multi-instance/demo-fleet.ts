import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GroupMember, ProcessGroup } from './process-group.js';

const START_TIMEOUT_MS = 20_000;

/** The package root (the folder holding package.json), found from this file wherever it was compiled to. */
export function findPackageRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

/** The built `genesis-flags` command line; `npm run build` makes it. */
export function cliPath(root: string): string {
  const path = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(path)) throw new Error(`The CLI is not built (${path} is missing): run npm run build first`);
  return path;
}

/** The compiled orchestrator next to this file's own compiled folder. */
export const ORCHESTRATOR_MAIN = fileURLToPath(new URL('../orchestrator/main.js', import.meta.url));

export interface SyncServer {
  readonly member: GroupMember;
  readonly port: number;
}

/** `genesis-flags serve <file>` on free ports; resolves once it prints where it listens. */
export async function startSyncServer(group: ProcessGroup, root: string, flagFile: string, logFile: string): Promise<SyncServer> {
  const member = group.start('sync server', process.execPath, [cliPath(root), 'serve', flagFile, '--port', '0', '--management-port', '0'], { logFile });
  const match = await member.waitFor(/flagd sync \([^)]*\) on [^\s:]+:(\d+)/, START_TIMEOUT_MS);
  return { member, port: Number(match[1]) };
}

export interface Instance {
  readonly name: string;
  readonly member: GroupMember;
  readonly url: string;
}

/**
 * One orchestrator fed by the sync server through the official flagd provider (in-process mode),
 * chosen by ORCHESTRATOR_PROVIDER like any other provider; resolves once it serves. The connect
 * deadline is raised from the provider's 500 ms so that a busy machine does not fail the start.
 */
export async function startInstance(group: ProcessGroup, name: string, syncPort: number, logFile: string): Promise<Instance> {
  const env = {
    ORCHESTRATOR_PROVIDER: 'flagd-in-process',
    FLAGD_HOST: '127.0.0.1',
    FLAGD_PORT: String(syncPort),
    FLAGD_DEADLINE_MS: '5000',
    ORCHESTRATOR_PORT: '0',
  };
  const member = group.start(name, process.execPath, [ORCHESTRATOR_MAIN], { env, logFile });
  const match = await member.waitFor(/orchestrator listening on (http:\/\/\S+)/, START_TIMEOUT_MS);
  return { name, member, url: match[1] as string };
}

/** Sets the share of failing phase-4 requests on one instance. */
export async function setPhase4ErrorRate(instance: Instance, rate: number): Promise<void> {
  const response = await fetch(`${instance.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phase4ErrorRate: rate }),
  });
  if (!response.ok) throw new Error(`${instance.name}: setting the fault rate answered ${response.status}`);
}

/** How many of `users` the instance serves on the phase-4 path, asked through `GET /flags`. */
export async function countPhase4Users(instance: Instance, users: readonly string[]): Promise<number> {
  const answers = await Promise.all(
    users.map(async (user) => {
      const response = await fetch(`${instance.url}/flags`, { headers: { 'x-user-id': user } });
      const body = (await response.json()) as { flags: Record<string, { value: boolean }> };
      return body.flags['phase_4_deployment']?.value === true;
    }),
  );
  return answers.filter(Boolean).length;
}
