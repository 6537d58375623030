import { createHash } from 'node:crypto';
import { canonicalJson } from '../../document/canonical-json.js';
import type { DeploymentPlan } from './deployment-plan.js';

/** A short digest of the plan over its canonical JSON (keys sorted), so key order never matters. */
export function hashPlan(plan: DeploymentPlan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex').slice(0, 16);
}
