/** What loading gives: the value with its non-fatal findings, or the reason there is none. */
export type LoadOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };
