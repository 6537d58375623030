import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GroupMember, ProcessGroup } from './process-group.js';

/** Generous: on a busy machine a Node process with gRPC loaded can take several seconds to start. */
const START_TIMEOUT_MS = 30_000;

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
export async function startSyncServer(
  group: ProcessGroup,
  root: string,
  flagFile: string,
  logFile: string,
): Promise<SyncServer> {
  const member = group.start(
    'sync server',
    process.execPath,
    [
      cliPath(root),
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
    ],
    { logFile },
  );
  const match = await member.waitFor(/, sync \([^)]*\) on [^\s:]+:(\d+)/, START_TIMEOUT_MS);
  return { member, port: Number(match[1]) };
}

export interface Instance {
  readonly name: string;
  readonly member: GroupMember;
  readonly url: string;
}

/**
 * Starts the compiled orchestrator with `env` on a free port and resolves once it serves. The
 * provider is whatever `env.ORCHESTRATOR_PROVIDER` names; nothing else differs between them.
 */
export async function startOrchestrator(
  group: ProcessGroup,
  name: string,
  env: Readonly<Record<string, string>>,
  logFile?: string,
): Promise<Instance> {
  const member = group.start(name, process.execPath, [ORCHESTRATOR_MAIN], {
    env: { ORCHESTRATOR_PORT: '0', ...env },
    ...(logFile === undefined ? {} : { logFile }),
  });
  const match = await member.waitFor(/orchestrator listening on (http:\/\/\S+)/, START_TIMEOUT_MS);
  return { name, member, url: match[1] as string };
}

/** The providers that subscribe to the sync server: ours, and the official flagd provider in-process. */
export type SyncFedKind = 'genesis-sync' | 'flagd-in-process';

/**
 * The environment of an instance fed by the sync server on `syncPort`. Both providers read the same
 * FLAGD_* variables. The connect deadline is raised from the official provider's 500 ms so that a
 * busy machine does not fail the start.
 */
export function syncFedEnv(kind: SyncFedKind, syncPort: number): Record<string, string> {
  return {
    ORCHESTRATOR_PROVIDER: kind,
    FLAGD_HOST: '127.0.0.1',
    FLAGD_PORT: String(syncPort),
    FLAGD_DEADLINE_MS: '5000',
  };
}
