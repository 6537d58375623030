import { Option, type Command } from 'commander';
import { ENV_OVERRIDE_SOURCE } from '../../genesis/apply-genesis-env-overrides.js';
import type { GenesisFlag } from '../../genesis/genesis-document.js';
import { formatInstant } from '../../genesis/iso-instant.js';
import { planExposure, type PlanRow } from '../../genesis/plan-exposure.js';
import { formatWeight, resolveRolloutRamp, weightPercentage, type RolloutRamp } from '../../genesis/rollout-ramp.js';
import { EXIT_CODES, failed, failure, finish, type CommandResult, type Step } from '../command-result.js';
import { readInstant } from '../evaluation-input.js';
import { DEFAULT_FLAG_FILES, flagNotFoundLine, loadFlagFiles, warningLines } from '../load-flag-files.js';
import { generatedSampleKeys, sampleKeysFromFile, type SampleKeys } from '../read-sample-keys.js';
import { renderPlanChart } from '../render-plan-chart.js';

interface PlanFlags {
  readonly sample: string;
  readonly keys?: string;
  readonly from?: string;
  readonly to?: string;
  readonly json?: boolean;
}

/** Registers `plan <flag>`: the exposure timeline of a progressive flag. */
export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      'the exposure timeline of a progressive flag, per step (or per day of a linear ramp): share of users on, expected and sampled users on (bucketed with the real hash); a chart on a terminal, JSON otherwise',
    )
    .argument('<flag>', 'the flag key')
    .argument('[files...]', `flag files, later ones winning per key (default: ${DEFAULT_FLAG_FILES.join(' ')})`)
    .addOption(new Option('--sample <n>', 'bucket the keys user-0 … user-(n-1)').default('10000').conflicts('keys'))
    .option('--keys <file>', 'bucket these targeting keys instead, one per line')
    .option('--from <instant>', "start of the timeline, ISO 8601 (default: the ramp's start)")
    .option('--to <instant>', "end of the timeline, ISO 8601 (default: the ramp's end)")
    .option('--json', 'print JSON, also on a terminal')
    .action((flagKey: string, files: string[], flags: PlanFlags) =>
      finish(planCommand(flagKey, files, flags, process.stdout.isTTY === true)),
    );
}

export function planCommand(
  flagKey: string,
  files: readonly string[],
  flags: PlanFlags,
  terminal: boolean,
): CommandResult {
  const window = readWindow(flags);
  if (!window.ok) return failed(window, flags.json === true);
  const loaded = loadFlagFiles(files, process.env);
  if (!loaded.ok) return failed(loaded, flags.json === true);
  const origin = loaded.value.origins.get(flagKey);
  if (origin === undefined)
    return failed(failure(EXIT_CODES.invalid, flagNotFoundLine(loaded.value, flagKey)), flags.json === true);
  const flag = origin.genesis?.asWritten.flags[flagKey];
  const ramp = flag === undefined ? undefined : resolveRolloutRamp(flag);
  if (flag === undefined || (flag.rollout_strategy ?? 'all_at_once') !== 'progressive' || ramp === undefined) {
    const what =
      flag === undefined ? 'is a flagd flag' : `has rollout_strategy "${flag.rollout_strategy ?? 'all_at_once'}"`;
    return failed(
      failure(
        EXIT_CODES.invalid,
        `error: ${flagKey} ${what}: only a progressive Genesis flag has an exposure timeline (see genesis-flags list)`,
      ),
    );
  }
  const sample = flags.keys === undefined ? generatedSampleKeys(flags.sample) : sampleKeysFromFile(flags.keys);
  if (!sample.ok) return failed(sample, flags.json === true);
  const rows = planExposure(flagKey, ramp, sample.value.keys, window.value);
  const overridden = origin.genesis?.effective.flags[flagKey]?.metadata?.['source'] === ENV_OVERRIDE_SOURCE;
  const plan = { flagKey, file: origin.file.path, flag, ramp, sample: sample.value, rows, overridden };
  const stdout =
    flags.json === true || !terminal
      ? `${JSON.stringify(planJson(plan), null, 2)}\n`
      : renderPlanChart(planNotes(plan), rows);
  return { stdout, stderr: warningLines(loaded.value), exitCode: EXIT_CODES.ok };
}

interface Window {
  readonly fromSeconds: number | undefined;
  readonly toSeconds: number | undefined;
}

function readWindow(flags: PlanFlags): Step<Window> {
  const from = flags.from === undefined ? undefined : readInstant(flags.from, '--from');
  const to = flags.to === undefined ? undefined : readInstant(flags.to, '--to');
  if (from !== undefined && !from.ok) return from;
  if (to !== undefined && !to.ok) return to;
  const window = { fromSeconds: from?.value, toSeconds: to?.value };
  if (window.fromSeconds !== undefined && window.toSeconds !== undefined && window.toSeconds < window.fromSeconds) {
    return failure(EXIT_CODES.invalid, `--to ${flags.to ?? ''} is before --from ${flags.from ?? ''}`);
  }
  return { ok: true, value: window };
}

interface Plan {
  readonly flagKey: string;
  readonly file: string;
  readonly flag: GenesisFlag;
  readonly ramp: RolloutRamp;
  readonly sample: SampleKeys;
  readonly rows: readonly PlanRow[];
  readonly overridden: boolean;
}

function planJson(plan: Plan): Record<string, unknown> {
  return {
    flagKey: plan.flagKey,
    file: plan.file,
    enabled: plan.flag.enabled,
    requires: plan.flag.requires ?? [],
    overriddenByEnvironment: plan.overridden,
    ramp: rampJson(plan.ramp),
    sample: { size: plan.sample.keys.length, keys: plan.sample.source },
    rows: plan.rows.map((row) => ({
      at: formatInstant(row.atSeconds),
      percent: weightPercentage(row.weight),
      expectedOn: row.expectedOn,
      sampledOn: row.sampledOn,
    })),
  };
}

function rampJson(ramp: RolloutRamp): Record<string, unknown> {
  if (ramp.kind === 'steps')
    return {
      kind: 'steps',
      steps: ramp.steps.map((step) => ({ at: formatInstant(step.atSeconds), percent: weightPercentage(step.weight) })),
    };
  return {
    kind: 'linear',
    start: formatInstant(ramp.startSeconds),
    end: formatInstant(ramp.endSeconds),
    fromPercent: weightPercentage(ramp.fromWeight),
    toPercent: weightPercentage(ramp.toWeight),
  };
}

function planNotes(plan: Plan): string[] {
  const { ramp, flag } = plan;
  const shape =
    ramp.kind === 'linear'
      ? `linear ramp from ${formatWeight(ramp.fromWeight)} at ${formatInstant(ramp.startSeconds)} to ${formatWeight(ramp.toWeight)} at ${formatInstant(ramp.endSeconds)}, shown per day`
      : `${ramp.steps.length} steps from ${formatInstant(ramp.steps[0]?.atSeconds ?? 0)}`;
  const notes = [
    `${plan.flagKey} (${plan.file}): ${shape}`,
    `sample: ${plan.sample.keys.length} keys (${plan.sample.source})`,
  ];
  if (!flag.enabled) notes.push('note: the flag is disabled (enabled: false), so nobody is on until it is enabled');
  if ((flag.requires ?? []).length > 0)
    notes.push(`note: users are on only while ${(flag.requires ?? []).join(', ')} allow it`);
  if (plan.overridden) notes.push('note: an environment variable overrides this flag here');
  return notes;
}
