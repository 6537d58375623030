import type { DataTable } from './feature-file.js';

/**
 * A step handler gets the world of the running scenario, the captured arguments (always strings: the
 * handler knows which type a capture means) and the step's data table, if any.
 */
export type StepHandler<W> = (world: W, args: readonly string[], dataTable: DataTable | undefined) => unknown;

/**
 * A step pattern is a RegExp, or a string in the style of Cucumber expressions with the parameters
 * `{string}` (double-quoted, `\"` unescaped), `{int}` and `{word}`; the string must match the whole step.
 */
export interface StepDefinition<W> {
  readonly pattern: string | RegExp;
  readonly handler: StepHandler<W>;
}

export type StepMatch<W> =
  | { readonly kind: 'matched'; readonly handler: StepHandler<W>; readonly args: readonly string[] }
  | { readonly kind: 'undefined' }
  | { readonly kind: 'ambiguous'; readonly patterns: readonly string[] };

export interface StepRegistry<W> {
  match(text: string): StepMatch<W>;
}

export function defineStep<W>(pattern: string | RegExp, handler: StepHandler<W>): StepDefinition<W> {
  return { pattern, handler };
}

interface CompiledStep<W> {
  readonly source: string;
  readonly regex: RegExp;
  readonly unescape: readonly boolean[];
  readonly handler: StepHandler<W>;
}

export function createStepRegistry<W>(definitions: readonly StepDefinition<W>[]): StepRegistry<W> {
  const compiled = definitions.map(compileStep);
  return {
    match(text) {
      const hits = compiled.flatMap((step) => {
        const found = step.regex.exec(text);
        return found ? [{ step, captures: found.slice(1) }] : [];
      });
      const [first, second] = hits;
      if (first === undefined) return { kind: 'undefined' };
      if (second !== undefined) return { kind: 'ambiguous', patterns: hits.map((hit) => hit.step.source) };
      const args = first.captures.map((capture, i) => {
        const value = capture ?? '';
        return first.step.unescape[i] === true ? value.replace(/\\(["\\])/g, '$1') : value;
      });
      return { kind: 'matched', handler: first.step.handler, args };
    },
  };
}

const PARAMETERS: Readonly<Record<string, { readonly regex: string; readonly unescape: boolean }>> = {
  string: { regex: '"((?:[^"\\\\]|\\\\.)*)"', unescape: true },
  int: { regex: '(-?\\d+)', unescape: false },
  word: { regex: '([^\\s"]+)', unescape: false },
};

function compileStep<W>(definition: StepDefinition<W>): CompiledStep<W> {
  const { pattern, handler } = definition;
  if (pattern instanceof RegExp) {
    return { source: pattern.source, regex: pattern, unescape: [], handler };
  }
  const unescape: boolean[] = [];
  const body = pattern.split(/(\{\w+\})/).map((part) => {
    const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
    if (parameter === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const known = PARAMETERS[parameter];
    if (known === undefined) throw new Error(`Unknown step parameter {${parameter}} in: ${pattern}`);
    unescape.push(known.unescape);
    return known.regex;
  });
  return { source: pattern, regex: new RegExp(`^${body.join('')}$`), unescape, handler };
}
