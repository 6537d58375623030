import type { Command } from 'commander';
import type { FlagValue, Resolution } from '../../flagd/model.js';
import { explainGenesisFlag, type DecidingLayer, type OverrideVariable } from '../../genesis/explain-genesis-flag.js';
import { formatInstant } from '../../genesis/iso-instant.js';
import { EXIT_CODES, failed, finish, type CommandResult } from '../command-result.js';
import { overrideVariableOf } from '../env-override-settings.js';
import { readEvaluationInput, type EvaluationFlags, type EvaluationInput } from '../evaluation-input.js';
import { explainFlagdFlag } from '../../loading/explain-flagd-flag.js';
import {
  flagNotFoundLine,
  loadFlagFiles,
  warningLines,
  type FlagOrigin,
  type LoadedFlags,
} from '../load-flag-files.js';
import { resolutionJson } from '../render-resolution.js';
import { addEvaluationOptions, resolveLoadedFlag } from './eval.js';

const LAYER_NAMES: Readonly<Record<DecidingLayer, string>> = {
  environment: 'environment override',
  disabled: 'enabled: false',
  parent: 'parent flag (requires)',
  'all-at-once': 'rollout_strategy all_at_once',
  canary: 'canary list',
  rollout: 'rollout bucket',
  default: 'default variant',
};

/** Registers `explain <flag>`: which layer decided the answer, in plain lines. */
export function registerExplainCommand(program: Command): void {
  addEvaluationOptions(
    program
      .command('explain')
      .description(
        "say which layer decided a flag's answer: environment override, parent flag, canary list, rollout bucket (with the user's bucket and the threshold at that instant), default",
      )
      .argument('<flag>', 'the flag key'),
  ).action((flagKey: string, files: string[], flags: EvaluationFlags) =>
    finish(explainCommand(flagKey, files, flags, Date.now())),
  );
}

export function explainCommand(
  flagKey: string,
  files: readonly string[],
  flags: EvaluationFlags,
  nowMs: number,
): CommandResult {
  const input = readEvaluationInput(flags, nowMs);
  if (!input.ok) return failed(input, flags.json === true);
  const loaded = loadFlagFiles(files, process.env);
  if (!loaded.ok) return failed(loaded, flags.json === true);
  const warnings = warningLines(loaded.value);
  const origin = loaded.value.origins.get(flagKey);
  const resolution = resolveLoadedFlag(loaded.value, flagKey, input.value);
  if (origin === undefined) {
    return { stdout: '', stderr: [...warnings, flagNotFoundLine(loaded.value, flagKey)], exitCode: EXIT_CODES.invalid };
  }
  const explanation = explainFlag(loaded.value, origin, flagKey, input.value, resolution);
  const exitCode = resolution.errorCode === undefined ? EXIT_CODES.ok : EXIT_CODES.invalid;
  if (flags.json === true) {
    const json = {
      ...explanation,
      file: origin.file.path,
      format: origin.file.format,
      at: formatInstant(input.value.nowSeconds),
      resolution: resolutionJson(flagKey, resolution),
    };
    return { stdout: `${JSON.stringify(json, null, 2)}\n`, stderr: warnings, exitCode };
  }
  const heading = `${flagKey} (${origin.file.format}, ${origin.file.path}) at ${formatInstant(input.value.nowSeconds)}${describeKey(input.value)}`;
  const decided = explanation.decidedBy === undefined ? [] : [`decided by: ${LAYER_NAMES[explanation.decidedBy]}`];
  const answer = `answer: value ${JSON.stringify(resolution.value)}, variant ${resolution.variant ?? '-'}, reason ${resolution.reason ?? '-'}`;
  return { stdout: `${[heading, ...explanation.lines, ...decided, answer].join('\n')}\n`, stderr: warnings, exitCode };
}

interface Explanation {
  readonly lines: readonly string[];
  /** Genesis flags only: the layer that settled the answer and the answer it gave. */
  readonly decidedBy?: DecidingLayer;
  readonly on?: boolean;
}

function explainFlag(
  loaded: LoadedFlags,
  origin: FlagOrigin,
  flagKey: string,
  input: EvaluationInput,
  resolution: Resolution<FlagValue>,
): Explanation {
  const overrideVariable = (key: string): OverrideVariable | undefined => {
    if (!loaded.settings.enabled) return undefined;
    const name = overrideVariableOf(loaded.settings, key);
    return { name, value: loaded.settings.environment[name] };
  };
  if (origin.genesis === undefined) {
    const entry = loaded.set.flags.get(flagKey);
    return { lines: entry === undefined ? [] : explainFlagdFlag(entry, resolution, overrideVariable(flagKey)) };
  }
  const decision = explainGenesisFlag(flagKey, { doc: loaded.genesisFlags, ...input, overrideVariable });
  return { lines: decision.lines, decidedBy: decision.layer, on: decision.on };
}

function describeKey(input: EvaluationInput): string {
  const key = input.context.targetingKey;
  return key === undefined ? ', no targeting key' : `, targeting key "${key}"`;
}
