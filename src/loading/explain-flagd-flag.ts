import type { FlagEntry, FlagValue, Resolution } from '../flagd/model.js';
import type { OverrideVariable } from '../genesis/explain-genesis-flag.js';
import { ENV_OVERRIDE_SOURCE } from './env-overrides.js';

/**
 * The layers of a plain flagd flag, read off its definition and the evaluator's answer: the
 * environment override, the state, the targeting, the default variant. flagd rules are arbitrary
 * JSON Logic, so the answer itself is what tells which branch was taken.
 */
export function explainFlagdFlag(
  entry: FlagEntry,
  resolution: Resolution<FlagValue>,
  variable: OverrideVariable | undefined,
): string[] {
  const { definition } = entry;
  const overridden = definition.metadata?.['source'] === ENV_OVERRIDE_SOURCE;
  const lines = [environmentLine(variable, overridden)];
  if (definition.state === 'DISABLED') return [...lines, "state DISABLED → the caller's default value, no variant"];
  if (resolution.errorCode !== undefined)
    return [...lines, `cannot be evaluated: ${resolution.errorMessage ?? resolution.errorCode}`];
  if (resolution.reason === 'STATIC')
    return [...lines, `no targeting → the default variant "${resolution.variant ?? ''}"`];
  if (resolution.reason === 'TARGETING_MATCH')
    return [...lines, `targeting chose variant "${resolution.variant ?? ''}"`];
  const fallback =
    resolution.variant === undefined
      ? "no default variant → the caller's default value"
      : `the default variant "${resolution.variant}"`;
  return [...lines, `no variant chosen by targeting → ${fallback}`];
}

function environmentLine(variable: OverrideVariable | undefined, overridden: boolean): string {
  if (variable === undefined) return 'environment: overrides are turned off';
  if (overridden) return `environment: ${variable.name}=${variable.value ?? ''} overrides the file (static)`;
  if (variable.value !== undefined)
    return `environment: ${variable.name}=${JSON.stringify(variable.value)} is ignored (fits neither a variant nor the flag's type)`;
  return `environment: ${variable.name} is not set`;
}
