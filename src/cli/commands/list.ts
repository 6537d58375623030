import type { Command } from 'commander';
import { hasTargeting } from '../../flagd/has-targeting.js';
import type { FlagEntry } from '../../flagd/model.js';
import { ENV_OVERRIDE_SOURCE as GENESIS_ENV_OVERRIDE_SOURCE } from '../../genesis/apply-genesis-env-overrides.js';
import { flagdExposure, formatExposure, genesisExposure, type Exposure } from '../../genesis/flag-exposure.js';
import type { GenesisDocument, GenesisFlag } from '../../genesis/genesis-document.js';
import { formatInstant } from '../../genesis/iso-instant.js';
import { weightPercentage } from '../../genesis/rollout-ramp.js';
import { ENV_OVERRIDE_SOURCE } from '../../loading/env-overrides.js';
import { EXIT_CODES, failed, finish, type CommandResult } from '../command-result.js';
import { readInstant } from '../evaluation-input.js';
import { DEFAULT_FLAG_FILES, loadFlagFiles, warningLines, type FlagOrigin } from '../load-flag-files.js';
import { renderTable } from '../render-table.js';

interface ListFlags {
  readonly at?: string;
  readonly json?: boolean;
}

/** One row of the list. */
interface FlagRow {
  readonly key: string;
  readonly file: string;
  readonly format: FlagOrigin['file']['format'];
  readonly enabled: boolean;
  readonly strategy: string;
  readonly overriddenByEnvironment: boolean;
  /** Undefined when targeting decides and the share cannot be told. */
  readonly exposure: Exposure | undefined;
  readonly description: string;
}

/** Registers `list [files...]`: the table of flags, as the old `feature_flags.py` printed it. */
export function registerListCommand(program: Command): void {
  program
    .command('list')
    .description('list the flags: key, on/off, rollout strategy, share of users on at that instant, description')
    .argument('[files...]', `flag files, later ones winning per key (default: ${DEFAULT_FLAG_FILES.join(' ')})`)
    .option('--at <instant>', 'compute exposure at this ISO 8601 instant (default: now)')
    .option('--json', 'print JSON')
    .action((files: string[], flags: ListFlags) => finish(listCommand(files, flags, Date.now())));
}

export function listCommand(files: readonly string[], flags: ListFlags, nowMs: number): CommandResult {
  const now =
    flags.at === undefined ? { ok: true as const, value: Math.floor(nowMs / 1000) } : readInstant(flags.at, '--at');
  if (!now.ok) return failed(now, flags.json === true);
  const loaded = loadFlagFiles(files, process.env);
  if (!loaded.ok) return failed(loaded, flags.json === true);
  const rows = [...loaded.value.set.flags.values()].map((entry) =>
    flagRow(entry, loaded.value.origins.get(entry.key), loaded.value.genesisFlags, now.value),
  );
  const stdout = flags.json === true ? `${JSON.stringify(rows.map(rowJson), null, 2)}\n` : renderRows(rows, now.value);
  return { stdout, stderr: warningLines(loaded.value), exitCode: EXIT_CODES.ok };
}

/** `genesisFlags`: every file's Genesis flags, where a flag's parents are. */
function flagRow(
  entry: FlagEntry,
  origin: FlagOrigin | undefined,
  genesisFlags: GenesisDocument,
  nowSeconds: number,
): FlagRow {
  const file = origin?.file.path ?? '';
  const genesis = origin?.genesis?.effective;
  const flag: GenesisFlag | undefined = genesis?.flags[entry.key];
  if (genesis === undefined || flag === undefined) {
    const { definition } = entry;
    const description = definition.metadata?.['description'];
    return {
      key: entry.key,
      file,
      format: 'flagd',
      enabled: definition.state === 'ENABLED',
      strategy: hasTargeting(definition.targeting) ? 'targeting' : 'static',
      overriddenByEnvironment: definition.metadata?.['source'] === ENV_OVERRIDE_SOURCE,
      exposure: flagdExposure(definition),
      description: typeof description === 'string' ? description : '',
    };
  }
  return {
    key: entry.key,
    file,
    format: 'genesis',
    enabled: flag.enabled,
    strategy: flag.rollout_strategy ?? 'all_at_once',
    overriddenByEnvironment: flag.metadata?.['source'] === GENESIS_ENV_OVERRIDE_SOURCE,
    exposure: genesisExposure(genesisFlags, entry.key, nowSeconds),
    description: flag.description ?? '',
  };
}

/** `--json`: the exposure as a percentage (null when unknown) with its qualifiers. */
function rowJson({ exposure, ...rest }: FlagRow): Record<string, unknown> {
  return {
    ...rest,
    exposurePercent: exposure === undefined ? null : weightPercentage(exposure.weight),
    canaries: exposure?.canaries ?? false,
    boundedByParents: exposure?.boundedByParents ?? false,
  };
}

function renderRows(rows: readonly FlagRow[], nowSeconds: number): string {
  const cells = rows.map((flag) => [
    flag.key,
    flag.enabled ? 'on' : 'off',
    flag.overriddenByEnvironment ? `${flag.strategy} (env)` : flag.strategy,
    flag.exposure === undefined ? '-' : formatExposure(flag.exposure),
    flag.description,
  ]);
  return `${renderTable(cells, ['KEY', 'STATE', 'STRATEGY', 'EXPOSURE', 'DESCRIPTION'])}\nexposure at ${formatInstant(nowSeconds)}\n`;
}
