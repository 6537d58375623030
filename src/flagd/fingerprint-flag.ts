import { hash } from 'node:crypto';
import { canonicalJson } from '../document/canonical-json.js';
import type { FlagEntry } from './model.js';

/**
 * A stable digest of a flag's definition: equal for definitions that differ only in key order
 * or whitespace, different for any change of value. The store compares fingerprints to report
 * exactly which flags changed.
 */
export function fingerprintFlag(entry: FlagEntry): string {
  const text = canonicalJson({ definition: entry.definition, loadError: entry.loadError ?? null });
  return hash('sha256', text, 'base64url');
}
