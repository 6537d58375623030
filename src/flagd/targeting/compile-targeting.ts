import { Constants } from 'json-logic-engine';
import type { CompiledRule } from '../model.js';
import { describeError } from '../../errors/describe-error.js';
import { prepareTargeting } from './prepare-targeting.js';
import { targetingEngine } from './targeting-engine.js';

/** A rule compiled to a function, and whether evaluation must inject `$flagd` for it. */
export interface CompiledTargeting {
  readonly rule: CompiledRule;
  readonly injectsFlagdProperties: boolean;
}

/**
 * Compiles a flag's targeting once, with json-logic-engine in compiled mode. Returns an error
 * message (the flag then answers PARSE_ERROR) for an unknown operator, a malformed operation,
 * a rule over the limits, or a constant part that already fails at compile time.
 */
export function compileTargeting(targeting: unknown, flagKey: string): CompiledTargeting | string {
  const prepared = prepareTargeting(targeting, flagKey);
  if (typeof prepared === 'string') return prepared;
  try {
    const built = targetingEngine.build(prepared.tree);
    // An asynchronous rule would answer a Promise (and could reject unhandled): refuse it.
    if ((built as { [Constants.Sync]?: boolean })[Constants.Sync] !== true)
      return `Targeting of flag '${flagKey}' compiles to asynchronous code`;
    // json-logic-engine types its compiled functions as `Function`; they take the data object.
    return { rule: built as CompiledRule, injectsFlagdProperties: prepared.injectsFlagdProperties };
  } catch (error) {
    return `Targeting of flag '${flagKey}' does not compile: ${describeCompileError(error)}`;
  }
}

/** json-logic-engine throws plain objects such as `{ type: 'Unknown Operator', key: 'foo' }`. */
function describeCompileError(error: unknown): string {
  if (typeof error === 'object' && error !== null && !(error instanceof Error)) {
    const { type, key } = error as { type?: unknown; key?: unknown };
    if (type === 'Unknown Operator') return `unknown operator '${String(key)}'`;
  }
  return describeError(error);
}
