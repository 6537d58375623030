import { Constants, LogicEngine } from 'json-logic-engine';
import { ENDS_WITH_RULE, endsWith } from './ends-with.js';
import { planFractional } from './fractional-plan.js';
import { FRACTIONAL_RULE, fractional } from './fractional.js';
import { SEM_VER_RULE, semVer } from './sem-ver.js';
import { STARTS_WITH_RULE, startsWith } from './starts-with.js';

/**
 * The internal form of `fractional` once the flag key is bound: `{ [BOUND_FRACTIONAL_RULE]:
 * [flagKey, args] }`. Rules may not name it themselves (`prepareTargeting` rejects it).
 */
export const BOUND_FRACTIONAL_RULE = '$fractional';

/** The slice of json-logic-engine's compiler state a compile hook uses. */
interface CompileState {
  compile(strings: TemplateStringsArray, ...items: unknown[]): unknown;
}

/** A json-logic-engine method with a compile hook (its typings omit the hook). */
interface CompilableMethod {
  readonly method: (args: unknown, data: unknown) => unknown;
  readonly compile: (lower: unknown, state: CompileState) => unknown;
}

/**
 * Compiles a `fractional` whose buckets are literals into a call of a prepared closure, so
 * evaluation parses no buckets; returning false leaves the general method to json-logic-engine.
 */
function compileBoundFractional(lower: unknown, state: CompileState): unknown {
  if (!Array.isArray(lower) || typeof lower[0] !== 'string') return false;
  const plan = planFractional(lower[1], lower[0]);
  if (plan === undefined) return false;
  // json-logic-engine awaits any function it is not told is synchronous.
  Object.defineProperty(plan.evaluate, Constants.Sync, { value: true });
  return state.compile`${plan.evaluate}(${plan.keyExpression}, context)`;
}

const boundFractional: CompilableMethod = {
  method: (args, data) =>
    Array.isArray(args) && typeof args[0] === 'string' ? fractional(args[1], data, args[0]) : null,
  compile: compileBoundFractional,
};

function createEngine(): LogicEngine {
  const engine = new LogicEngine();
  engine.addMethod(STARTS_WITH_RULE, startsWith, { deterministic: true });
  engine.addMethod(ENDS_WITH_RULE, endsWith, { deterministic: true });
  engine.addMethod(SEM_VER_RULE, semVer, { deterministic: true });
  engine.addMethod(BOUND_FRACTIONAL_RULE, boundFractional);
  return engine;
}

/** One engine for every flag: it holds no per-flag state, the flag key travels in the rule. */
export const targetingEngine = createEngine();

/**
 * Whether rules may name `operator`: `fractional` (which compiles to its bound form) and the
 * engine's own methods. Only own methods count: json-logic-engine
 * looks methods up on a plain object, so without this check `constructor`, `toString` or
 * `__proto__` would resolve to Object.prototype members and run as operators.
 */
export function isPublicOperator(operator: string): boolean {
  if (operator === FRACTIONAL_RULE) return true;
  return operator !== BOUND_FRACTIONAL_RULE && Object.hasOwn(targetingEngine.methods as object, operator);
}
