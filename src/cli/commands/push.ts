import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseDocumentText } from '../../document/parse-document-text.js';
import { isGenesisDocument } from '../../genesis/is-genesis-document.js';
import { toFlagdDocument } from '../../flagd/parse/to-flagd-document.js';
import type { EnvironmentSnapshot } from '../../options/read-options.js';
import { canonicalFlagSet, diffFlagSets, type ChangeSummary } from '../../store/flag-set-change.js';
import { readFlagSet, writeFlagSet } from '../../store/flag-set-store.js';
import { EXIT_CODES, failed, failure, finish, type CommandResult } from '../command-result.js';
import { loadFlagFiles, warningLines } from '../load-flag-files.js';
import { addStoreOptions, storeTargetOf, withStore, type StoreFlags } from './store-options.js';
import { validateCommand } from './validate.js';

interface PushFlags extends StoreFlags {
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** What `push` did, or would do with `--dry-run`; the `--json` form. */
interface PushReport extends ChangeSummary {
  readonly flagSet: string;
  readonly dryRun: boolean;
  readonly written: boolean;
  readonly previousRevision: number;
  readonly revision: number;
}

/** Registers `push <files...>`. */
export function registerPushCommand(program: Command): void {
  addStoreOptions(
    program
      .command('push')
      .description(
        'validate flag files (as `validate` does), translate them to flagd and write them to the store as the flag set’s next revision; prints the revision',
      )
      .argument('<files...>', 'flag files, Genesis or flagd, later ones winning per key'),
  )
    .option('--dry-run', 'print the flag keys that would be added, changed and removed; write nothing')
    .option(
      '--json',
      'print the outcome as JSON: { flagSet, revision, previousRevision, written, added, changed, removed }',
    )
    .action(async (files: string[], flags: PushFlags) => finish(await pushCommand(files, flags)));
}

/**
 * Validates every file first: anything `validate` refuses ends the push with its exit code and
 * nothing written. The files are then loaded as `export` loads them (no environment overrides: the
 * shell pushing is not where the flags are served) and written with a compare-and-set on the
 * revision read, so a concurrent push is refused rather than overwritten.
 */
export async function pushCommand(
  files: readonly string[],
  flags: PushFlags = {},
  environment: EnvironmentSnapshot = process.env,
): Promise<CommandResult> {
  const json = flags.json === true;
  const target = storeTargetOf(flags, environment);
  if (!target.ok) return failed(target, json);
  const validation = validateCommand(files);
  if (validation.exitCode !== EXIT_CODES.ok)
    return failed(failure(validation.exitCode, ...validation.stderr, 'nothing was pushed'), json);
  const loaded = loadFlagFiles(files, {});
  if (!loaded.ok) return failed(loaded, json);
  const document = canonicalFlagSet(toFlagdDocument(loaded.value.set));
  const { flagSetId, location } = target.value;
  const pushed = await withStore(location, async (client) => {
    const read = await readFlagSet(client, flagSetId);
    if (!read.ok) return failure(EXIT_CODES.unreadable, read.error);
    const { revision } = read.value;
    if (flags.dryRun === true) {
      const { summary } = diffFlagSets(read.value.document, document);
      return {
        ok: true,
        value: { flagSet: flagSetId, dryRun: true, written: false, previousRevision: revision, revision, ...summary },
      };
    }
    const written = await writeFlagSet(client, read.value, document, undefined, await genesisSourceOf(files));
    if (!written.ok) return failure(EXIT_CODES.unreadable, written.error.message);
    const { summary } = written.value;
    return {
      ok: true,
      value: {
        flagSet: flagSetId,
        dryRun: false,
        written: written.value.revision !== revision,
        previousRevision: revision,
        revision: written.value.revision,
        ...summary,
      },
    };
  });
  if (!pushed.ok) return failed(pushed, json);
  return {
    stdout: json ? `${JSON.stringify(pushed.value, null, 2)}\n` : `${describePush(pushed.value)}\n`,
    stderr: warningLines(loaded.value),
    exitCode: EXIT_CODES.ok,
  };
}

/** The one Genesis file pushed, as JSON: what a rollout in the store is written over. Several files or flagd: none. */
async function genesisSourceOf(files: readonly string[]): Promise<unknown> {
  const [only] = files;
  if (files.length !== 1 || only === undefined || !/\.json$/i.test(only)) return undefined;
  const parsed = parseDocumentText(await readFile(only, 'utf8'), only);
  return parsed.ok && isGenesisDocument(parsed.value) ? parsed.value : undefined;
}

function describePush(report: PushReport): string {
  const name = `flag set "${report.flagSet}"`;
  const changes = describeChanges(report);
  if (report.dryRun) return `${name} at revision ${report.revision}: would change ${changes}`;
  if (!report.written) return `${name} unchanged at revision ${report.revision}`;
  return `${name} at revision ${report.revision} (was ${report.previousRevision}): ${changes}`;
}

function describeChanges(summary: ChangeSummary): string {
  const parts = [
    ['added', summary.added],
    ['changed', summary.changed],
    ['removed', summary.removed],
  ] as const;
  const listed = parts.filter(([, keys]) => keys.length > 0).map(([verb, keys]) => `${verb} ${keys.join(', ')}`);
  if (summary.metadataChanged) listed.push('set metadata changed');
  return listed.length === 0 ? 'nothing' : listed.join('; ');
}
