/** What an orchestrator answers to a fixed set of questions: the basis of comparing providers. */
export interface ProviderAnswers {
  /** Per caller, every orchestrator flag's value. */
  readonly flags: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /** Per task, the routing decision without what is specific to one instance (ids, times). */
  readonly decisions: readonly Readonly<Record<string, unknown>>[];
}

export const CALLERS = [
  { 'x-user-id': 'alice', 'x-region': 'eu-west', 'x-tenant': 'acme' },
  { 'x-user-id': 'bob', 'x-region': 'us-east', 'x-tenant': 'globex' },
  { 'x-user-id': 'carol', 'x-region': 'ap-south', 'x-tenant': 'initech' },
] as const;

export const TASKS = [
  { description: 'Summarize the incident report.', priority: 'normal' },
  { description: 'Refactor the billing module. Then write tests for the new function.', priority: 'high' },
  { description: 'Scrape the changelog pages then design a migration architecture.', priority: 'critical' },
] as const;

/** Asks one orchestrator every question, as every caller. */
export async function askOrchestrator(baseUrl: string): Promise<ProviderAnswers> {
  const flags: Record<string, Record<string, boolean>> = {};
  const decisions: Record<string, unknown>[] = [];
  for (const caller of CALLERS) {
    const response = await fetch(`${baseUrl}/flags`, { headers: caller });
    const body = (await response.json()) as { flags: Record<string, { value: boolean }> };
    flags[caller['x-user-id']] = Object.fromEntries(
      Object.entries(body.flags).map(([key, details]) => [key, details.value]),
    );
    for (const task of TASKS) {
      const headers = { ...caller, 'content-type': 'application/json' };
      const answer = await fetch(`${baseUrl}/tasks`, { method: 'POST', headers, body: JSON.stringify(task) });
      decisions.push(comparable(answer.status, (await answer.json()) as Record<string, unknown>));
    }
  }
  return { flags, decisions };
}

/** The decision as the caller sees it, minus the task id, the time and the cache state of one instance. */
function comparable(status: number, body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, createdAt: _createdAt, cache: _cache, ...decision } = body;
  return { status, ...decision };
}
