import { parseSwitchText, SWITCH_EXPECTED } from '../options/option-kind.js';
import { quoteEnvValue, unusableValue } from '../options/read-options.js';
import type { GenesisDocument, GenesisFlag } from './genesis-document.js';

/** An environment variable set for a flag: its name (for messages) and raw value. */
export interface EnvOverride {
  readonly name: string;
  readonly value: string;
}

/** Finds the variable that overrides a flag, if set; the caller owns the naming rule and the prefix. */
export type EnvOverrideLookup = (flagKey: string) => EnvOverride | undefined;

/** `metadata.source` of a flag an environment variable overrides; the flagd loader marks its overrides alike. */
export const ENV_OVERRIDE_SOURCE = 'env';

/**
 * Applies environment overrides to a Genesis document before translation, so that an override of a
 * parent reaches its children (`ORCHESTRATION_ENABLED=false` turns off every flag requiring it). An
 * overridden flag is on or off for everyone, carries `source: 'env'`, and still obeys its own
 * `requires`: a parent switched off stays the stronger switch. Values it cannot read are warned about
 * by name and ignored.
 */
export function applyGenesisEnvOverrides(
  doc: GenesisDocument,
  lookup: EnvOverrideLookup,
  warn: (message: string) => void,
): GenesisDocument {
  // fromEntries, not assignment: a flag named "__proto__" stays a flag.
  const flags: Record<string, GenesisFlag> = Object.fromEntries(
    Object.entries(doc.flags).map(([key, flag]) => {
      const override = lookup(key);
      const enabled = override === undefined ? undefined : parseSwitch(override, warn);
      return [key, enabled === undefined || override === undefined ? flag : overridden(flag, enabled, override.name)];
    }),
  );
  return { ...doc, flags };
}

function parseSwitch(override: EnvOverride, warn: (message: string) => void): boolean | undefined {
  const enabled = parseSwitchText(override.value);
  if (enabled === undefined)
    warn(`Ignoring ${unusableValue(override.name, quoteEnvValue(override.value), SWITCH_EXPECTED)}`);
  return enabled;
}

function overridden(flag: GenesisFlag, enabled: boolean, variable: string): GenesisFlag {
  return {
    ...flag,
    enabled,
    rollout_strategy: 'all_at_once',
    metadata: { ...flag.metadata, source: ENV_OVERRIDE_SOURCE, envVariable: variable },
  };
}
