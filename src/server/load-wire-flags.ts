import { toFlagdDocument } from '../flagd/parse/to-flagd-document.js';
import { loadFlagDocument } from '../loading/load-flag-document.js';
import type { LoadWireFlags } from './source-supervisor.js';

/**
 * Loads a flag file (Genesis or flagd, JSON or YAML) into the flags the server sends: Genesis flags
 * translated to standard flagd, `$ref`s resolved, set metadata merged into each flag. Environment
 * overrides are not applied: variables named after flags belong to each instance, not to the server.
 */
export const loadWireFlags: LoadWireFlags = (text, origin) => {
  const loaded = loadFlagDocument(text, origin, { strict: false });
  if (!loaded.ok) return loaded;
  return { ok: true, value: toFlagdDocument(loaded.value).flags, warnings: loaded.warnings };
};
