/*
 * The one place that knows where flags come from. Everything else in the orchestrator talks to the
 * OpenFeature client only, so swapping the provider is a change of ORCHESTRATOR_PROVIDER, not of code.
 */
import { readFileSync } from 'node:fs';
import { EnvVarProvider } from '@openfeature/env-var-provider';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { MultiProvider } from '@openfeature/multi-provider';
import { TypedInMemoryProvider, type Provider } from '@openfeature/server-sdk';
import { GenesisProvider, loadFlagDocument } from 'genesis-flags';
import type { OrchestratorSettings } from './orchestrator-settings.js';

type InMemoryFlags = ConstructorParameters<typeof TypedInMemoryProvider>[0];

/** Builds the provider `settings.provider` names; `warn` hears what a provider cannot do. */
export function createFlagProvider(settings: OrchestratorSettings, warn: (message: string) => void): Provider {
  switch (settings.provider) {
    case 'genesis-files':
      return new GenesisProvider({ path: settings.flagFile });
    case 'genesis-sync':
      // Our provider subscribed to a flagd.sync.v1 server; host, port, TLS, token and the rest come
      // from FLAGD_HOST, FLAGD_PORT / FLAGD_SYNC_PORT and the other variables it shares with flagd.
      return new GenesisProvider({ sync: {} });
    case 'flagd-in-process':
      // The official provider syncs from any flagd.sync.v1 server (ours included); it reads
      // FLAGD_HOST and FLAGD_PORT / FLAGD_SYNC_PORT itself (defaults localhost:8015).
      return new FlagdProvider({ resolverType: 'in-process' });
    case 'in-memory':
      return new TypedInMemoryProvider(snapshotFlags(settings.flagFile, warn));
    case 'env-then-genesis':
      // The environment-variable provider answers first (read at every evaluation); a flag with no
      // variable falls through (FLAG_NOT_FOUND) to ours. Our own start-time overrides are turned off
      // so that the variables reach the orchestrator through one path only.
      return new MultiProvider([
        { provider: new EnvVarProvider() },
        { provider: new GenesisProvider({ path: settings.flagFile, envOverrides: false }) },
      ]);
  }
}

/**
 * The flag file as the InMemoryProvider's configuration, read once: each flag's variants and default
 * variant. Targeting rules are not carried over (the InMemoryProvider has no rule engine), so a
 * flag with a rule serves its default variant to everyone; those flags are named in a warning.
 */
function snapshotFlags(flagFile: string, warn: (message: string) => void): InMemoryFlags {
  const loaded = loadFlagDocument(readFileSync(flagFile, 'utf8'), flagFile, { strict: false });
  if (!loaded.ok) throw new Error(`Cannot load ${flagFile}: ${loaded.error}`);
  const flags: InMemoryFlags = {};
  const ruled: string[] = [];
  for (const { key, definition } of loaded.value.flags.values()) {
    if (typeof definition.defaultVariant !== 'string') continue;
    if (definition.targeting !== undefined && JSON.stringify(definition.targeting) !== '{}') ruled.push(key);
    flags[key] = {
      variants: { ...definition.variants },
      defaultVariant: definition.defaultVariant,
      disabled: definition.state === 'DISABLED',
    };
  }
  if (ruled.length > 0)
    warn(`in-memory provider: targeting not evaluated, default variant served for ${ruled.join(', ')}`);
  return flags;
}
