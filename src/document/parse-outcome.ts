/**
 * The result of reading or normalising a flagd document: the value plus non-fatal findings, or the
 * reason the whole input was rejected. Every message names the document's origin.
 */
export type ParseOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: string };
