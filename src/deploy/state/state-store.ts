import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeError } from '../../errors/describe-error.js';
import { parseDocumentText } from '../../document/parse-document-text.js';
import type { Result } from '../../errors/result.js';
import { writeFileAtomic } from '../../system/write-file-atomic.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState, DeploymentStatus } from './deployment-state.js';

const STATUSES: readonly DeploymentStatus[] = ['running', 'paused', 'completed', 'rolled_back'];

/** The files that sit beside a state file. */
export interface DeploymentPaths {
  readonly state: string;
  readonly lock: string;
  readonly journal: string;
  readonly requests: string;
  /** One file per running controller that serves the flag file (see `controller-registry.ts`). */
  readonly controllers: string;
}

/**
 * The lock, journal, request folder and controller registry of a state file, each named after it,
 * so that two state files in one folder never share a journal: `x.json` → `x.journal.jsonl`.
 */
export function deploymentPaths(statePath: string): DeploymentPaths {
  return {
    state: statePath,
    lock: `${statePath}.lock`,
    journal: `${statePath.replace(/\.json$/i, '')}.journal.jsonl`,
    requests: `${statePath}.requests`,
    controllers: `${statePath}.controllers`,
  };
}

/**
 * Where the rollouts of a flag file are kept unless `--state` says otherwise: beside it, named after
 * it (`config/feature_flags.json` → `config/feature_flags.deployment.json`). A controller serving the
 * flag file finds them there without being told.
 */
export function defaultStatePath(flagFile: string): string {
  return join(dirname(flagFile), `${basename(flagFile).replace(/\.json$/i, '')}.deployment.json`);
}

/** Reads the state; `undefined` when there is none yet, a `state` error when it cannot be used. */
export async function readState(path: string): Promise<DeploymentState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DeployError('state', `Cannot read deployment state: ${path}: ${describeError(cause)}`, { cause });
  }
  const parsed = parseState(text, path);
  if (!parsed.ok) throw new DeployError('state', parsed.error);
  return parsed.value;
}

/** Replaces the state file atomically (see `writeFileAtomic`). */
export async function writeState(path: string, state: DeploymentState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`).catch((cause: unknown) => {
    throw new DeployError('state', `Cannot write deployment state: ${path}: ${describeError(cause)}`, { cause });
  });
}

/** Checks the fields the controller relies on; anything else is taken as written. */
export function parseState(text: string, path: string): Result<DeploymentState> {
  const parsed = parseDocumentText(text, path);
  if (!parsed.ok) return { ok: false, error: `Deployment state is not valid JSON: ${parsed.error}` };
  const raw = parsed.value;
  const problem = findStateProblem(raw);
  return problem === undefined
    ? { ok: true, value: { flagBase: null, enableInFile: false, ...(raw as object) } as DeploymentState }
    : { ok: false, error: `Deployment state is not usable: ${path}: ${problem}` };
}

function findStateProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const state = raw as Record<string, unknown>;
  if (state['version'] !== 1) return `unsupported version ${JSON.stringify(state['version'])}`;
  for (const field of ['id', 'planHash', 'startedAt', 'stageEnteredAt', 'updatedAt']) {
    if (typeof state[field] !== 'string') return `${field} must be a string`;
  }
  for (const field of ['stageIndex', 'percentage', 'seq', 'consecutiveFailures', 'consecutiveInconclusive']) {
    if (typeof state[field] !== 'number') return `${field} must be a number`;
  }
  if (!STATUSES.includes(state['status'] as DeploymentStatus))
    return `unknown status ${JSON.stringify(state['status'])}`;
  if (typeof state['applied'] !== 'boolean') return 'applied must be true or false';
  if (!Array.isArray(state['verdicts']) || !Array.isArray(state['requests']))
    return 'verdicts and requests must be lists';
  const plan = state['plan'] as Record<string, unknown> | null | undefined;
  if (typeof plan !== 'object' || plan === null) return 'plan is missing';
  if (typeof plan['flag'] !== 'string' || typeof plan['configFile'] !== 'string')
    return 'plan.flag and plan.configFile must be strings';
  if (!Array.isArray(plan['steps']) || plan['steps'].length === 0) return 'plan.steps must be a non-empty list';
  const stage = state['stageIndex'] as number;
  if (!Number.isInteger(stage) || stage < 0 || stage >= plan['steps'].length)
    return `stageIndex ${stage} is outside the plan`;
  return undefined;
}
