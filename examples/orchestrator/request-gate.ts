import type { Client, EvaluationContext } from '@openfeature/server-sdk';
import { EMERGENCY_FLAGS } from './orchestrator-flags.js';

/** Whether a request changes state: read-only mode rejects writes and serves reads. */
export type Access = 'read' | 'write';

/** A new request is let through, or turned away by an emergency flag with the response to give. */
export type GateVerdict =
  | { readonly kind: 'open' }
  | {
      readonly kind: 'closed';
      readonly status: 503 | 423;
      readonly flag: string;
      readonly message: string;
      readonly retryAfterSeconds?: number;
    };

const OPEN: GateVerdict = { kind: 'open' };

/**
 * The emergency flags, most drastic first, evaluated for this caller (so a canary or percentage rule
 * acts per user). Only new requests pass through here: a request already past the gate finishes
 * even if a flag flips while it runs. Defaults are `false`: a flag that cannot be read closes nothing.
 */
export async function checkRequestGate(
  client: Client,
  context: EvaluationContext,
  access: Access,
): Promise<GateVerdict> {
  if (await client.getBooleanValue(EMERGENCY_FLAGS.shutdown, false, context)) {
    return {
      kind: 'closed',
      status: 503,
      flag: EMERGENCY_FLAGS.shutdown,
      message: 'Emergency shutdown: new requests are rejected',
    };
  }
  if (await client.getBooleanValue(EMERGENCY_FLAGS.maintenance, false, context)) {
    return {
      kind: 'closed',
      status: 503,
      flag: EMERGENCY_FLAGS.maintenance,
      message: 'Genesis is down for maintenance; please retry later',
      retryAfterSeconds: 300,
    };
  }
  if (access === 'write' && (await client.getBooleanValue(EMERGENCY_FLAGS.readOnly, false, context))) {
    return {
      kind: 'closed',
      status: 423,
      flag: EMERGENCY_FLAGS.readOnly,
      message: 'Read-only mode: writes are rejected, reads are served',
    };
  }
  return OPEN;
}
