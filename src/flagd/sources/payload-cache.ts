import type { Result } from '../../errors/result.js';
import { readFile } from 'node:fs/promises';
import { describeError } from '../../errors/describe-error.js';
import { parseDocumentText } from '../../document/parse-document-text.js';
import { describeReadFailure } from './read-failure.js';
import { writeFileAtomic } from '../../system/write-file-atomic.js';

/**
 * The last flag payload a remote source received, kept in a file as the flagd document itself (so it
 * can be read, diffed, or fed to a file source by hand).
 */
export class PayloadCache {
  readonly #path: string;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  /**
   * The cached payload, or the reason there is none (`File not found: <path>` when never written). A
   * file that is not JSON (truncated by a full disk, edited by hand) is refused here, naming the file
   * and the line: read later as the payload, its error would name the server it once came from.
   */
  async read(): Promise<Result<string, Error>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      return { ok: false, error: describeReadFailure(this.#path, error) };
    }
    const parsed = parseDocumentText(text, this.#path);
    if (!parsed.ok) return { ok: false, error: new Error(`Corrupt flag cache ${parsed.error}`) };
    return { ok: true, value: text };
  }

  /**
   * Replaces the cache atomically (see `writeFileAtomic`), so a crash mid-write leaves the previous
   * payload intact. Writes are chained so an older payload can never land after a newer one.
   * Resolves to the failure, if any.
   */
  write(text: string): Promise<Error | undefined> {
    const result = this.#writing.then(() => this.#replace(text));
    this.#writing = result.then(() => undefined);
    return result;
  }

  async #replace(text: string): Promise<Error | undefined> {
    try {
      await writeFileAtomic(this.#path, text);
      return undefined;
    } catch (cause) {
      return new Error(`Cannot write flag cache ${this.#path}: ${describeError(cause)}`, { cause });
    }
  }
}
