import type { Instance } from '../fleet/orchestrator-fleet.js';

/** Sets the share of failing phase-4 requests on one instance. */
export async function setPhase4ErrorRate(instance: Instance, rate: number): Promise<void> {
  const response = await fetch(`${instance.url}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phase4ErrorRate: rate }),
  });
  if (!response.ok) throw new Error(`${instance.name}: setting the fault rate answered ${response.status}`);
}

/** How many of `users` the instance serves on the phase-4 path, asked through `GET /flags`. */
export async function countPhase4Users(instance: Instance, users: readonly string[]): Promise<number> {
  const answers = await Promise.all(
    users.map(async (user) => {
      const response = await fetch(`${instance.url}/flags`, { headers: { 'x-user-id': user } });
      const body = (await response.json()) as { flags: Record<string, { value: boolean }> };
      return body.flags['phase_4_deployment']?.value === true;
    }),
  );
  return answers.filter(Boolean).length;
}
