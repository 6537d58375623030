import { startFlagServer, type FlagServerDependencies, type RunningFlagServer } from './flag-server.js';
import type { ServeConfig } from './serve-config.js';

/**
 * Runs the server until `signal` aborts, then drains it: files unwatched, streams ended with
 * UNAVAILABLE, ports closed. `onListening` runs once both ports listen. Resolves to the startup
 * failure, or to undefined after a clean shutdown.
 */
export async function runFlagServer(
  config: ServeConfig,
  dependencies: FlagServerDependencies,
  signal: AbortSignal,
  onListening: (server: RunningFlagServer) => void,
): Promise<Error | undefined> {
  const started = await startFlagServer(config, dependencies);
  if (!started.ok) return started.error;
  const server = started.value;
  if (!signal.aborted) onListening(server);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  dependencies.logger.info('shutting down: ending sync streams with UNAVAILABLE');
  await server.close();
  return undefined;
}
