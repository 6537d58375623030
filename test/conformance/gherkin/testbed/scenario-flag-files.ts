import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const COMBINED_SELECTOR = 'flags/allFlags.json';
const RAW_PREFIX = 'rawflags/';
const CHANGING_FLAG = 'changing-flag';

/**
 * The flag files of one scenario, in its own temp dir, standing in for what the testbed's flagd serves:
 * a selector names a source file (`flags/allFlags.json` is the combined file, `rawflags/x.json` one
 * testbed file), and in file mode the provider reads exactly that file. Changes are written atomically
 * (temp file + rename), as the launchpad and most editors do.
 */
export class ScenarioFlagFiles {
  #dir: string | undefined;
  #active: { readonly filePath: string; readonly goodText: string } | undefined;

  constructor(
    private readonly testbedDir: string,
    private readonly combinedText: () => string,
  ) {}

  /** Writes the file the selector names (the combined file when none) and returns its path. */
  async sourceFor(selector: string | undefined): Promise<string> {
    const name = selector ?? COMBINED_SELECTOR;
    const text = await this.#textFor(name);
    const filePath = path.join(await this.#ensureDir(), name);
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(filePath, text);
    this.#active = { filePath, goodText: text };
    return filePath;
  }

  /** A path inside the scenario dir where no file exists. */
  async missingSource(): Promise<string> {
    return path.join(await this.#ensureDir(), 'missing', 'flags.json');
  }

  /** The launchpad's `/change`: toggles `changing-flag`'s default variant between `foo` and `bar`. */
  async toggleChangingFlag(): Promise<void> {
    const { filePath } = this.#requireActive();
    const document = JSON.parse(await readFile(filePath, 'utf8')) as {
      flags?: Record<string, { defaultVariant?: string }>;
    };
    const flag = document.flags?.[CHANGING_FLAG];
    if (flag === undefined) throw new Error(`${CHANGING_FLAG} is not in ${filePath}`);
    flag.defaultVariant = flag.defaultVariant === 'foo' ? 'bar' : 'foo';
    const text = JSON.stringify(document, null, 2);
    await this.#writeAtomically(filePath, text);
    this.#active = { filePath, goodText: text };
  }

  /** Replaces the active file with malformed JSON: the file-mode stand-in for losing flagd. */
  async corruptSource(): Promise<void> {
    await this.#writeAtomically(this.#requireActive().filePath, '{ "flags": { "broken": ');
  }

  /** Puts back the last good content of the active file. */
  async restoreSource(): Promise<void> {
    const { filePath, goodText } = this.#requireActive();
    await this.#writeAtomically(filePath, goodText);
  }

  async dispose(): Promise<void> {
    if (this.#dir !== undefined) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }

  async #textFor(selector: string): Promise<string> {
    if (selector === COMBINED_SELECTOR) return this.combinedText();
    if (selector.startsWith(RAW_PREFIX)) {
      return readFile(path.join(this.testbedDir, 'flags', path.basename(selector)), 'utf8');
    }
    throw new Error(`Unknown selector "${selector}": expected ${COMBINED_SELECTOR} or ${RAW_PREFIX}<file>`);
  }

  async #ensureDir(): Promise<string> {
    this.#dir ??= await mkdtemp(path.join(tmpdir(), 'genesis-conformance-'));
    return this.#dir;
  }

  #requireActive(): { readonly filePath: string; readonly goodText: string } {
    if (this.#active === undefined) throw new Error('No flag file is in use: no provider was started from a file');
    return this.#active;
  }

  async #writeAtomically(filePath: string, text: string): Promise<void> {
    const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.tmp`);
    await writeFile(temporary, text);
    await rename(temporary, filePath);
  }
}
