import type { Logger } from '@openfeature/core';
import { flagEnvVariableName, type EnvironmentSnapshot } from '../loading/env-overrides.js';
import { resolveProviderConfig } from '../provider/provider-options.js';

/** How environment overrides apply to the flag commands; `enabled: false` when turned off. */
export interface EnvOverrideSettings {
  readonly enabled: boolean;
  readonly environment: EnvironmentSnapshot;
  readonly prefix: string;
}

/**
 * The commands answer as the provider would in this environment, so overrides follow the provider's
 * own settings (`GENESIS_FLAGS_ENV_OVERRIDES`, `GENESIS_FLAGS_ENV_PREFIX`), resolved by the same
 * function. A bad setting is reported through `warn`, as the provider logs it.
 */
export function readEnvOverrideSettings(
  environment: EnvironmentSnapshot,
  warn: (message: string) => void,
): EnvOverrideSettings {
  const logger: Logger = { error: warn, warn, info: () => {}, debug: () => {} };
  const config = resolveProviderConfig({ logger }, environment);
  return { enabled: config.envOverrides, environment: config.environment, prefix: config.envPrefix };
}

/** The variable that overrides a flag under these settings. */
export function overrideVariableOf(settings: EnvOverrideSettings, flagKey: string): string {
  return flagEnvVariableName(flagKey, settings.prefix);
}
