import type { Logger } from '@openfeature/core';
import { startFlagServer, type RunningFlagServer } from '../../src/server/flag-server.js';
import { resolveServeConfig, type ServeOptions } from '../../src/server/serve-config.js';

/** A logger that keeps every line, so tests can assert on what the server said. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  error(...args: unknown[]): void {
    this.lines.push(`error ${args.join(' ')}`);
  }
  warn(...args: unknown[]): void {
    this.lines.push(`warn ${args.join(' ')}`);
  }
  info(...args: unknown[]): void {
    this.lines.push(`info ${args.join(' ')}`);
  }
  debug(...args: unknown[]): void {
    this.lines.push(`debug ${args.join(' ')}`);
  }
}

/** Starts the whole server on ephemeral loopback ports, with the environment ignored. */
export async function startTestFlagServer(
  options: ServeOptions,
  logger: Logger = new RecordingLogger(),
): Promise<RunningFlagServer> {
  const config = resolveServeConfig(
    { host: '127.0.0.1', port: 0, syncPort: 0, ofrepPort: 0, managementPort: 0, debounceMs: 10, ...options },
    {},
  );
  if (!config.ok) throw new Error(config.error);
  const started = await startFlagServer(config.value, { logger });
  if (!started.ok) throw started.error;
  return started.value;
}
