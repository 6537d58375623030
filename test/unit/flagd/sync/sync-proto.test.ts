import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSync } from '@grpc/proto-loader';
import { describe, expect, it } from 'vitest';
import { presentOrFailInCi } from '../../../fixtures/required-in-ci.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const ownRoot = path.join(repoRoot, 'proto');
const specDir = process.env['FLAGD_TESTBED_DIR'] ?? path.resolve(repoRoot, '../shared/spec');
const upstreamRoot = path.join(specDir, 'proto');
const hasSpec = presentOrFailInCi(
  existsSync(path.join(upstreamRoot, 'flagd/sync/v1/sync.proto')),
  () => `the upstream protos are missing: no flagd/sync/v1/sync.proto under ${upstreamRoot}`,
);
if (!hasSpec) console.warn(`Skipping the sync.proto contract check: no upstream protos under ${upstreamRoot}`);

interface FieldShape {
  name: string;
  number: number;
  type: string;
  label: string;
  typeName: string;
}

/** Messages and methods reduced to what goes on the wire: field numbers, types and streaming. */
function wireContract(root: string): Record<string, unknown> {
  const definition = loadSync('flagd/sync/v1/sync.proto', { includeDirs: [root] });
  const contract: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(definition)) {
    if (!name.startsWith('flagd.sync.v1.')) continue;
    if ('format' in entry) {
      const { field, reservedRange } = entry.type as { field: FieldShape[]; reservedRange: unknown };
      const fields = field.map(({ name: fieldName, number, type, label, typeName }) => ({
        fieldName,
        number,
        type,
        label,
        typeName,
      }));
      contract[name] = { fields, reservedRange };
    } else {
      contract[name] = Object.fromEntries(
        Object.entries(entry).map(([method, m]) => [
          method,
          { path: m.path, requestStream: m.requestStream, responseStream: m.responseStream },
        ]),
      );
    }
  }
  return contract;
}

describe.skipIf(!hasSpec)('proto/flagd/sync/v1/sync.proto', () => {
  it('states the same wire contract as flagd-schemas', () => {
    expect(wireContract(ownRoot)).toEqual(wireContract(upstreamRoot));
  });
});
