/** A value, or why there is none: a message by default, or an error object where one is kept. */
export type Result<T, E = string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };
