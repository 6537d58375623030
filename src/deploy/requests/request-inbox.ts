import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describeError } from '../../errors/describe-error.js';
import { writeFileAtomic } from '../../system/write-file-atomic.js';
import type { ControlAction, ControlRequest } from './control-request.js';
import { DeployError } from '../deploy-error.js';

/** A queued request and the store's handle on it (here its file; a stream entry id in Redis). */
export interface QueuedRequest {
  readonly key: string;
  readonly request: ControlRequest;
}

const ACTIONS: readonly ControlAction[] = ['pause', 'resume', 'promote', 'promote-full', 'rollback'];

/**
 * Leaves a request for the process that holds the deployment lock: one file per request, written
 * atomically and named by time, so the holder applies them in order.
 */
export async function enqueueRequest(directory: string, request: ControlRequest): Promise<void> {
  const name = `${String(Date.parse(request.at)).padStart(15, '0')}-${request.id}.json`;
  try {
    await mkdir(directory, { recursive: true });
    await writeFileAtomic(join(directory, name), `${JSON.stringify(request)}\n`);
  } catch (cause) {
    throw new DeployError(
      'state',
      `Cannot queue the ${request.action} request in ${directory}: ${describeError(cause)}`,
      { cause },
    );
  }
}

/** The queued requests, oldest first; files that are not requests are removed. */
export async function listRequests(directory: string): Promise<QueuedRequest[]> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const queued: QueuedRequest[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json') && !entry.startsWith('.')).sort()) {
    const file = join(directory, name);
    const request = parseRequest(await readFile(file, 'utf8').catch(() => ''));
    if (request === null) await unlink(file).catch(() => undefined);
    else queued.push({ key: file, request });
  }
  return queued;
}

/** Removes a request once its outcome is in the state. */
export async function removeRequest(queued: QueuedRequest): Promise<void> {
  await unlink(queued.key).catch(() => undefined);
}

/** A request as queued text, or `null` when the text is not one. */
export function parseRequest(text: string): ControlRequest | null {
  try {
    const value = JSON.parse(text) as Partial<ControlRequest>;
    const valid =
      typeof value.id === 'string' &&
      ACTIONS.includes(value.action as ControlAction) &&
      typeof value.by === 'string' &&
      typeof value.at === 'string';
    return valid ? (value as ControlRequest) : null;
  } catch {
    return null;
  }
}
