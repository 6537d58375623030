/** Why there is no value: a message by default, or an error object where one is kept. */
export interface Failure<E = string> {
  readonly ok: false;
  readonly error: E;
}

/** A value, or why there is none. */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | Failure<E>;

/**
 * A `Result` whose value comes with non-fatal findings (a flag skipped, an environment value ignored),
 * each a message that names what it is about; the caller logs or prints them.
 */
export type ResultWithWarnings<T, E = string> =
  { readonly ok: true; readonly value: T; readonly warnings: readonly string[] } | Failure<E>;
