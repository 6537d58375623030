import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import {
  OpenFeature,
  type Client,
  type EvaluationContext,
  type EvaluationDetails,
  type FlagValue,
} from '@openfeature/server-sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import { startOfrepTestServer, type OfrepTestServer } from './ofrep-test-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shipped flags: the Genesis production file, then the flagd example (later files win per key). */
const SHIPPED = ['config/feature_flags.json', 'config/flags.flagd.json'].map((file) => path.join(repoRoot, file));
const CONTEXTS = 1_000;
const BATCH = 2;

type FlagKind = 'boolean' | 'string' | 'number' | 'object';

/** Contexts that reach every branch of the shipped rules: employees and not, beta platforms, versions, regions. */
const contextArbitrary: fc.Arbitrary<EvaluationContext> = fc.record(
  {
    targetingKey: fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 12 })),
    email: fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.constantFrom('example.com', 'other.org'))
      .map(([user, domain]) => `${user}@${domain}`),
    platform: fc.constantFrom('ios', 'ios-beta', 'android-beta', 'web'),
    appVersion: fc.oneof(
      fc.tuple(fc.nat(4), fc.nat(9), fc.nat(9)).map(([major, minor, patch]) => `${major}.${minor}.${patch}`),
      fc.constantFrom('not-a-version', ''),
    ),
    region: fc.constantFrom('us-west-1', 'us-east-1', 'eu-central-1', 'ap-south-1', 'sa-east-1'),
    tenant: fc.stringMatching(/^[a-z]{1,6}$/),
  },
  { requiredKeys: ['targetingKey'] },
);

function evaluate(
  client: Client,
  key: string,
  kind: FlagKind,
  context: EvaluationContext,
): Promise<EvaluationDetails<FlagValue>> {
  switch (kind) {
    case 'boolean':
      return client.getBooleanDetails(key, false, context);
    case 'string':
      return client.getStringDetails(key, '', context);
    case 'number':
      return client.getNumberDetails(key, 0, context);
    case 'object':
      return client.getObjectDetails(key, {}, context);
  }
}

describe('@openfeature/ofrep-provider against the OFREP port, beside GenesisProvider on the same files', () => {
  let server: OfrepTestServer;
  let flags: [string, FlagKind, boolean][];
  const viaOfrep = (): Client => OpenFeature.getClient('ofrep');
  const viaGenesis = (): Client => OpenFeature.getClient('genesis');

  beforeAll(async () => {
    server = await startOfrepTestServer({ files: SHIPPED });
    await OpenFeature.setProviderAndWait('ofrep', new OFREPProvider({ baseUrl: server.url }));
    await OpenFeature.setProviderAndWait(
      'genesis',
      new GenesisProvider({ path: SHIPPED, envOverrides: false, environment: {} }),
    );
    // Every served flag, its type and whether it answers with a value, as the server's bulk answer says.
    const bulk = (await (await fetch(`${server.url}/ofrep/v1/evaluate/flags`, { method: 'POST' })).json()) as {
      flags: { key: string; value?: FlagValue }[];
    };
    flags = bulk.flags.map(({ key, value }) => [key, kindOf(value), value !== undefined]);
  });

  afterAll(async () => {
    await OpenFeature.close();
    await server?.close();
  });

  it('serves every shipped flag', () => {
    expect(flags.length).toBe(21);
  });

  it(`gives the same value, variant, reason and metadata for every shipped flag over ${CONTEXTS} random contexts`, async () => {
    const contexts = fc.sample(contextArbitrary, { numRuns: CONTEXTS, seed: 20_261_202 });
    const mismatches: string[] = [];
    const compare = async (context: EvaluationContext, [key, kind, hasValue]: [string, FlagKind, boolean]) => {
      const [remote, local] = await Promise.all([
        evaluate(viaOfrep(), key, kind, context),
        evaluate(viaGenesis(), key, kind, context),
      ]);
      // A flag answered without a value (disabled, or no default variant) leaves the caller's default on
      // both sides; ofrep-provider 0.1.3 reports that as TYPE_MISMATCH, so only the value is compared there.
      const same = hasValue ? sameDetails(remote, local) : remote.value === local.value;
      if (!same)
        mismatches.push(`${key} ${JSON.stringify(context)}: ${JSON.stringify(remote)} vs ${JSON.stringify(local)}`);
    };
    // Contexts go in batches, every flag of a batch at once, so the run is bound by CPU, not round trips.
    for (let start = 0; start < contexts.length; start += BATCH) {
      const batch = contexts.slice(start, start + BATCH);
      await Promise.all(batch.flatMap((context) => flags.map((flag) => compare(context, flag))));
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  }, 120_000);
});

function kindOf(value: FlagValue | undefined): FlagKind {
  if (typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number')
    return typeof value as FlagKind;
  return value === undefined ? 'boolean' : 'object';
}

function sameDetails(a: EvaluationDetails<FlagValue>, b: EvaluationDetails<FlagValue>): boolean {
  const pick = (details: EvaluationDetails<FlagValue>) => ({
    value: details.value,
    variant: details.variant,
    reason: details.reason,
    errorCode: details.errorCode,
    flagMetadata: details.flagMetadata,
  });
  return isDeepStrictEqual(pick(a), pick(b));
}
