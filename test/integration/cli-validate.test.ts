import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAGD_EXAMPLE, positionOf, PRODUCTION_FLAGS, requireBuiltCli, runCli, TempFiles } from './cli-harness.js';

const files = new TempFiles();
beforeAll(requireBuiltCli);
afterAll(() => files.removeAll());

/** A Genesis file breaking the rules a schema cannot state, one flag per line so locations are plain. */
const SEMANTIC_PROBLEMS = `{
  "flags": {
    "a": { "enabled": true, "requires": ["b"] },
    "b": { "enabled": true, "requires": ["a"] },
    "c": { "enabled": true, "requires": ["ghost"] },
    "d": { "enabled": true, "rollout_strategy": "progressive", "start_date": "2025-10-25", "end_date": "2025-10-18" },
    "e": { "enabled": true, "rollout_strategy": "canary", "rollout_percentage": 5 },
    "f": { "enabled": true, "rollout_strategy": "percentage", "rollout_percentage": 12.345 }
  }
}
`;

/** Problems the Genesis schema catches. */
const SCHEMA_PROBLEMS = `{
  "flags": {
    "p": { "enabled": true, "rollout_strategy": "percentage", "rollout_percentage": 150 },
    "q": { "enabled": "yes" },
    "r": { "enabled": true, "rollout_strategy": "sometimes" }
  }
}
`;

/** A file in the old Python layout, where the dates sit under "config". */
const OLD_PYTHON_LAYOUT = `{
  "flags": {
    "legacy": {
      "enabled": true,
      "config": {
        "rollout_strategy": "progressive",
        "start_date": "2025-10-25T00:00:00Z",
        "end_date": "2025-10-18T00:00:00Z"
      }
    }
  }
}
`;

const FLAGD_PROBLEMS = `flags:
  a:
    state: ENABLED
    variants: { on: true, off: false }
    defaultVariant: maybe
  b:
    state: SOMETIMES
    variants: { on: true, off: false }
    defaultVariant: "on"
  c:
    state: ENABLED
    variants: { on: true, off: false }
    defaultVariant: "on"
    targeting: { if: [{ $ref: missing }, "on", "off"] }
`;

function problemLine(file: string, text: string, needle: string, after: string, path: string): string {
  const { line, column } = positionOf(text, needle, after);
  return `${file}:${line}:${column}  ${path}  `;
}

describe('genesis-flags validate', () => {
  it('accepts the production flags and the flagd example, confirming each on stdout with exit code 0', () => {
    const run = runCli(['validate', PRODUCTION_FLAGS, FLAGD_EXAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${PRODUCTION_FLAGS}: valid genesis file, 15 flag(s)`);
    expect(run.stdout).toContain(`${FLAGD_EXAMPLE}: valid flagd file, 6 flag(s)`);
    expect(run.stderr).toBe('');
  });

  it('reports every semantic problem on its own line as file:line:col  path  message and exits 1', () => {
    const file = files.write('semantic.json', SEMANTIC_PROBLEMS);
    const run = runCli(['validate', file]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    const expected = [
      [problemLine(file, SEMANTIC_PROBLEMS, '"a"', '"b": {', 'flags.b.requires[0]'), 'a → b → a'],
      [problemLine(file, SEMANTIC_PROBLEMS, '"ghost"', '"c": {', 'flags.c.requires[0]'), 'unknown flag "ghost"'],
      [problemLine(file, SEMANTIC_PROBLEMS, '"end_date"', '"d": {', 'flags.d.end_date'), 'after start_date'],
      [problemLine(file, SEMANTIC_PROBLEMS, '"e"', '"e": {', 'flags.e.canary_users'), 'canary_users or canary_regions'],
      [problemLine(file, SEMANTIC_PROBLEMS, '"rollout_percentage"', '"f": {', 'flags.f.rollout_percentage'), '0.01'],
    ];
    for (const [prefix, words] of expected) {
      expect(
        lines.some((line) => line.startsWith(prefix as string) && line.includes(words as string)),
        `${prefix} … ${words}\n${run.stderr}`,
      ).toBe(true);
    }
    expect(lines.at(-1)).toBe(`${file}: ${expected.length} problem(s)`);
    expect(run.stdout).toBe('');
  });

  it('reports schema violations (out of range, wrong type, unknown strategy) with their locations', () => {
    const file = files.write('schema.json', SCHEMA_PROBLEMS);
    const run = runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      problemLine(file, SCHEMA_PROBLEMS, '"rollout_percentage"', '"p": {', 'flags.p.rollout_percentage'),
    );
    expect(run.stderr).toContain(problemLine(file, SCHEMA_PROBLEMS, '"enabled"', '"q": {', 'flags.q.enabled'));
    expect(run.stderr).toContain(
      problemLine(file, SCHEMA_PROBLEMS, '"rollout_strategy"', '"r": {', 'flags.r.rollout_strategy'),
    );
  });

  it('locates a problem of an old Python file where the field is written, under "config"', () => {
    const file = files.write('old.json', OLD_PYTHON_LAYOUT);
    const run = runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      problemLine(file, OLD_PYTHON_LAYOUT, '"end_date"', '"config"', 'flags.legacy.end_date'),
    );
  });

  it('checks flagd files too, YAML included: a default variant naming no variant, a bad state, a missing $ref', () => {
    const file = files.write('flags.yaml', FLAGD_PROBLEMS);
    const run = runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${problemLine(file, FLAGD_PROBLEMS, 'defaultVariant', 'a:', 'flags.a.defaultVariant')}"maybe" names no variant`,
    );
    expect(run.stderr).toContain(problemLine(file, FLAGD_PROBLEMS, 'state', 'b:', 'flags.b.state'));
    expect(run.stderr).toContain(
      `${problemLine(file, FLAGD_PROBLEMS, 'targeting', 'c:', 'flags.c.targeting')}$ref "missing" names no entry of $evaluators`,
    );
  });

  it('warns about a flag named like PATH, HOME or CI, which such variables never override, and still exits 0', () => {
    const file = files.write(
      'reserved.json',
      '{\n  "flags": {\n    "ci": { "enabled": true },\n    "beta": { "enabled": true }\n  }\n}\n',
    );
    const run = runCli(['validate', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${file}: valid genesis file, 2 flag(s)\n`);
    expect(run.stderr.trim()).toBe(
      `${file}:3:5  flags.ci  warning: flag ci is never overridden by CI, a variable nearly every process has; set envPrefix (GENESIS_FLAGS_ENV_PREFIX) to override it, e.g. APP_ reads APP_CI`,
    );
    expect(runCli(['validate', file], { env: { GENESIS_FLAGS_ENV_PREFIX: 'APP_' } }).stderr).toBe('');
  });

  it('refuses a JSON file with a key written twice, naming both places, where JSON.parse would keep the last', () => {
    const file = files.write(
      'twice.json',
      '{\n  "flags": {\n    "beta": { "enabled": true },\n    "beta": { "enabled": false }\n  }\n}\n',
    );
    const run = runCli(['validate', file]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`${file}:4:5: duplicate key "beta", first written at ${file}:3:5`);
  });

  it('exits 2 on malformed JSON, naming the line and column of the syntax error', () => {
    const text = '{\n  "flags": {\n    "a": { "enabled": true,, }\n  }\n}\n';
    const file = files.write('broken.json', text);
    const run = runCli(['validate', file]);
    expect(run.code).toBe(2);
    // The second comma of line 3 is where the grammar breaks.
    expect(run.stderr).toMatch(new RegExp(`^${escape(file)}:3:28: `));
  });

  it('exits 2 on a missing file with "File not found", and still checks the other files', () => {
    const missing = `${files.write('dummy.json', '{}')}.absent`;
    const run = runCli(['validate', missing, PRODUCTION_FLAGS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`File not found: ${missing}`);
    expect(run.stdout).toContain(`${PRODUCTION_FLAGS}: valid genesis file`);
  });

  it('exits 1 when one file is invalid and the others valid', () => {
    const invalid = files.write('invalid.json', SEMANTIC_PROBLEMS);
    const run = runCli(['validate', PRODUCTION_FLAGS, invalid]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`${PRODUCTION_FLAGS}: valid`);
  });

  it('reports schema and rule problems of one file in the same run, with did-you-mean for typos', () => {
    const text = `{
  "flags": {
    "a": { "enabled": "yes", "requires": ["b"] },
    "b": { "enabled": true, "requires": ["a"] },
    "c": { "enabled": true, "requires": ["orchestraton_enabled"] },
    "d": { "enabled": true, "rollout_strategy": "progressive", "start_date": "2025-10-25", "end_date": "2025-10-18" },
    "e": { "enabled": true, "rollout_strategy": "canary", "rolout_percentage": 5 },
    "orchestration_enabled": { "enabled": true }
  }
}
`;
    const file = files.write('mixed.json', text);
    const run = runCli(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${problemLine(file, text, '"enabled"', '"a": {', 'flags.a.enabled')}must be boolean`,
      `${problemLine(file, text, '"a"', '"b": {', 'flags.b.requires[0]')}forms a cycle: a → b → a`,
      `${problemLine(file, text, '"orchestraton_enabled"', '"c": {', 'flags.c.requires[0]')}names unknown flag "orchestraton_enabled" (did you mean "orchestration_enabled"?)`,
      `${problemLine(file, text, '"end_date"', '"d": {', 'flags.d.end_date')}must be after start_date`,
      `${problemLine(file, text, '"e"', '"e": {', 'flags.e.canary_users')}a canary rollout needs canary_users or canary_regions (non-empty)`,
      `${problemLine(file, text, '"rolout_percentage"', '"e": {', 'flags.e.rolout_percentage')}is not a known field (did you mean "rollout_percentage"?)`,
      `${file}: 6 problem(s)`,
    ]);
  });

  it('prints the whole report as JSON with --json, unreadable files included, and keeps the exit code', () => {
    const invalid = files.write(
      'json-invalid.json',
      '{\n  "format": "genesis",\n  "flags": {\n    "a": { "enabled": 1 }\n  }\n}\n',
    );
    const missing = `${invalid}.absent`;
    const run = runCli(['validate', '--json', PRODUCTION_FLAGS, invalid, missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      valid: false,
      files: [
        { file: PRODUCTION_FLAGS, status: 'valid', format: 'genesis', flagCount: 15, problems: [] },
        {
          file: invalid,
          status: 'invalid',
          format: 'genesis',
          flagCount: 1,
          problems: [
            {
              file: invalid,
              line: 4,
              column: 12,
              path: 'flags.a.enabled',
              message: 'must be boolean',
              severity: 'error',
            },
          ],
        },
        { file: missing, status: 'unreadable', error: `File not found: ${missing}` },
      ],
    });
  });

  it('is a usage error (exit 1) without files', () => {
    const run = runCli(['validate']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("missing required argument 'files'");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
