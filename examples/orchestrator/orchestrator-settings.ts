import { isProviderKind, PROVIDER_KINDS, type ProviderKind } from './provider-kind.js';

/** The environment variables of the orchestrator example (the providers read their own, `FLAGD_*`). */
export const ORCHESTRATOR_VARIABLES = Object.freeze({
  provider: 'ORCHESTRATOR_PROVIDER',
  flagFile: 'ORCHESTRATOR_FLAG_FILE',
  host: 'ORCHESTRATOR_HOST',
  port: 'ORCHESTRATOR_PORT',
  phase4ErrorRate: 'ORCHESTRATOR_PHASE4_ERROR_RATE',
});

export interface OrchestratorSettings {
  /** Which provider the bootstrap builds. */
  readonly provider: ProviderKind;
  /** The flag file of the file-based providers (`genesis-files`, `in-memory`, `env-then-genesis`); the sync-fed ones read `FLAGD_*`. */
  readonly flagFile: string;
  readonly host: string;
  /** 0 picks a free port; the listening line says which. */
  readonly port: number;
  /** Share (0–1) of requests on the phase-4 pipeline that fail: the demo's fault injection. */
  readonly phase4ErrorRate: number;
}

export const ORCHESTRATOR_DEFAULTS: OrchestratorSettings = Object.freeze({
  provider: 'genesis-files',
  flagFile: 'config/feature_flags.json',
  host: '127.0.0.1',
  port: 8080,
  phase4ErrorRate: 0,
});

export type SettingsOutcome =
  { readonly ok: true; readonly value: OrchestratorSettings } | { readonly ok: false; readonly error: string };

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads the settings once; a bad value stops the service at start, naming the variable. */
export function readOrchestratorSettings(environment: Environment): SettingsOutcome {
  const text = (name: keyof typeof ORCHESTRATOR_VARIABLES): string | undefined => {
    const value = environment[ORCHESTRATOR_VARIABLES[name]]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const problems: string[] = [];
  const provider = text('provider') ?? ORCHESTRATOR_DEFAULTS.provider;
  if (!isProviderKind(provider))
    problems.push(`${ORCHESTRATOR_VARIABLES.provider}=${provider}: expected one of ${PROVIDER_KINDS.join(', ')}`);
  const port = Number(text('port') ?? ORCHESTRATOR_DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    problems.push(`${ORCHESTRATOR_VARIABLES.port}=${text('port')}: expected a port 0-65535`);
  const phase4ErrorRate = Number(text('phase4ErrorRate') ?? ORCHESTRATOR_DEFAULTS.phase4ErrorRate);
  if (!(phase4ErrorRate >= 0 && phase4ErrorRate <= 1)) {
    problems.push(`${ORCHESTRATOR_VARIABLES.phase4ErrorRate}=${text('phase4ErrorRate')}: expected a fraction 0-1`);
  }
  if (problems.length > 0 || !isProviderKind(provider)) return { ok: false, error: problems.join('; ') };
  return {
    ok: true,
    value: Object.freeze({
      provider,
      flagFile: text('flagFile') ?? ORCHESTRATOR_DEFAULTS.flagFile,
      host: text('host') ?? ORCHESTRATOR_DEFAULTS.host,
      port,
      phase4ErrorRate,
    }),
  };
}
