import { readFile } from 'node:fs/promises';
import { FileSource, type FileSourceOptions } from '../flagd/sources/file-source.js';
import type { FlagSource, SourceListener } from '../sources/flag-source.js';
import { mergeRolloutLayerText, rolloutLayerPath } from './rollout-layer.js';

/** A missing layer is no layer: read as empty, never as a failure. */
async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw cause;
  }
}

/** The listener with its payloads taken by `payload`; every other call goes through unchanged. */
function takingPayloads(listener: SourceListener, payload: (text: string) => void): SourceListener {
  return {
    payload,
    stale: (error) => listener.stale(error),
    failed: (error) => listener.failed(error),
    recovered: () => listener.recovered(),
    syncContext: (context) => listener.syncContext(context),
  };
}

/**
 * A flag file with its rollout layer merged on top (see `rollout-layer.ts`): two watched files, one
 * payload. The flag file behaves exactly as a plain `FileSource` (it must exist; its failures are
 * reported); the layer may come and go. Each distinct merged text is delivered once.
 */
export class LayeredFileSource implements FlagSource {
  readonly retriesAfterFailedStart = false;
  readonly #flags: FileSource;
  readonly #layer: FileSource;
  readonly #listener: SourceListener;
  readonly #origin: string;
  #flagText: string | undefined;
  #layerText = '';
  #delivered: string | undefined;

  constructor(options: FileSourceOptions, listener: SourceListener) {
    this.#listener = listener;
    this.#origin = options.path;
    this.#flags = new FileSource(
      options,
      takingPayloads(listener, (text) => {
        this.#flagText = text;
        this.#deliver();
      }),
    );
    const layerPath = rolloutLayerPath(options.path);
    this.#layer = new FileSource(
      { ...options, path: layerPath, fileReader: { readFile: readOptional } },
      takingPayloads(listener, (text) => {
        this.#layerText = text;
        this.#deliver();
      }),
    );
  }

  /** The layer first, so that the first payload already has it. */
  async start(): Promise<void> {
    await this.#layer.start();
    try {
      await this.#flags.start();
    } catch (error) {
      await this.#layer.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all([this.#flags.stop(), this.#layer.stop()]);
  }

  #deliver(): void {
    if (this.#flagText === undefined) return;
    const merged = mergeRolloutLayerText(this.#flagText, this.#layerText, this.#origin);
    if (merged === this.#delivered) return;
    this.#delivered = merged;
    this.#listener.payload(merged, false);
  }
}
