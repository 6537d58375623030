/**
 * The sync server ended the first subscription with a status listed in `fatalStatusCodes`
 * (PERMISSION_DENIED, UNAUTHENTICATED, ...): retrying cannot help, so the source has stopped for good.
 */
export class FatalSyncError extends Error {
  override readonly name = 'FatalSyncError';

  constructor(
    message: string,
    /** The gRPC status name the server answered with. */
    readonly statusName: string,
  ) {
    super(message);
  }
}
