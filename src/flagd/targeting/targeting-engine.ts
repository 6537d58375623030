import { Constants, LogicEngine } from 'json-logic-engine';
import { ENDS_WITH_RULE, endsWith } from './ends-with.js';
import { planFractional } from './fractional-plan.js';
import { fractional } from './fractional.js';
import { SEM_VER_RULE, semVer } from './sem-ver.js';
import { FLAGD_OPERATORS } from './flagd-operators.js';
import { compileInLiteralList } from './in-literal-list.js';
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

/** json-logic-engine's method signature: arguments, data, the enclosing scopes, the engine. */
type EngineMethod = (args: unknown, data: unknown, above: unknown[], engine: LogicEngine) => unknown;

/**
 * `var` as flagd reads it: a path into the data in scope, never climbing to an enclosing scope.
 * json-logic-engine's `var` strips a `../` per level and climbs (`{"var": "../../list"}` inside
 * `map` reads the outer list, so one rule could iterate a context list once per item); flagd
 * (Go) reads `../x` as the path `""`, `""`, `/x`, which is what the engine does when it is given
 * no scopes to climb. The engine's compiled form of plain paths is kept; it leaves `../` to this.
 */
function withoutScopeClimbing(engine: LogicEngine): void {
  const original = (engine.methods as Record<string, { method: EngineMethod } & Record<string, unknown>>)['var'];
  if (original === undefined) throw new Error('json-logic-engine has no var method');
  engine.addMethod('var', {
    method: (path, data, _above, self) => original.method(path, data, [], self),
    compile: original['compile'],
    deterministic: original['deterministic'],
    optimizeUnary: original['optimizeUnary'],
  } as Parameters<LogicEngine['addMethod']>[1]);
}

/** `in` as the engine has it, compiled to a Set lookup when its list is a long literal one. */
function withInListLookups(engine: LogicEngine): void {
  // The engine declares `in` as a bare function.
  const original = (engine.methods as Record<string, unknown>)['in'];
  if (typeof original !== 'function') throw new Error('json-logic-engine has no in function');
  engine.addMethod('in', {
    method: original as EngineMethod,
    compile: compileInLiteralList,
    deterministic: true,
  } as Parameters<LogicEngine['addMethod']>[1]);
}

function createEngine(): LogicEngine {
  const engine = new LogicEngine();
  withoutScopeClimbing(engine);
  withInListLookups(engine);
  engine.addMethod(STARTS_WITH_RULE, startsWith, { deterministic: true });
  engine.addMethod(ENDS_WITH_RULE, endsWith, { deterministic: true });
  engine.addMethod(SEM_VER_RULE, semVer, { deterministic: true });
  engine.addMethod(BOUND_FRACTIONAL_RULE, boundFractional);
  return engine;
}

/** One engine for every flag: it holds no per-flag state, the flag key travels in the rule. */
export const targetingEngine = createEngine();

/**
 * Whether rules may name `operator`: flagd's operators only (`fractional` compiles to its bound
 * form). A set of our own, not the engine's method table: json-logic-engine looks methods up on a
 * plain object, where `constructor`, `toString` or `__proto__` would resolve to Object.prototype
 * members and run as operators, and it has operators flagd does not.
 */
export function isFlagdOperator(operator: string): boolean {
  return FLAGD_OPERATORS.has(operator);
}
