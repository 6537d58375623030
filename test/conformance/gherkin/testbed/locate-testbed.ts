import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { presentOrFailInCi } from '../../../fixtures/required-in-ci.js';

export type TestbedLocation =
  { readonly found: true; readonly testbedDir: string } | { readonly found: false; readonly reason: string };

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

/**
 * Finds the flagd-testbed copy: `FLAGD_TESTBED_DIR` (the spec root or the testbed dir itself), else
 * `../shared/spec` next to the repository. Absent, the suites skip and say why — except in CI, which
 * always has the testbed: there its absence fails the suites.
 */
export function locateTestbed(): TestbedLocation {
  const fromEnv = process.env['FLAGD_TESTBED_DIR'];
  const root = fromEnv ?? path.resolve(repoRoot, '../shared/spec');
  const candidates = [path.join(root, 'testbed'), root];
  const testbedDir = candidates.find((dir) => existsSync(path.join(dir, 'gherkin')));
  if (testbedDir !== undefined) return { found: true, testbedDir };
  const origin = fromEnv === undefined ? 'the default location' : 'FLAGD_TESTBED_DIR';
  const reason = `flagd-testbed not found at ${root} (${origin}): expected ${candidates.join(' or ')} to hold gherkin/`;
  presentOrFailInCi(false, () => reason);
  return { found: false, reason };
}
