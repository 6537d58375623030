import type { Logger, Provider } from '@openfeature/server-sdk';

/** A provider implementation the provider suites can run against, in file mode. */
export interface ProviderTarget {
  readonly name: string;
  /** Builds a provider that reads its flags from `flagFile` and watches it for changes. */
  readonly createProvider: (flagFile: string) => Provider;
  /** Tags this target is not run with, beyond the suite's own exclusions, with the reason. */
  readonly excluded?: Readonly<Record<string, string>>;
}

/** Keeps expected failures (missing files, malformed JSON) out of the test output. */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
