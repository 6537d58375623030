import { Option, type Command } from 'commander';
import { toFlagdDocument } from '../../flagd/parse/to-flagd-document.js';
import { EXIT_CODES, failed, finish, type CommandResult } from '../command-result.js';
import { DEFAULT_FLAG_FILES, loadFlagFiles, warningLines } from '../load-flag-files.js';

/** The schema flagd documents name, so editors and flagd tooling recognise the output. */
const FLAGD_SCHEMA_URL = 'https://flagd.dev/schema/v0/flags.json';

/** Registers `export [files...]`: the flagd document the files translate to. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'print the flagd flag-set document the files translate to (Genesis flags as standard flagd targeting), for flagd or any flagd provider; environment overrides are not applied',
    )
    .argument('[files...]', `flag files, later ones winning per key (default: ${DEFAULT_FLAG_FILES.join(' ')})`)
    .addOption(new Option('--format <format>', 'output format').choices(['flagd']).default('flagd'))
    .option('--json', 'errors too as JSON on stdout, { "error": { exitCode, message } } (the document is JSON already)')
    .action((files: string[], flags: { json?: boolean }) => finish(exportCommand(files, flags)));
}

/**
 * The merged flag set as flagd JSON. Overrides are left out on purpose: the output is meant to be
 * served elsewhere, and the shell exporting it is not the environment it will run in.
 */
export function exportCommand(files: readonly string[], flags: { json?: boolean } = {}): CommandResult {
  const loaded = loadFlagFiles(files, {});
  if (!loaded.ok) return failed(loaded, flags.json === true);
  const document = { $schema: FLAGD_SCHEMA_URL, ...toFlagdDocument(loaded.value.set) };
  return {
    stdout: `${JSON.stringify(document, null, 2)}\n`,
    stderr: warningLines(loaded.value),
    exitCode: EXIT_CODES.ok,
  };
}
