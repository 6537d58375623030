import { Constants } from 'json-logic-engine';

/** The slice of json-logic-engine's compiler state a compile hook uses. */
interface CompileState {
  compile(strings: TemplateStringsArray, ...items: unknown[]): unknown;
}

/** Lists shorter than this are searched as json-logic-engine does; a Set pays off on longer ones. */
const SET_FROM_LENGTH = 16;

/**
 * Compiles `{"in": [item, [literal, ...]]}` — a canary list of user IDs — into a lookup in a Set
 * built once, so that a list of 100,000 IDs costs one hash lookup per evaluation instead of a scan.
 * `Set.prototype.has` compares as `Array.prototype.includes` does (SameValueZero), so the answer is
 * the engine's. Any other form (a computed list, a string, a list holding rules) returns false,
 * which leaves it to the engine.
 */
export function compileInLiteralList(args: unknown, state: CompileState): unknown {
  if (!Array.isArray(args) || args.length !== 2) return false;
  const [item, list] = args as [unknown, unknown];
  if (!Array.isArray(list) || list.length < SET_FROM_LENGTH || !list.every(isScalar)) return false;
  const members = new Set<unknown>(list);
  const contains = (value: unknown): boolean => members.has(value);
  // json-logic-engine awaits any function it is not told is synchronous.
  Object.defineProperty(contains, Constants.Sync, { value: true });
  return state.compile`${contains}(${item})`;
}

function isScalar(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}
