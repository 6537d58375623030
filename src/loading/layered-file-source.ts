import { readFile } from 'node:fs/promises';
import { FileSource, type FileSourceOptions } from '../flagd/sources/file-source.js';
import type { FlagSource, SourceCallbacks } from '../flagd/sources/flag-source.js';
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

/**
 * A flag file with its rollout layer merged on top (see `rollout-layer.ts`): two watched files, one
 * payload. The flag file behaves exactly as a plain `FileSource` (it must exist; its failures are
 * reported); the layer may come and go. Each distinct merged text is delivered once.
 */
export class LayeredFileSource implements FlagSource {
  readonly #flags: FileSource;
  readonly #layer: FileSource;
  readonly #callbacks: SourceCallbacks;
  readonly #origin: string;
  #flagText: string | undefined;
  #layerText = '';
  #delivered: string | undefined;

  constructor(options: FileSourceOptions, callbacks: SourceCallbacks) {
    this.#callbacks = callbacks;
    this.#origin = options.path;
    this.#flags = new FileSource(options, {
      onPayload: (text) => {
        this.#flagText = text;
        this.#deliver();
      },
      onError: (error) => callbacks.onError(error),
    });
    const layerPath = rolloutLayerPath(options.path);
    this.#layer = new FileSource(
      { ...options, path: layerPath, fileReader: { readFile: readOptional } },
      {
        onPayload: (text) => {
          this.#layerText = text;
          this.#deliver();
        },
        onError: (error) => callbacks.onError(error),
      },
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
    this.#callbacks.onPayload(merged);
  }
}
