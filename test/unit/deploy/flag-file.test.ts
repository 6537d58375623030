import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyFlagEdits,
  editFlagText,
  parseFlagFile,
  readFlagField,
  type FlagFile,
} from '../../../src/deploy/flags/flag-file.js';
import { describeDrift, rollbackEntries, stageEntry } from '../../../src/deploy/flags/rollout-edits.js';
import { FIXTURE_FLAGS, makeDeployWorkspace, type DeployWorkspace } from '../../fixtures/deploy/deploy-workspace.js';

let fixtureText: string;
let fixture: FlagFile;

beforeEach(async () => {
  fixtureText = await readFile(FIXTURE_FLAGS, 'utf8');
  const parsed = parseFlagFile(FIXTURE_FLAGS, fixtureText);
  if (!parsed.ok) throw new Error(parsed.error);
  fixture = parsed.value;
});

function edit(edits: Parameters<typeof editFlagText>[1]): string {
  const result = editFlagText(fixture, edits);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('editFlagText', () => {
  it('replaces values in place and changes no other byte', () => {
    const text = edit([
      { flag: 'phase_4_deployment', field: 'enabled', value: true },
      { flag: 'phase_4_deployment', field: 'rollout_strategy', value: 'all_at_once' },
    ]);
    const expected = fixtureText
      .replace(
        '"enabled": false,\n            "description": "Phase 4',
        '"enabled": true,\n            "description": "Phase 4',
      )
      .replace('"rollout_strategy": "progressive"', '"rollout_strategy": "all_at_once"');
    expect(text).toBe(expected);
  });

  it('adds a missing field on its own line after the last one, indented like it', () => {
    const text = edit([{ flag: 'phase_4_deployment', field: 'rollout_percentage', value: 12.5 }]);
    expect(text).toBe(
      fixtureText.replace(
        '"metadata": {"phase": 4}\n',
        '"metadata": {"phase": 4},\n            "rollout_percentage": 12.5\n',
      ),
    );
  });

  it('edits a field where the old Python format keeps it, under config', () => {
    const text = edit([{ flag: 'aatc_system_enabled', field: 'rollout_percentage', value: 25 }]);
    expect(text).toBe(fixtureText.replace('"rollout_percentage": 10\n', '"rollout_percentage": 25\n'));
  });

  it('returns the text unchanged when every value is already set', () => {
    expect(edit([{ flag: 'orchestration_enabled', field: 'enabled', value: true }])).toBe(fixtureText);
  });

  it('names a flag that is not in the file', () => {
    expect(editFlagText(fixture, [{ flag: 'ghost', field: 'enabled', value: false }])).toEqual({
      ok: false,
      error: `Flag not found: ghost in ${FIXTURE_FLAGS}`,
    });
  });

  it('refuses an edit that would make the Genesis file invalid', () => {
    const result = editFlagText(fixture, [{ flag: 'phase_4_deployment', field: 'rollout_percentage', value: 150 }]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /^The rewrite would make Invalid .*\n.*flags\.phase_4_deployment\.rollout_percentage/,
    );
  });

  it('keeps CRLF line ends for an added field', () => {
    const crlf = parseFlagFile('crlf.json', fixtureText.replaceAll('\n', '\r\n'));
    if (!crlf.ok) throw new Error(crlf.error);
    const result = editFlagText(crlf.value, [{ flag: 'phase_4_deployment', field: 'rollout_percentage', value: 5 }]);
    expect(result.ok && result.value).toContain('"metadata": {"phase": 4},\r\n            "rollout_percentage": 5\r\n');
  });
});

describe('parseFlagFile', () => {
  it.each([
    ['{"flags": ', /^Flag file is not valid JSON: f\.json:1:11: /],
    ['{"flags": {"a": {"state": "ENABLED", "variants": {}}}}', /^Not a Genesis flag file/],
  ])('refuses %j', (text, error) => {
    const parsed = parseFlagFile('f.json', text);
    expect(!parsed.ok && parsed.error).toMatch(error);
  });

  it('refuses a YAML flag file, whose stages could not be written back as JSON edits', () => {
    const parsed = parseFlagFile('flags.yaml', 'flags:\n  a:\n    enabled: true\n');
    expect(!parsed.ok && parsed.error).toBe('Deploy edits JSON flag files only, not YAML: flags.yaml');
  });
});

describe('rollout layer entries', () => {
  const base = {
    enabled: true,
    rollout_strategy: 'canary',
    rollout_percentage: null,
    start_date: null,
    end_date: null,
  };

  it('keeps a canary flag canary, setting the share of everyone else, and never sets enabled', () => {
    expect(stageEntry(base, 30)).toEqual({ base, set: { rollout_strategy: 'canary', rollout_percentage: 30 } });
    expect(stageEntry({ ...base, rollout_strategy: 'progressive' }, 12.345).set).toEqual({
      rollout_strategy: 'percentage',
      rollout_percentage: 12.35,
    });
  });

  it('rolls back the flag to off at 0% and every companion flag to off, each over its own fields', () => {
    const people = { a: { enabled: true, config: { rollout_percentage: 10 } }, b: { enabled: false } };
    expect(rollbackEntries('p', base, ['a', 'b'], people)).toEqual({
      a: {
        base: { enabled: true, rollout_strategy: null, rollout_percentage: 10, start_date: null, end_date: null },
        set: { enabled: false },
      },
      b: {
        base: { enabled: false, rollout_strategy: null, rollout_percentage: null, start_date: null, end_date: null },
        set: { enabled: false },
      },
      p: { base, set: { enabled: false, rollout_percentage: 0 } },
    });
  });

  it('describes a hand edit as drift, an edit to off as turning it off, and an untouched flag as none', () => {
    expect(describeDrift('p', base, { enabled: true, rollout_strategy: 'canary' }, 'f.json')).toBeUndefined();
    expect(describeDrift('p', base, { enabled: false, rollout_strategy: 'canary' }, 'f.json')).toEqual({
      description: 'flag p was changed by hand in f.json: enabled true → false',
      turnedOff: true,
    });
    expect(
      describeDrift('p', base, { enabled: true, rollout_strategy: 'percentage', rollout_percentage: 5 }, 'f.json'),
    ).toEqual({
      description:
        'flag p was changed by hand in f.json: rollout_strategy "canary" → "percentage", rollout_percentage null → 5',
      turnedOff: false,
    });
    expect(describeDrift('p', base, undefined, 'f.json')).toEqual({
      description: 'flag p was removed from f.json',
      turnedOff: true,
    });
  });

  it('reads a field from config when the flag itself does not carry it', () => {
    expect(readFlagField({ enabled: true, config: { rollout_percentage: 10 } }, 'rollout_percentage')).toBe(10);
    expect(readFlagField({ rollout_percentage: 20, config: { rollout_percentage: 10 } }, 'rollout_percentage')).toBe(
      20,
    );
  });
});

describe('applyFlagEdits', () => {
  let workspace: DeployWorkspace;
  beforeEach(async () => {
    workspace = await makeDeployWorkspace();
  });
  afterEach(async () => {
    await workspace.cleanup();
  });

  it('writes the whole rollback in one replacement of the file', async () => {
    const changed = await applyFlagEdits(workspace.flagFile, [
      { flag: 'phase_4_deployment', field: 'enabled', value: false },
      { flag: 'phase_4_deployment', field: 'rollout_percentage', value: 0 },
      { flag: 'aatc_system_enabled', field: 'enabled', value: false },
      { flag: 'orchestration_enabled', field: 'enabled', value: false },
    ]);
    const flags = (
      JSON.parse(await readFile(workspace.flagFile, 'utf8')) as { flags: Record<string, Record<string, unknown>> }
    ).flags;
    expect(changed).toBe(true);
    expect([
      flags['phase_4_deployment']?.['enabled'],
      flags['phase_4_deployment']?.['rollout_percentage'],
      flags['aatc_system_enabled']?.['enabled'],
      flags['orchestration_enabled']?.['enabled'],
    ]).toEqual([false, 0, false, false]);
  });

  it('does not write when nothing changes', async () => {
    expect(
      await applyFlagEdits(workspace.flagFile, [{ flag: 'orchestration_enabled', field: 'enabled', value: true }]),
    ).toBe(false);
  });
});
