import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFlag } from '../../../../src/flagd/compile-flag.js';
import { evaluateFlag } from '../../../../src/flagd/evaluate-flag.js';
import { FLAGD_OPERATORS } from '../../../../src/flagd/targeting/flagd-operators.js';
import { presentOrFailInCi } from '../../../fixtures/required-in-ci.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../..');
const specTargeting = path.join(
  process.env['FLAGD_TESTBED_DIR'] ?? path.resolve(repoRoot, '../shared/spec'),
  'flagd',
  'targeting.json',
);
const env = { nowSeconds: () => 1_700_000_000 };

/** Operator names of flagd's own targeting schema: the single key of every rule definition's properties. */
function operatorsOfFlagdSchema(schema: { definitions: Record<string, { properties?: Record<string, unknown> }> }) {
  return Object.values(schema.definitions).flatMap((definition) => Object.keys(definition.properties ?? {}));
}

function flagWith(targeting: unknown) {
  return compileFlag({
    key: 'plan-flag',
    definition: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting } as never,
  });
}

describe("flagd's operator set", () => {
  it('is exactly the operator list of our copy of the targeting schema', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/flagd-targeting.schema.json'), 'utf8')) as {
      $defs: { operatorName: { enum: string[] } };
    };
    expect([...FLAGD_OPERATORS].sort()).toEqual([...schema.$defs.operatorName.enum].sort());
  });

  it.skipIf(
    !presentOrFailInCi(existsSync(specTargeting), () => `flagd's targeting schema is missing: ${specTargeting}`),
  )("is exactly the operators flagd's published targeting schema defines", () => {
    const schema = JSON.parse(readFileSync(specTargeting, 'utf8')) as Parameters<typeof operatorsOfFlagdSchema>[0];
    expect([...FLAGD_OPERATORS].sort()).toEqual([...new Set(operatorsOfFlagdSchema(schema))].sort());
  });
});

describe('rules that climbed the scope without bound', () => {
  it('answers PARSE_ERROR naming "exists" for {"exists": {"var": "plan"}}, which froze evaluation on [[1e300]]', () => {
    const flag = flagWith({ if: [{ exists: { var: 'plan' } }, 'on', 'off'] });
    expect(flag.parseError).toBe("Targeting of flag 'plan-flag' uses unknown operator 'exists'");
    const resolution = evaluateFlag(flag, 'plan-flag', 'boolean', false, { plan: [[1e300]] }, env);
    expect(resolution).toMatchObject({ value: false, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
  });

  it('answers PARSE_ERROR naming "val" for a climb by a number from the rule', () => {
    expect(flagWith({ val: [[1e9], 'plan'] }).parseError).toBe(
      "Targeting of flag 'plan-flag' uses unknown operator 'val'",
    );
  });

  it('reads "../" in a var path as a plain path, as flagd does, so an iterator cannot reach the outer context', () => {
    // With json-logic-engine's var, "../../list" inside map read the whole outer list for every item.
    const flag = flagWith({ if: [{ some: [{ var: 'list' }, { in: [2, { var: '../../list' }] }] }, 'on', 'off'] });
    expect(flag.parseError).toBeUndefined();
    const resolution = evaluateFlag(flag, 'plan-flag', 'boolean', true, { list: [1, 2, 3] }, env);
    expect(resolution).toMatchObject({ value: false, variant: 'off', reason: 'TARGETING_MATCH' });
  });
});
