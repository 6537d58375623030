import { freePort } from '../../../fixtures/server-process.js';

/**
 * The loopback ports this process's scenarios have served on or dialled. grpc-js pools subchannels
 * process-wide by address and options, and keeps one up to 10 s after its last channel closed, in the
 * state and connection backoff it was in. The kernel hands a released port out again within a few
 * hundred binds, so a scenario whose server landed on a port an earlier scenario's provider failed to
 * reach (an `unavailable` port, a server stopped mid-outage) got that subchannel back, and connected only
 * after its backoff: past the 2 s deadline. Each scenario therefore gets ports new to this process.
 */
const usedPorts = new Set<number>();

/** How many bindings to try before giving up; a binding lands on a used port only now and then. */
const MAX_ATTEMPTS = 50;

/** Binds with `bind` until all the ports it took are new to this process, releasing each binding that is not. */
export async function bindOnFreshPorts<T>(
  bind: () => Promise<T>,
  portsOf: (bound: T) => readonly number[],
  release: (bound: T) => Promise<void>,
): Promise<T> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const bound = await bind();
    const ports = portsOf(bound);
    if (!ports.some((port) => usedPorts.has(port))) {
      for (const port of ports) usedPorts.add(port);
      return bound;
    }
    await release(bound);
  }
  throw new Error(`No binding on loopback ports new to this process in ${MAX_ATTEMPTS} attempts`);
}

/** A loopback port nothing listens on and no scenario of this process will serve on: bound, then released. */
export function unusedPort(): Promise<number> {
  return bindOnFreshPorts(
    freePort,
    (port) => [port],
    async () => undefined,
  );
}
