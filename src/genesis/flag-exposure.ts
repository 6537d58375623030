import { hasTargeting } from '../flagd/has-targeting.js';
import type { FlagDefinition } from '../flagd/model.js';
import { parseRequirement } from './check-requires.js';
import type { GenesisDocument, GenesisFlag } from './genesis-document.js';
import { formatWeight, percentageWeight, rampWeightAt, resolveRolloutRamp, TOTAL_WEIGHT } from './rollout-ramp.js';

/** The share of users a flag is on for at an instant. */
export interface Exposure {
  /** Out of TOTAL_WEIGHT, by the flag's own rule; canary users and regions come on top. */
  readonly weight: number;
  readonly canaries: boolean;
  /** A parent is on for some users only, so the flag is on for at most this share. */
  readonly boundedByParents: boolean;
}

const NOBODY: Exposure = { weight: 0, canaries: false, boundedByParents: false };

/**
 * A Genesis flag's exposure at an instant: its own share (0 when disabled, the percentage, or the
 * ramp's weight at that instant), and 0 when a parent in `requires` blocks everyone. Parents and
 * child bucket users by different keys, so a partly-on parent only bounds the share.
 */
export function genesisExposure(doc: GenesisDocument, flagKey: string, nowSeconds: number): Exposure {
  const flag = doc.flags[flagKey] as GenesisFlag;
  const own = ownExposure(flag, nowSeconds);
  if (own.weight === 0 && !own.canaries) return NOBODY;
  let boundedByParents = false;
  for (const entry of flag.requires ?? []) {
    const { key, mustBe } = parseRequirement(entry);
    const parent = genesisExposure(doc, key, nowSeconds);
    const everyoneOn = parent.weight >= TOTAL_WEIGHT && !parent.boundedByParents;
    const nobodyOn = parent.weight === 0 && !parent.canaries;
    if (mustBe === 'on' ? nobodyOn : everyoneOn) return NOBODY;
    if (!(mustBe === 'on' ? everyoneOn : nobodyOn)) boundedByParents = true;
  }
  return { ...own, boundedByParents };
}

function ownExposure(flag: GenesisFlag, nowSeconds: number): Exposure {
  if (!flag.enabled) return NOBODY;
  const percentage = percentageWeight(flag.rollout_percentage ?? 0);
  switch (flag.rollout_strategy ?? 'all_at_once') {
    case 'all_at_once':
      return { weight: TOTAL_WEIGHT, canaries: false, boundedByParents: false };
    case 'percentage':
      return { weight: percentage, canaries: false, boundedByParents: false };
    case 'canary':
      return { weight: percentage, canaries: true, boundedByParents: false };
    case 'progressive': {
      const ramp = resolveRolloutRamp(flag);
      return {
        weight: ramp === undefined ? 0 : rampWeightAt(ramp, nowSeconds),
        canaries: false,
        boundedByParents: false,
      };
    }
  }
}

/** A flagd flag's exposure, known only for a static boolean flag: 100% or 0%. */
export function flagdExposure(definition: FlagDefinition): Exposure | undefined {
  if (
    definition.state === 'DISABLED' ||
    hasTargeting(definition.targeting) ||
    typeof definition.defaultVariant !== 'string'
  )
    return undefined;
  const value = definition.variants[definition.defaultVariant];
  if (typeof value !== 'boolean') return undefined;
  return { weight: value ? TOTAL_WEIGHT : 0, canaries: false, boundedByParents: false };
}

/** `28.57%`, `≤ 28.57%` when bounded by a parent, `10% + canaries`. */
export function formatExposure(exposure: Exposure): string {
  return `${exposure.boundedByParents ? '≤ ' : ''}${formatWeight(exposure.weight)}${exposure.canaries ? ' + canaries' : ''}`;
}
