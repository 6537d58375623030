import type { FlagValue, Resolution } from '../flagd/model.js';
import { renderTable } from './render-table.js';

/** A resolution as `eval --json` prints it: OpenFeature's field names, absent fields left out. */
export function resolutionJson(flagKey: string, resolution: Resolution<FlagValue>): Record<string, unknown> {
  return {
    flagKey,
    value: resolution.value,
    ...(resolution.variant === undefined ? {} : { variant: resolution.variant }),
    reason: resolution.reason,
    ...(resolution.errorCode === undefined
      ? {}
      : { errorCode: resolution.errorCode, errorMessage: resolution.errorMessage }),
    flagMetadata: resolution.flagMetadata,
  };
}

/** A resolution as aligned `name  value` lines, the metadata indented under its own heading. */
export function renderResolution(flagKey: string, resolution: Resolution<FlagValue>): string {
  const rows = [
    ['flag', flagKey],
    ['value', JSON.stringify(resolution.value)],
    ['variant', resolution.variant ?? '-'],
    ['reason', resolution.reason ?? '-'],
  ];
  const metadata = Object.entries(resolution.flagMetadata).map(([key, value]) => [`  ${key}`, String(value)]);
  return renderTable(metadata.length === 0 ? rows : [...rows, ['metadata', ''], ...metadata]);
}
