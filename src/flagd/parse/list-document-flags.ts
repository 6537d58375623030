import { isJsonObject } from '../../document/json-object.js';

/** One flag of a flagd document, from the map form (`flags: { key: {...} }`) or the flagd daemon's list form. */
export interface ListedFlag {
  /** The map key, or a listed flag's `key` when it is a string; undefined for a listed flag without one. */
  readonly key: string | undefined;
  /** Where the flag is written: `['flags', key]` in the map form, `['flags', index]` in the list form. */
  readonly path: readonly ['flags', string | number];
  readonly definition: unknown;
}

/**
 * Every flag of a document's `flags` value, in the order written: the one way the loader, the
 * environment overrides and validation list a document's flags. Nothing when `flags` is neither an
 * object nor a list; what each caller makes of a listed flag without a key is its own business.
 */
export function listDocumentFlags(flags: unknown): ListedFlag[] {
  if (Array.isArray(flags)) {
    return flags.map((definition: unknown, index): ListedFlag => {
      const key = isJsonObject(definition) ? definition['key'] : undefined;
      return { key: typeof key === 'string' ? key : undefined, path: ['flags', index], definition };
    });
  }
  if (!isJsonObject(flags)) return [];
  return Object.entries(flags).map(([key, definition]): ListedFlag => ({ key, path: ['flags', key], definition }));
}
