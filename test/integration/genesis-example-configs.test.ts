import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlagdCore } from '@openfeature/flagd-core';
import type { Logger } from '@openfeature/core';
import { describe, expect, it } from 'vitest';
import type { FlagSetDocument } from '../../src/flagd/model.js';
import { validateFlagdDocument } from '../../src/flagd/parse/validate-flagd-document.js';
import { isGenesisDocument } from '../../src/genesis/is-genesis-document.js';
import { assertFlagdSchemaValid } from '../unit/genesis/flagd-core-oracle.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const example = JSON.parse(readFileSync(path.join(repoRoot, 'config/flags.flagd.json'), 'utf8')) as FlagSetDocument;
const silent: Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} };

describe('config/flags.flagd.json, the shipped flagd example', () => {
  it("is a flagd document valid against flagd's schema, not a Genesis one", () => {
    expect(isGenesisDocument(example)).toBe(false);
    expect(validateFlagdDocument(example)).toEqual([]);
    expect(() => assertFlagdSchemaValid(example)).not.toThrow();
  });

  it('answers as each flag describes when evaluated by flagd-core', () => {
    const core = new FlagdCore(undefined, silent);
    core.setConfigurations(JSON.stringify(example));
    const employee = { targetingKey: 'ada', email: 'ada@example.com' };
    expect(core.resolveBooleanEvaluation('new-welcome-banner', true, {}, silent)).toMatchObject({
      value: false,
      reason: 'STATIC',
    });
    expect(core.resolveBooleanEvaluation('internal-tools', false, employee, silent)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(core.resolveBooleanEvaluation('internal-tools', true, { email: 'ada@elsewhere.org' }, silent).value).toBe(
      false,
    );
    expect(['classic', 'one-page', 'express']).toContain(
      core.resolveStringEvaluation('checkout-flow', 'none', employee, silent).value,
    );
    expect(core.resolveNumberEvaluation('request-timeout-ms', 0, { appVersion: 'v2.4.0' }, silent).value).toBe(2000);
    expect(core.resolveNumberEvaluation('request-timeout-ms', 0, { appVersion: '2.3.9' }, silent).value).toBe(500);
    expect(core.resolveObjectEvaluation('theme', {}, { ...employee, platform: 'ios-beta' }, silent).value).toEqual({
      background: '#111111',
      text: '#eeeeee',
    });
    expect(core.resolveObjectEvaluation('theme', {}, { ...employee, platform: 'ios' }, silent)).toMatchObject({
      reason: 'DEFAULT',
    });
    expect(core.resolveBooleanEvaluation('legacy-export', false, {}, silent)).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
  });
});
