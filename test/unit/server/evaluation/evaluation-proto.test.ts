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
  existsSync(path.join(upstreamRoot, 'flagd/evaluation/v2/evaluation.proto')),
  () => `the upstream protos are missing: no flagd/evaluation/v2/evaluation.proto under ${upstreamRoot}`,
);
if (!hasSpec) console.warn(`Skipping the evaluation.proto contract check: no upstream protos under ${upstreamRoot}`);

interface FieldShape {
  name: string;
  number: number;
  type: string;
  label: string;
  typeName: string;
  oneofIndex?: number;
  proto3Optional?: boolean;
}

/** Messages and methods reduced to what goes on the wire: field numbers, types, oneofs, presence, streaming. */
function wireContract(root: string, version: string): Record<string, unknown> {
  const file = `flagd/evaluation/${version}/evaluation.proto`;
  const definition = loadSync(file, { includeDirs: [root] });
  const contract: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(definition)) {
    if (!name.startsWith(`flagd.evaluation.${version}.`)) continue;
    if ('format' in entry) {
      const { field, oneofDecl } = entry.type as { field: FieldShape[]; oneofDecl: { name: string }[] };
      const fields = field.map(({ name: fieldName, number, type, label, typeName, oneofIndex, proto3Optional }) => ({
        fieldName,
        number,
        type,
        label,
        typeName,
        oneof: oneofIndex === undefined ? undefined : oneofDecl[oneofIndex]?.name,
        proto3Optional,
      }));
      contract[name] = { fields };
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

describe.skipIf(!hasSpec)('proto/flagd/evaluation/*/evaluation.proto', () => {
  it.each(['v1', 'v2'])('states the same %s wire contract as flagd-schemas', (version) => {
    const ours = wireContract(ownRoot, version);
    expect(Object.keys(ours).length).toBeGreaterThan(10);
    expect(ours).toEqual(wireContract(upstreamRoot, version));
  });
});
