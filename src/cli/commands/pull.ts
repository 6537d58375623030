import type { Command } from 'commander';
import type { EnvironmentSnapshot } from '../../options/read-options.js';
import { writeFileAtomic } from '../../system/write-file-atomic.js';
import { readFlagSet } from '../../store/flag-set-store.js';
import { EXIT_CODES, failed, failure, finish, type CommandResult } from '../command-result.js';
import { addStoreOptions, storeTargetOf, withStore, type StoreFlags } from './store-options.js';

interface PullFlags extends StoreFlags {
  readonly out?: string;
  readonly json?: boolean;
}

/** The schema flagd documents name, as `export` writes it. */
const FLAGD_SCHEMA_URL = 'https://flagd.dev/schema/v0/flags.json';

/** Registers `pull`. */
export function registerPullCommand(program: Command): void {
  addStoreOptions(
    program
      .command('pull')
      .description('print the flag set the store holds now, as a flagd document (servable, pushable, diffable)'),
  )
    .option(
      '--out <file>',
      'write the document to this file (atomically: readers see the old or the new one) instead of stdout',
    )
    .option('--json', 'print { flagSet, revision, document } (with --out: { flagSet, revision, out })')
    .action(async (flags: PullFlags) => finish(await pullCommand(flags)));
}

/** Reads the current flag set; a flag set nothing was pushed to fails with exit code 1. */
export async function pullCommand(
  flags: PullFlags = {},
  environment: EnvironmentSnapshot = process.env,
): Promise<CommandResult> {
  const json = flags.json === true;
  const target = storeTargetOf(flags, environment);
  if (!target.ok) return failed(target, json);
  const { flagSetId, location } = target.value;
  const pulled = await withStore(location, async (client) => {
    const read = await readFlagSet(client, flagSetId);
    if (!read.ok) return failure(EXIT_CODES.unreadable, read.error);
    if (read.value.document === undefined)
      return failure(
        EXIT_CODES.invalid,
        `Flag set "${flagSetId}" is not in the store ${location.redacted}: nothing was pushed to it`,
      );
    return { ok: true, value: { revision: read.value.revision, document: read.value.document } };
  });
  if (!pulled.ok) return failed(pulled, json);
  const { revision, document } = pulled.value;
  const text = `${JSON.stringify({ $schema: FLAGD_SCHEMA_URL, ...document }, null, 2)}\n`;
  if (flags.out === undefined) {
    const stdout = json ? `${JSON.stringify({ flagSet: flagSetId, revision, document }, null, 2)}\n` : text;
    return { stdout, stderr: [], exitCode: EXIT_CODES.ok };
  }
  try {
    await writeFileAtomic(flags.out, text);
  } catch (error) {
    return failed(failure(EXIT_CODES.unreadable, error instanceof Error ? error.message : String(error)), json);
  }
  const stdout = json
    ? `${JSON.stringify({ flagSet: flagSetId, revision, out: flags.out }, null, 2)}\n`
    : `flag set "${flagSetId}" at revision ${revision} written to ${flags.out}\n`;
  return { stdout, stderr: [], exitCode: EXIT_CODES.ok };
}
