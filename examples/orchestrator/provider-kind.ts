/** The providers the orchestrator can run on, chosen by `ORCHESTRATOR_PROVIDER`. */
export const PROVIDER_KINDS = [
  'genesis-files',
  'genesis-sync',
  'flagd-in-process',
  'in-memory',
  'env-then-genesis',
] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];

export function isProviderKind(text: string): text is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(text);
}
