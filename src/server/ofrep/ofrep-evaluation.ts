import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';
import type { FlagMetadata, FlagValue, Resolution } from '../../flagd/model.js';

/** One flag's answer in OFREP's shape: `evaluationSuccess` (with or without a value) or `evaluationFailure`. */
export type OfrepEvaluation =
  | {
      readonly key: string;
      readonly value?: FlagValue;
      readonly reason: string;
      readonly variant?: string;
      readonly metadata: FlagMetadata;
    }
  | {
      readonly key: string;
      readonly errorCode: string;
      readonly errorDetails: string;
      readonly metadata: FlagMetadata;
    };

/** An OFREP answer for one flag and the HTTP status the single-flag endpoint sends it with. */
export interface OfrepAnswer {
  readonly status: 200 | 400 | 404;
  readonly body: OfrepEvaluation;
}

/**
 * Maps a type-less (`any`) resolution to OFREP, as flagd's OFREP service does: FLAG_NOT_FOUND is 404,
 * every other evaluation error 400 with the flag's metadata; a disabled flag, and a flag with no default
 * variant that no rule matched, answer without value and variant (OFREP's `codeDefaultFlag`: the client
 * uses its code default).
 */
export function toOfrepAnswer(key: string, resolution: Resolution<FlagValue>): OfrepAnswer {
  const metadata = resolution.flagMetadata;
  if (resolution.reason === StandardResolutionReasons.ERROR) {
    const errorCode = resolution.errorCode ?? ErrorCode.GENERAL;
    const errorDetails = resolution.errorMessage ?? `Flag '${key}' could not be evaluated`;
    return {
      status: errorCode === ErrorCode.FLAG_NOT_FOUND ? 404 : 400,
      body: { key, errorCode, errorDetails, metadata },
    };
  }
  if (resolution.variant === undefined)
    return { status: 200, body: { key, reason: resolution.reason ?? 'UNKNOWN', metadata } };
  return {
    status: 200,
    body: {
      key,
      value: resolution.value,
      reason: resolution.reason ?? 'UNKNOWN',
      variant: resolution.variant,
      metadata,
    },
  };
}

/** An OFREP answer as the JSON text it is sent as, with the HTTP status of the single-flag endpoint. */
export interface OfrepAnswerJson {
  readonly status: OfrepAnswer['status'];
  readonly json: string;
  /** The text's length in UTF-8 bytes, for `Content-Length`. */
  readonly bytes: number;
}

/**
 * The JSON of the answers a compiled flag builds once, by answer: frozen resolutions with a variant,
 * which evaluation gives again and again and which cannot change while the flag is loaded. A reload
 * compiles new answers, and the old entries go with the old objects.
 */
const answerJsonCache = new WeakMap<Resolution<FlagValue>, OfrepAnswerJson & { readonly key: string }>();

/** `toOfrepAnswer` as JSON text; the text of a flag's own compiled answers is made once. */
export function toOfrepAnswerJson(key: string, resolution: Resolution<FlagValue>): OfrepAnswerJson {
  const known = answerJsonCache.get(resolution);
  if (known !== undefined && known.key === key) return known;
  const answer = toOfrepAnswer(key, resolution);
  const json = JSON.stringify(answer.body);
  const result = { key, status: answer.status, json, bytes: Buffer.byteLength(json) };
  if (resolution.variant !== undefined && Object.isFrozen(resolution)) answerJsonCache.set(resolution, result);
  return result;
}
