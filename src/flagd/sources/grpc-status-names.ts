// The constants module alone: the package's index loads all of grpc-js, which the CLI's flag commands
// (which read these names through the provider options) do not otherwise need.
import { Status as status } from '@grpc/grpc-js/build/src/constants.js';

/** Every gRPC status code name (`OK`, `PERMISSION_DENIED`, ...), as flagd's `fatalStatusCodes` option lists them. */
export const GRPC_STATUS_NAMES: readonly string[] = Object.freeze(
  Object.keys(status).filter((name) => Number.isNaN(Number(name))),
);

/** The numeric code of a gRPC status name, or undefined for a name gRPC does not have. */
export function grpcStatusCode(name: string): number | undefined {
  const code: unknown = (status as unknown as Record<string, unknown>)[name];
  return GRPC_STATUS_NAMES.includes(name) && typeof code === 'number' ? code : undefined;
}

/** A comma-separated list of gRPC status names (FLAGD_FATAL_STATUS_CODES), or undefined when one is unknown. */
export function parseStatusNameList(text: string): string[] | undefined {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.every((name) => grpcStatusCode(name) !== undefined) ? names : undefined;
}
