import type { JsonObject } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';
import type { FlagType, FlagValue, JsonValue, Resolution } from '../../flagd/model.js';

/** What each Resolve* method asks for: the OpenFeature type plus, for numbers, which proto field carries it. */
export type WireType = 'boolean' | 'string' | 'float' | 'int' | 'object';

/** The proto type of each Resolve* method's value. */
export interface WireValues {
  readonly boolean: boolean;
  readonly string: string;
  readonly float: number;
  readonly int: bigint;
  readonly object: JsonObject;
}

/** One answer as the Resolve* responses carry it; value and variant are left out when the flag has none. */
export interface WireAnswer<V> {
  readonly value?: V;
  readonly reason: string;
  readonly variant?: string;
  readonly metadata: JsonObject;
}

export const FLAG_TYPE_OF: Readonly<Record<WireType, FlagType>> = Object.freeze({
  boolean: 'boolean',
  string: 'string',
  float: 'number',
  int: 'number',
  object: 'object',
});

/** Placeholder defaults: the server never sees the caller's, and answers without a value when it would be used. */
export const WIRE_DEFAULTS: Readonly<Record<WireType, FlagValue>> = Object.freeze({
  boolean: false,
  string: '',
  float: 0,
  int: 0,
  object: Object.freeze({}),
});

/**
 * flagd's mapping of evaluation errors to RPC codes (flagd's `errFormat`): NOT_FOUND for a missing flag,
 * INVALID_ARGUMENT for a type mismatch, DATA_LOSS for a flag that could not be parsed, UNKNOWN otherwise.
 */
const ERROR_CODES: Readonly<Partial<Record<ErrorCode, Code>>> = Object.freeze({
  [ErrorCode.FLAG_NOT_FOUND]: Code.NotFound,
  [ErrorCode.TYPE_MISMATCH]: Code.InvalidArgument,
  [ErrorCode.PARSE_ERROR]: Code.DataLoss,
  [ErrorCode.INVALID_CONTEXT]: Code.InvalidArgument,
  [ErrorCode.TARGETING_KEY_MISSING]: Code.InvalidArgument,
});

/** The RPC error of an ERROR resolution, or undefined for a resolution that answers. */
export function errorOf(resolution: Resolution<FlagValue>): ConnectError | undefined {
  if (resolution.reason !== StandardResolutionReasons.ERROR) return undefined;
  const errorCode = resolution.errorCode ?? ErrorCode.GENERAL;
  return new ConnectError(resolution.errorMessage ?? errorCode, ERROR_CODES[errorCode] ?? Code.Unknown);
}

/**
 * The wire form of a successful resolution. Without a variant (a disabled flag, or no default variant)
 * the value is the caller's default, which only the caller knows: both are left out, which v2's optional
 * fields state and v1 sends as zero values, and the flagd providers then use the caller's default.
 */
export function answerOf(
  resolution: Resolution<FlagValue>,
  type: WireType,
): WireAnswer<boolean | string | number | bigint | JsonObject> | ConnectError {
  const metadata = resolution.flagMetadata as JsonObject;
  if (resolution.variant === undefined)
    return { reason: resolution.reason ?? StandardResolutionReasons.UNKNOWN, metadata };
  const value = wireValue(resolution.value, type);
  if (value === undefined)
    return new ConnectError(`Flag value ${JSON.stringify(resolution.value)} is not an object`, Code.InvalidArgument);
  return {
    value,
    reason: resolution.reason ?? StandardResolutionReasons.UNKNOWN,
    variant: resolution.variant,
    metadata,
  };
}

/** int64 truncates toward zero as flagd does; a Struct holds only a JSON object, not a list or null. */
function wireValue(
  value: JsonValue | FlagValue,
  type: WireType,
): boolean | string | number | bigint | JsonObject | undefined {
  switch (type) {
    case 'int':
      return BigInt(Math.trunc(value as number));
    case 'object':
      return isJsonObject(value) ? value : undefined;
    default:
      return value as boolean | string | number;
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
