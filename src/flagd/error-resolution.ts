import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';
import { didYouMean } from '../errors/did-you-mean.js';
import type { FlagMetadata, FlagValue, Resolution } from './model.js';

/** An ERROR resolution: the caller's default, the code and a message naming the flag. */
export function errorResolution<T extends FlagValue>(
  defaultValue: T,
  errorCode: ErrorCode,
  errorMessage: string,
  flagMetadata: FlagMetadata,
): Resolution<T> {
  return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage, flagMetadata };
}

/**
 * FLAG_NOT_FOUND, carrying the flag set's metadata when the caller has it (as flagd-core does), and
 * naming the closest of `knownKeys` when the key looks like a typo of one.
 */
export function flagNotFound<T extends FlagValue>(
  flagKey: string,
  defaultValue: T,
  flagMetadata: FlagMetadata,
  knownKeys: Iterable<string> = [],
): Resolution<T> {
  const message = `Flag not found: ${flagKey}${didYouMean(flagKey, knownKeys)}`;
  return errorResolution(defaultValue, ErrorCode.FLAG_NOT_FOUND, message, flagMetadata);
}
