/**
 * What went wrong, as the command line reports it: `usage` and `config` problems exit 1,
 * `state` and `lock` problems exit 2.
 */
export type DeployErrorKind = 'usage' | 'config' | 'state' | 'lock';

/** A failure of the deployment layer, naming the thing it concerns and keeping its cause. */
export class DeployError extends Error {
  readonly kind: DeployErrorKind;

  constructor(kind: DeployErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
    this.kind = kind;
  }
}

/** The outcome of a pure parse or check: a value or the message explaining why there is none. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Describes a caught value for a message (`Error.message`, else its string form). */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
