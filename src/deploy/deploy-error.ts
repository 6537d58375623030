/**
 * What went wrong, as the command line reports it: `usage` and `config` problems exit 1; `state`,
 * `lock` and `unreadable` (a flag file that cannot be read or parsed, as in `validate`) exit 2.
 */
export type DeployErrorKind = 'usage' | 'config' | 'state' | 'lock' | 'unreadable';

/** A failure of the deployment layer, naming the thing it concerns and keeping its cause. */
export class DeployError extends Error {
  readonly kind: DeployErrorKind;

  constructor(kind: DeployErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeployError';
    this.kind = kind;
  }
}
