import type { Command } from 'commander';
import { FlagStore } from '../../flagd/flag-store.js';
import type { FlagValue, Resolution } from '../../flagd/model.js';
import { resolveInOwnType } from '../../flagd/resolve-in-own-type.js';
import { EXIT_CODES, failed, finish, type CommandResult } from '../command-result.js';
import { readEvaluationInput, type EvaluationFlags, type EvaluationInput } from '../evaluation-input.js';
import {
  DEFAULT_FLAG_FILES,
  flagNotFoundLine,
  loadFlagFiles,
  warningLines,
  type LoadedFlags,
} from '../load-flag-files.js';
import { renderResolution, resolutionJson } from '../render-resolution.js';

/** Adds the options `eval` and `explain` share. */
export function addEvaluationOptions(command: Command): Command {
  return command
    .argument(
      '[files...]',
      `flag files, Genesis or flagd, later ones winning per key (default: ${DEFAULT_FLAG_FILES.join(' ')})`,
    )
    .option(
      '--context <json>',
      'the evaluation context as a JSON object, e.g. \'{"targetingKey":"user-1","region":"eu"}\'',
    )
    .option('--targeting-key <key>', 'the targeting key (wins over the one in --context)')
    .option('--at <instant>', 'evaluate at this ISO 8601 instant, e.g. 2025-10-21T09:00:00Z (default: now)')
    .option('--json', 'print JSON');
}

/** Registers `eval <flag>`: the flag's value, variant, reason and metadata, as the provider answers. */
export function registerEvalCommand(program: Command): void {
  addEvaluationOptions(
    program
      .command('eval')
      .description(
        'evaluate a flag as the provider would: value, variant, reason and metadata; exit 1 when it cannot be evaluated (FLAG_NOT_FOUND, ...)',
      )
      .argument('<flag>', 'the flag key'),
  ).action((flagKey: string, files: string[], flags: EvaluationFlags) =>
    finish(evalCommand(flagKey, files, flags, Date.now())),
  );
}

export function evalCommand(
  flagKey: string,
  files: readonly string[],
  flags: EvaluationFlags,
  nowMs: number,
): CommandResult {
  const input = readEvaluationInput(flags, nowMs);
  if (!input.ok) return failed(input, flags.json === true);
  const loaded = loadFlagFiles(files, process.env);
  if (!loaded.ok) return failed(loaded, flags.json === true);
  const resolution = resolveLoadedFlag(loaded.value, flagKey, input.value);
  const stdout =
    flags.json === true
      ? `${JSON.stringify(resolutionJson(flagKey, resolution), null, 2)}\n`
      : renderResolution(flagKey, resolution);
  const warnings = warningLines(loaded.value);
  if (resolution.errorCode === undefined) return { stdout, stderr: warnings, exitCode: EXIT_CODES.ok };
  const error =
    resolution.errorCode === 'FLAG_NOT_FOUND'
      ? flagNotFoundLine(loaded.value, flagKey)
      : `error: ${resolution.errorCode}: ${resolution.errorMessage ?? ''}`;
  return { stdout: flags.json === true ? stdout : '', stderr: [...warnings, error], exitCode: EXIT_CODES.invalid };
}

/** A flag's answer as the provider gives it, asked for in the flag's own type (boolean when unknown); `explain` shows the same. */
export function resolveLoadedFlag(loaded: LoadedFlags, flagKey: string, input: EvaluationInput): Resolution<FlagValue> {
  const store = new FlagStore();
  store.replace(loaded.set);
  return resolveInOwnType(store, loaded.set, flagKey, input.context, { nowSeconds: () => input.nowSeconds });
}
