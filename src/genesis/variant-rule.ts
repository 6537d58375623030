import type { JsonValue } from '../flagd/model.js';
import { TOTAL_WEIGHT, type RolloutRamp, type WeightStep } from './rollout-ramp.js';

/**
 * A flag's answer as flagd targeting: a constant variant, or a JSON Logic rule that evaluates to
 * `"on"` or `"off"`. Only flagd's own operators are used, so any flagd evaluator gives the same answer.
 */
export type VariantRule = 'on' | 'off' | { readonly [operator: string]: JsonValue };

const TIMESTAMP = { var: '$flagd.timestamp' };
const TARGETING_KEY = { var: 'targetingKey' };

/** A constant weight as a rule: none on is `off`, all on is `on`, anything between is bucketed. */
export function weightRule(flagKey: string, weight: number): VariantRule {
  if (weight <= 0) return 'off';
  if (weight >= TOTAL_WEIGHT) return 'on';
  return bucketRule(flagKey, weight);
}

/**
 * `fractional` over `on`/`off` with a constant total, so a user's bucket never moves and raising
 * the `on` weight only ever adds users. The bucketing key is written out (`flagKey + targetingKey`,
 * flagd's default) so the rule buckets by this flag's key even when inlined into a child flag.
 * Without a targeting key there is nothing to bucket: `off`.
 */
function bucketRule(flagKey: string, onWeight: JsonValue): VariantRule {
  const offWeight = typeof onWeight === 'number' ? TOTAL_WEIGHT - onWeight : { '-': [TOTAL_WEIGHT, onWeight] };
  const fractional = { fractional: [{ cat: [flagKey, TARGETING_KEY] }, ['on', onWeight], ['off', offWeight]] };
  return { if: [TARGETING_KEY, fractional, 'off'] };
}

/** A progressive ramp: `off` before it starts, its final weight from the end, bucketed in between. */
export function rampRule(flagKey: string, ramp: RolloutRamp): VariantRule {
  return ramp.kind === 'linear' ? linearRule(flagKey, ramp) : stepsRule(flagKey, ramp.steps);
}

type LinearRamp = Extract<RolloutRamp, { kind: 'linear' }>;

function linearRule(flagKey: string, ramp: LinearRamp): VariantRule {
  const { startSeconds, endSeconds, fromWeight, toWeight } = ramp;
  const during = fromWeight === toWeight ? weightRule(flagKey, fromWeight) : bucketRule(flagKey, linearWeight(ramp));
  return {
    if: [
      { '<': [TIMESTAMP, startSeconds] },
      'off',
      { '>=': [TIMESTAMP, endSeconds] },
      weightRule(flagKey, toWeight),
      during,
    ],
  };
}

/**
 * from + floor((t − start) × (to − from) / duration) in integer arithmetic: JSON Logic has no floor,
 * and n − n % d is an exact multiple of d, so the division is exact and the weight an integer.
 */
function linearWeight({ startSeconds, endSeconds, fromWeight, toWeight }: LinearRamp): JsonValue {
  const scaled = { '*': [{ '-': [TIMESTAMP, startSeconds] }, toWeight - fromWeight] };
  const duration = endSeconds - startSeconds;
  const floored = { '/': [{ '-': [scaled, { '%': [scaled, duration] }] }, duration] };
  return fromWeight === 0 ? floored : { '+': [fromWeight, floored] };
}

/** Latest step first: the first step already reached decides; before the first step (or at 0 %) `off`. */
function stepsRule(flagKey: string, steps: readonly WeightStep[]): VariantRule {
  const branches = steps
    .filter((step) => step.weight > 0)
    .reverse()
    .flatMap((step) => [{ '>=': [TIMESTAMP, step.atSeconds] }, weightRule(flagKey, step.weight)]);
  return branches.length === 0 ? 'off' : { if: [...branches, 'off'] };
}

/** Canary users (by targeting key) and canary regions (by a context attribute) are on; everyone else follows `otherwise`. */
export function canaryRule(
  canary: { readonly users: readonly string[]; readonly regions: readonly string[]; readonly regionAttribute: string },
  otherwise: VariantRule,
): VariantRule {
  const tests: JsonValue[] = [];
  if (canary.users.length > 0) tests.push({ in: [TARGETING_KEY, [...canary.users]] });
  if (canary.regions.length > 0) tests.push({ in: [{ var: canary.regionAttribute }, [...canary.regions]] });
  const [only] = tests;
  if (only === undefined || otherwise === 'on') return otherwise;
  return { if: [tests.length === 1 ? only : { or: tests }, 'on', otherwise] };
}

/** The child's rule, guarded by its parent's own rule: the child can only be on while the parent is `mustBe`. */
export function requireParent(parent: VariantRule, mustBe: 'on' | 'off', child: VariantRule): VariantRule {
  if (parent === mustBe) return child;
  if (parent === 'on' || parent === 'off' || child === 'off') return 'off';
  const parentOn = { '==': [parent, 'on'] };
  return mustBe === 'on' ? { if: [parentOn, child, 'off'] } : { if: [parentOn, 'off', child] };
}
