import type { IncomingHttpHeaders } from 'node:http';
import type { EvaluationContext } from '@openfeature/server-sdk';

/**
 * The evaluation context of a request: the caller's id as the targeting key (percentage rollouts
 * bucket on it, canary lists name it) plus `region` and `tenant` for rules that target them.
 */
export const CONTEXT_HEADERS = { targetingKey: 'x-user-id', region: 'x-region', tenant: 'x-tenant' } as const;

export function contextOf(headers: IncomingHttpHeaders): EvaluationContext {
  const context: Record<string, string> = {};
  for (const [attribute, header] of Object.entries(CONTEXT_HEADERS)) {
    const value = headers[header];
    const text = Array.isArray(value) ? value[0] : value;
    if (text !== undefined && text.trim() !== '') context[attribute] = text.trim();
  }
  return context;
}
