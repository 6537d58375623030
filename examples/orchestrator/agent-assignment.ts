/** An agent that runs a step; `dynamic` ones were created for this task by the AATC system. */
export interface Agent {
  readonly name: string;
  readonly dynamic: boolean;
}

/** Capabilities a step may need, recognised by its wording. */
const CAPABILITIES: ReadonlyArray<readonly [capability: string, pattern: RegExp]> = [
  ['coder', /\b(code|bug|function|refactor|test)\b/i],
  ['writer', /\b(write|summari[sz]e|translate|draft)\b/i],
  ['researcher', /\b(research|find|compare|survey)\b/i],
  ['web-scraper', /\b(scrape|crawl)\b/i],
  ['table-analyst', /\b(csv|spreadsheet|excel)\b/i],
  ['document-reader', /\b(pdf|docx)\b/i],
];

/** The agents that exist before any task arrives. */
const STANDING_AGENTS = new Set(['coder', 'writer', 'researcher']);
const GENERALIST: Agent = { name: 'generalist', dynamic: false };

export interface Assignment {
  readonly agent: Agent;
  /** A capability the step needed that no standing agent has, when no agent was created for it. */
  readonly unsupported: string | null;
}

/**
 * Picks the agent for a step. A capability no standing agent has is served by a new, sandboxed agent
 * when `createAgents` is on (the AATC system); otherwise the generalist takes the step and the gap is
 * reported.
 */
export function assignAgent(step: string, createAgents: boolean): Assignment {
  const capability = CAPABILITIES.find(([, pattern]) => pattern.test(step))?.[0];
  if (capability === undefined) return { agent: GENERALIST, unsupported: null };
  if (STANDING_AGENTS.has(capability)) return { agent: { name: capability, dynamic: false }, unsupported: null };
  return createAgents
    ? { agent: { name: `aatc-${capability}`, dynamic: true }, unsupported: null }
    : { agent: GENERALIST, unsupported: capability };
}
