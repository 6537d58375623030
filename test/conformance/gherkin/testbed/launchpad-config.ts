import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { JsonValue } from '@openfeature/core';

/** The launchpad configurations the provider suites start flagd with. */
export type LaunchpadConfigName = 'default' | 'ssl' | 'metadata' | 'sync-payload';

/** What one launchpad configuration asks of the sync server, in our server's terms. */
export interface LaunchpadConfig {
  /** Source names as flagd is given them (`flags/allFlags.json`, `rawflags/selector-flags.json`); selectors name them. */
  readonly sources: readonly string[];
  readonly contextValues: Readonly<Record<string, JsonValue>>;
  readonly disableSyncMetadata: boolean;
  readonly tls: boolean;
}

/**
 * Reads `launchpad/configs/<name>.json` of the testbed, so that the suites serve what the testbed
 * serves: its `sources` (file providers only), `context-value`, `disable-sync-metadata`, and whether
 * it names a server certificate (the certificate itself is the harness's own).
 */
export function readLaunchpadConfig(testbedDir: string, name: LaunchpadConfigName): LaunchpadConfig {
  const file = path.join(testbedDir, 'launchpad', 'configs', `${name}.json`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as {
    sources?: { uri?: unknown; provider?: unknown }[];
    'context-value'?: Record<string, JsonValue>;
    'disable-sync-metadata'?: unknown;
    'server-cert-path'?: unknown;
  };
  const sources = (raw.sources ?? []).map((source) => {
    if (source.provider !== 'file' || typeof source.uri !== 'string')
      throw new Error(`Unsupported source in ${file}: ${JSON.stringify(source)}`);
    return source.uri;
  });
  return {
    sources,
    contextValues: raw['context-value'] ?? {},
    disableSyncMetadata: raw['disable-sync-metadata'] === true,
    tls: typeof raw['server-cert-path'] === 'string',
  };
}
