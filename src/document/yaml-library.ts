import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let library: typeof Yaml | undefined;

/**
 * The yaml package, loaded by the first YAML document rather than at start: it takes about 0.15 CPU-s
 * to load, which every command and server would pay for JSON documents, the common case.
 */
export function yamlLibrary(): typeof Yaml {
  library ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return library;
}
