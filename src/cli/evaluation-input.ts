import { describeError } from '../errors/describe-error.js';
import type { EvaluationContext } from '../flagd/model.js';
import { isJsonObject } from '../document/json-object.js';
import { parseIsoInstant } from '../genesis/iso-instant.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';

/** The options `eval` and `explain` share, as commander hands them over. */
export interface EvaluationFlags {
  readonly context?: string;
  readonly targetingKey?: string;
  readonly at?: string;
  readonly json?: boolean;
}

/** What one evaluation needs from the command line: the context and the instant, in Unix seconds. */
export interface EvaluationInput {
  readonly context: EvaluationContext;
  readonly nowSeconds: number;
}

/**
 * Reads `--context` (a JSON object), `--targeting-key` (which wins over the context's) and `--at`
 * (an ISO 8601 instant; the clock `nowMs` otherwise). Bad input fails with exit code 1.
 */
export function readEvaluationInput(flags: EvaluationFlags, nowMs: number): Step<EvaluationInput> {
  const context = readContext(flags.context);
  if (!context.ok) return context;
  const now =
    flags.at === undefined ? { ok: true as const, value: Math.floor(nowMs / 1000) } : readInstant(flags.at, '--at');
  if (!now.ok) return now;
  const withKey =
    flags.targetingKey === undefined ? context.value : { ...context.value, targetingKey: flags.targetingKey };
  return { ok: true, value: { context: withKey, nowSeconds: now.value } };
}

function readContext(text: string | undefined): Step<EvaluationContext> {
  if (text === undefined) return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return failure(EXIT_CODES.invalid, `--context is not valid JSON: ${describeError(cause)}`);
  }
  if (!isJsonObject(value)) {
    return failure(
      EXIT_CODES.invalid,
      `--context must be a JSON object, like '{"targetingKey":"user-1","region":"eu"}'`,
    );
  }
  const targetingKey = value['targetingKey'];
  if (targetingKey !== undefined && typeof targetingKey !== 'string') {
    return failure(EXIT_CODES.invalid, '--context: targetingKey must be a string');
  }
  return { ok: true, value: value as EvaluationContext };
}

/** An ISO 8601 date (midnight UTC) or date-time with a zone, in Unix seconds, or a failure naming the option. */
export function readInstant(text: string, option: string): Step<number> {
  const seconds = parseIsoInstant(text.trim());
  if (seconds !== undefined) return { ok: true, value: seconds };
  return failure(
    EXIT_CODES.invalid,
    `${option} ${JSON.stringify(text)} is not an ISO 8601 instant: write 2025-10-21 or 2025-10-21T09:30:00Z`,
  );
}
