import type { Result } from '../../errors/result.js';

/** One sample line of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/*
 * A parser of the text exposition format (version 0.0.4, and OpenMetrics sample lines): the npm
 * parsers available drop histogram labels and `_sum`/`_count` series on prom-client's output, and
 * the deltas need every sample with its labels. Comments and `# HELP`/`# TYPE` lines are skipped
 * (the names carry what is needed), timestamps and exemplars are ignored.
 */

const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const SPACE = /[ \t]*/y;

/** Parses exposition text into samples, or names the first malformed line. */
export function parseExposition(text: string): Result<Sample[]> {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseSampleLine(line);
    if (typeof sample === 'string') return { ok: false, error: `line ${index + 1}: ${sample}: ${line.slice(0, 120)}` };
    samples.push(sample);
  }
  return { ok: true, value: samples };
}

function parseSampleLine(line: string): Sample | string {
  const cursor = { text: line, at: 0 };
  const name = take(cursor, NAME);
  if (name === undefined) return 'expected a metric name';
  take(cursor, SPACE);
  const labels = line[cursor.at] === '{' ? parseLabels(cursor) : {};
  if (typeof labels === 'string') return labels;
  const rest = line
    .slice(cursor.at)
    .trim()
    .split(/[ \t]+/);
  const value = parseValue(rest[0] ?? '');
  if (value === undefined) return `invalid value "${rest[0] ?? ''}"`;
  return { name, labels, value };
}

function parseLabels(cursor: { text: string; at: number }): Record<string, string> | string {
  const labels: Record<string, string> = {};
  cursor.at += 1;
  for (;;) {
    take(cursor, SPACE);
    if (cursor.text[cursor.at] === '}') break;
    const name = take(cursor, LABEL_NAME);
    if (name === undefined) return 'expected a label name';
    take(cursor, SPACE);
    if (cursor.text[cursor.at] !== '=') return `expected "=" after label ${name}`;
    cursor.at += 1;
    take(cursor, SPACE);
    const value = parseQuoted(cursor);
    if (value === undefined) return `unterminated value of label ${name}`;
    labels[name] = value;
    take(cursor, SPACE);
    if (cursor.text[cursor.at] === ',') cursor.at += 1;
    else if (cursor.text[cursor.at] !== '}') return 'expected "," or "}" in labels';
  }
  cursor.at += 1;
  return labels;
}

function parseQuoted(cursor: { text: string; at: number }): string | undefined {
  if (cursor.text[cursor.at] !== '"') return undefined;
  let value = '';
  for (let at = cursor.at + 1; at < cursor.text.length; at += 1) {
    const char = cursor.text[at];
    if (char === '"') {
      cursor.at = at + 1;
      return value;
    }
    if (char === '\\') {
      at += 1;
      const escaped = cursor.text[at];
      value += escaped === 'n' ? '\n' : (escaped ?? '');
    } else {
      value += char;
    }
  }
  return undefined;
}

function parseValue(token: string): number | undefined {
  const special: Record<string, number> = { NaN: Number.NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };
  if (Object.hasOwn(special, token)) return special[token];
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(token)) return undefined;
  return Number(token);
}

function take(cursor: { text: string; at: number }, pattern: RegExp): string | undefined {
  pattern.lastIndex = cursor.at;
  const match = pattern.exec(cursor.text);
  if (match === null) return undefined;
  cursor.at = pattern.lastIndex;
  return match[0];
}
