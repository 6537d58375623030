import type { FlagDefinition, FlagMetadata, FlagSetDocument } from '../flagd/model.js';
import { checkGenesisDocument } from './check-genesis-document.js';
import { flagsInScope, parseRequirement, type RequiresScope } from './check-requires.js';
import type { ResultWithWarnings } from '../errors/result.js';
import type { GenesisDocument, GenesisFlag } from './genesis-document.js';
import { genesisFailure } from './genesis-failure.js';
import { percentageWeight, resolveRolloutRamp } from './rollout-ramp.js';
import { canaryRule, rampRule, requireParent, weightRule, type VariantRule } from './variant-rule.js';

/** Options of the translation; all optional. */
export interface TranslateOptions {
  /** The context attribute `canary_regions` are matched against. @default 'region' */
  readonly regionAttribute?: string;
  /** The other files' flags, where parents may be too (see `RequiresScope`). */
  readonly scope?: RequiresScope;
}

/** Every translated flag is boolean: `on` is true, `off` is false. */
const VARIANTS = { on: true, off: false } as const;

/**
 * Translates a Genesis document into a standard flagd flag set: one boolean flag per Genesis flag,
 * its rollout written as JSON Logic with flagd's own operators only, each parent's rule inlined
 * around its children. Pure; fails with every problem `checkGenesisDocument` finds.
 */
export function translateGenesisDocument(
  doc: GenesisDocument,
  options: TranslateOptions = {},
): ResultWithWarnings<FlagSetDocument> {
  const problems = checkGenesisDocument(doc, options.scope);
  if (problems.length > 0) return genesisFailure('Cannot translate the Genesis document', problems);
  const regionAttribute = options.regionAttribute ?? 'region';
  const known = flagsInScope(doc.flags, options.scope);
  const rules = new Map<string, VariantRule>();
  // Checked above: every parent exists (or is in a file not loaded yet: off until then) and there is
  // no cycle, so this recursion ends.
  const ruleOf = (key: string): VariantRule => {
    const done = rules.get(key);
    if (done !== undefined) return done;
    if (!Object.hasOwn(known, key)) return 'off';
    const flag = known[key] as GenesisFlag;
    const rule = (flag.requires ?? []).reduceRight(
      (child, entry) => {
        const parent = parseRequirement(entry);
        return requireParent(ruleOf(parent.key), parent.mustBe, child);
      },
      ownRule(key, flag, regionAttribute),
    );
    rules.set(key, rule);
    return rule;
  };
  const flags = Object.fromEntries(
    Object.entries(doc.flags).map(([key, flag]) => [key, toFlagDefinition(key, flag, ruleOf(key))]),
  );
  const value: FlagSetDocument = doc.metadata === undefined ? { flags } : { flags, metadata: doc.metadata };
  return { ok: true, value, warnings: [] };
}

/** The flag's rule before its parents are considered. */
function ownRule(key: string, flag: GenesisFlag, regionAttribute: string): VariantRule {
  if (!flag.enabled) return 'off';
  switch (flag.rollout_strategy ?? 'all_at_once') {
    case 'all_at_once':
      return 'on';
    case 'percentage':
      return weightRule(key, percentageWeight(flag.rollout_percentage ?? 0));
    case 'canary': {
      const canary = { users: flag.canary_users ?? [], regions: flag.canary_regions ?? [], regionAttribute };
      return canaryRule(canary, weightRule(key, percentageWeight(flag.rollout_percentage ?? 0)));
    }
    case 'progressive': {
      const ramp = resolveRolloutRamp(flag);
      if (ramp === undefined) throw new Error(`Progressive flag ${key} has no ramp although it passed the checks`);
      return rampRule(key, ramp);
    }
  }
}

/**
 * A constant rule becomes the default variant with no targeting (reason STATIC). A disabled Genesis
 * flag is such a constant `off`, never flagd's DISABLED state, which would answer the caller's default.
 */
function toFlagDefinition(key: string, flag: GenesisFlag, rule: VariantRule): FlagDefinition {
  const metadata = flagMetadata(key, flag);
  if (rule === 'on' || rule === 'off') return { state: 'ENABLED', variants: VARIANTS, defaultVariant: rule, metadata };
  return { state: 'ENABLED', variants: VARIANTS, defaultVariant: 'off', targeting: rule, metadata };
}

/** The flag's own metadata, then what the Genesis fields say (these win: they are what was translated). */
function flagMetadata(key: string, flag: GenesisFlag): FlagMetadata {
  return {
    ...flag.metadata,
    ...(flag.description === undefined ? {} : { description: flag.description }),
    ...(flag.category === undefined ? {} : { category: flag.category }),
    ...(flag.requires === undefined || flag.requires.length === 0 ? {} : { requires: flag.requires.join(',') }),
    strategy: flag.rollout_strategy ?? 'all_at_once',
    genesisKey: key,
  };
}
