import type { Client, EvaluationContext } from '@openfeature/server-sdk';

/** The flags the orchestrator decides by; every one is evaluated per request. */
export const FEATURE_FLAGS = {
  orchestration: 'orchestration_enabled',
  llm: 'llm_integration_enabled',
  aatc: 'aatc_system_enabled',
  performance: 'performance_optimizations_enabled',
  phase4: 'phase_4_deployment',
} as const;

export const EMERGENCY_FLAGS = {
  shutdown: 'emergency_shutdown',
  maintenance: 'maintenance_mode',
  readOnly: 'read_only_mode',
} as const;

export const ORCHESTRATOR_FLAG_KEYS: readonly string[] = [
  ...Object.values(EMERGENCY_FLAGS),
  ...Object.values(FEATURE_FLAGS),
];

export type FeatureName = keyof typeof FEATURE_FLAGS;

/** The feature switches one request is served with. */
export type Features = Readonly<Record<FeatureName, boolean>>;

/**
 * Evaluates the feature flags for one caller. Every default is `false`: if flags cannot be read, the
 * orchestrator falls back to v1 with no optional feature, the path that worked before all of them.
 */
export async function readFeatures(client: Client, context: EvaluationContext): Promise<Features> {
  const names = Object.keys(FEATURE_FLAGS) as FeatureName[];
  const values = await Promise.all(names.map((name) => client.getBooleanValue(FEATURE_FLAGS[name], false, context)));
  return Object.fromEntries(names.map((name, index) => [name, values[index] === true])) as Record<FeatureName, boolean>;
}
