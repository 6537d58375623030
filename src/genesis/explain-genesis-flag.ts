import type { EvaluationContext } from '../flagd/model.js';
import { ENV_OVERRIDE_SOURCE } from './apply-genesis-env-overrides.js';
import { parseRequirement } from './check-requires.js';
import type { GenesisDocument, GenesisFlag } from './genesis-document.js';
import { formatInstant } from './iso-instant.js';
import {
  formatWeight,
  percentageWeight,
  rampWeightAt,
  resolveRolloutRamp,
  TOTAL_WEIGHT,
  type RolloutRamp,
} from './rollout-ramp.js';
import { userBucket } from './user-bucket.js';

/** The layer that settled a Genesis flag's answer, in the order they are consulted. */
export type DecidingLayer = 'environment' | 'disabled' | 'parent' | 'all-at-once' | 'canary' | 'rollout' | 'default';

/** A flag's answer for one context at one instant, with the plain lines saying how it came about. */
export interface Decision {
  readonly on: boolean;
  readonly layer: DecidingLayer;
  readonly lines: readonly string[];
}

/** The variable that overrides a flag, and its value when set. */
export interface OverrideVariable {
  readonly name: string;
  readonly value: string | undefined;
}

export interface GenesisExplainInput {
  /** The document with environment overrides applied, as it is evaluated. */
  readonly doc: GenesisDocument;
  readonly context: EvaluationContext;
  readonly nowSeconds: number;
  /** The flag's override variable; undefined when overrides are turned off. */
  readonly overrideVariable: (flagKey: string) => OverrideVariable | undefined;
  /** @default 'region', as the translation's default */
  readonly regionAttribute?: string;
}

/**
 * Walks the Genesis rules the way the translated flagd rule decides, without evaluating it: the
 * environment override, `enabled`, each parent in `requires` (explained the same way, recursively),
 * then the strategy: canary lists, the rollout bucket against the threshold at that instant, and the
 * default `off` when there is no targeting key to bucket. The caller checks that the key exists.
 */
export function explainGenesisFlag(flagKey: string, input: GenesisExplainInput): Decision {
  const flag = input.doc.flags[flagKey] as GenesisFlag;
  const overridden = flag.metadata?.['source'] === ENV_OVERRIDE_SOURCE;
  const lines = [environmentLine(flagKey, flag, overridden, input)];
  if (!flag.enabled) {
    const layer = overridden ? 'environment' : 'disabled';
    return {
      on: false,
      layer,
      lines: [...lines, overridden ? '→ off for everyone' : 'enabled: false → off for everyone'],
    };
  }
  for (const entry of flag.requires ?? []) {
    const parent = parseRequirement(entry);
    const decision = explainGenesisFlag(parent.key, input);
    const met = decision.on === (parent.mustBe === 'on');
    lines.push(
      `requires "${entry}": ${parent.key} must be ${parent.mustBe}`,
      ...decision.lines.map((line) => `  ${line}`),
    );
    lines.push(met ? `requirement "${entry}" met` : `requirement "${entry}" not met → off`);
    if (!met) return { on: false, layer: 'parent', lines };
  }
  if (overridden) return { on: true, layer: 'environment', lines: [...lines, '→ on for everyone'] };
  const own = strategyDecision(flagKey, flag, input);
  return { ...own, lines: [...lines, ...own.lines] };
}

function environmentLine(flagKey: string, flag: GenesisFlag, overridden: boolean, input: GenesisExplainInput): string {
  const variable = input.overrideVariable(flagKey);
  if (variable === undefined) return 'environment: overrides are turned off';
  if (overridden)
    return `environment: ${variable.name}=${variable.value ?? ''} overrides the file: ${flag.enabled ? 'on' : 'off'}`;
  if (variable.value !== undefined)
    return `environment: ${variable.name}=${JSON.stringify(variable.value)} is ignored (not a true/false value)`;
  return `environment: ${variable.name} is not set`;
}

function strategyDecision(flagKey: string, flag: GenesisFlag, input: GenesisExplainInput): Decision {
  const percentage = flag.rollout_percentage ?? 0;
  switch (flag.rollout_strategy ?? 'all_at_once') {
    case 'all_at_once':
      return { on: true, layer: 'all-at-once', lines: ['rollout_strategy all_at_once → on for everyone'] };
    case 'percentage':
      return bucketDecision(
        flagKey,
        percentageWeight(percentage),
        [`rollout_strategy percentage: ${percentage}% of users`],
        input.context,
      );
    case 'canary':
      return canaryDecision(flagKey, flag, input);
    case 'progressive': {
      const ramp = resolveRolloutRamp(flag) as RolloutRamp;
      const weight = rampWeightAt(ramp, input.nowSeconds);
      const lines = [
        `rollout_strategy progressive: ${describeRamp(ramp)}`,
        `exposure at ${formatInstant(input.nowSeconds)}: ${formatWeight(weight)}`,
      ];
      return bucketDecision(flagKey, weight, lines, input.context);
    }
  }
}

function canaryDecision(flagKey: string, flag: GenesisFlag, input: GenesisExplainInput): Decision {
  const targetingKey = input.context.targetingKey;
  const attribute = input.regionAttribute ?? 'region';
  const region = input.context[attribute];
  if (targetingKey !== undefined && (flag.canary_users ?? []).includes(targetingKey)) {
    return { on: true, layer: 'canary', lines: [`targeting key "${targetingKey}" is in canary_users → on`] };
  }
  if ((flag.canary_regions ?? []).some((listed) => listed === region)) {
    return { on: true, layer: 'canary', lines: [`${attribute} ${JSON.stringify(region)} is in canary_regions → on`] };
  }
  const who = targetingKey === undefined ? 'no targeting key' : `targeting key "${targetingKey}"`;
  const where = region === undefined ? `no ${attribute}` : `${attribute} ${JSON.stringify(region)}`;
  const percentage = flag.rollout_percentage ?? 0;
  const lines = [
    `not a canary (${who} not in canary_users, ${where} not in canary_regions)`,
    `everyone else: ${percentage}% of users`,
  ];
  return bucketDecision(flagKey, percentageWeight(percentage), lines, input.context);
}

/** `on` for the users whose bucket is below the weight; no targeting key leaves the default, `off`. */
function bucketDecision(
  flagKey: string,
  weight: number,
  lines: readonly string[],
  context: EvaluationContext,
): Decision {
  if (weight <= 0) return { on: false, layer: 'rollout', lines: [...lines, 'exposure 0% → off for everyone'] };
  if (weight >= TOTAL_WEIGHT)
    return { on: true, layer: 'rollout', lines: [...lines, 'exposure 100% → on for everyone'] };
  const targetingKey = context.targetingKey;
  if (targetingKey === undefined || targetingKey === '') {
    return {
      on: false,
      layer: 'default',
      lines: [...lines, 'no targeting key: nobody to bucket → the default variant, off'],
    };
  }
  const bucket = userBucket(flagKey, targetingKey);
  const on = bucket < weight;
  return {
    on,
    layer: 'rollout',
    lines: [
      ...lines,
      `bucket ${bucket} of ${TOTAL_WEIGHT} (MurmurHash3 of "${flagKey}${targetingKey}")`,
      `threshold ${weight} of ${TOTAL_WEIGHT}: ${bucket} ${on ? '<' : '>='} ${weight} → ${on ? 'on' : 'off'}`,
    ],
  };
}

function describeRamp(ramp: RolloutRamp): string {
  if (ramp.kind === 'linear') {
    const from = `${formatWeight(ramp.fromWeight)} at ${formatInstant(ramp.startSeconds)}`;
    return `linear ramp from ${from} to ${formatWeight(ramp.toWeight)} at ${formatInstant(ramp.endSeconds)}`;
  }
  return `steps ${ramp.steps.map((step) => `${formatWeight(step.weight)} from ${formatInstant(step.atSeconds)}`).join(', ')}`;
}
