import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@openfeature/core';
import { OpenFeature, ProviderEvents, type Client, type EventDetails } from '@openfeature/server-sdk';
import { GenesisProvider } from '../../src/provider/genesis-provider.js';
import type { GenesisProviderOptions } from '../../src/provider/provider-options.js';

export type RecordedEvent = { readonly type: ProviderEvents; readonly details: EventDetails | undefined };

/** A logger that keeps what it is told, so tests can assert warnings and errors. */
export class RecordingLogger implements Logger {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  error(...args: unknown[]): void {
    this.errors.push(args.map(String).join(' '));
  }
  warn(...args: unknown[]): void {
    this.warnings.push(args.map(String).join(' '));
  }
  info(...args: unknown[]): void {
    this.infos.push(args.map(String).join(' '));
  }
  debug(): void {}
}

let domainCounter = 0;

/**
 * One provider under test, bound to its own OpenFeature domain, with every provider event recorded
 * from the moment it is ready. `waitFor` resolves as soon as the recorded events satisfy a predicate.
 */
export class ProviderHarness {
  readonly events: RecordedEvent[] = [];
  readonly logger = new RecordingLogger();
  readonly domain = `provider-test-${++domainCounter}`;
  readonly client: Client;
  readonly provider: GenesisProvider;
  #listeners: (() => void)[] = [];

  constructor(options: GenesisProviderOptions) {
    this.provider = new GenesisProvider({ environment: {}, ...options, logger: this.logger });
    this.client = OpenFeature.getClient(this.domain);
  }

  async start(): Promise<void> {
    await OpenFeature.setProviderAndWait(this.domain, this.provider);
    for (const type of [
      ProviderEvents.Ready,
      ProviderEvents.Error,
      ProviderEvents.ConfigurationChanged,
      ProviderEvents.Stale,
    ]) {
      this.client.addHandler(type, (details) => this.#record(type, details));
    }
    // A READY handler added to a ready provider runs at once; that is not an event of the test.
    this.events.length = 0;
  }

  /** Resolves when the predicate holds for the recorded events; rejects after `timeoutMs`. */
  waitFor(
    predicate: (events: readonly RecordedEvent[]) => boolean,
    description: string,
    timeoutMs = 10_000,
  ): Promise<void> {
    if (predicate(this.events)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `Timed out waiting for ${description}; events: ${JSON.stringify(this.events.map((event) => event.type))}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.events)) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        resolve();
      };
      this.#listeners.push(check);
    });
  }

  /** Waits for the `count`-th event of a type (counting from start) and returns it. */
  async nth(type: ProviderEvents, count: number): Promise<RecordedEvent> {
    const ofType = () => this.events.filter((event) => event.type === type);
    await this.waitFor(() => ofType().length >= count, `${type} #${count}`);
    return ofType()[count - 1] as RecordedEvent;
  }

  #record(type: ProviderEvents, details: EventDetails | undefined): void {
    this.events.push({ type, details });
    for (const listener of [...this.#listeners]) listener();
  }
}

/** The `flagsChanged` of a CONFIGURATION_CHANGED event, sorted. */
export function flagsChanged(event: RecordedEvent): string[] {
  const keys = event.details?.flagsChanged;
  return Array.isArray(keys) ? [...(keys as string[])].sort() : [];
}

/** A temporary directory, removed by `cleanup`. */
export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'genesis-flags-'));
}

export async function removeDir(directory: string | undefined): Promise<void> {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
}

/** A flagd document with one boolean flag per entry, each statically on or off. */
export function booleanFlags(values: Readonly<Record<string, boolean>>): string {
  const flags = Object.fromEntries(
    Object.entries(values).map(([key, on]) => [
      key,
      { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: on ? 'on' : 'off' },
    ]),
  );
  return `${JSON.stringify({ flags }, null, 2)}\n`;
}
