import { EXIT_CODES, failure, type Step } from './command-result.js';
import { readTextFile } from './read-text-file.js';

/** The keys `plan` buckets: `user-0` … `user-(N−1)` by default, or one per line of a file. */
export interface SampleKeys {
  readonly keys: readonly string[];
  /** Where they came from, for the output: `user-0..user-9999` or the file's path. */
  readonly source: string;
}

/** Generated keys are cheap, but bucketing many millions would keep a terminal waiting for nothing. */
export const MAX_SAMPLE_SIZE = 1_000_000;

/** `--sample N`: N generated keys; a count that is no whole number in range fails with exit code 1. */
export function generatedSampleKeys(text: string): Step<SampleKeys> {
  const size = Number(text);
  if (!/^\d+$/.test(text.trim()) || size < 1 || size > MAX_SAMPLE_SIZE) {
    return failure(
      EXIT_CODES.invalid,
      `--sample ${JSON.stringify(text)} must be a whole number from 1 to ${MAX_SAMPLE_SIZE}`,
    );
  }
  const keys = Array.from({ length: size }, (_, index) => `user-${index}`);
  return { ok: true, value: { keys, source: `user-0..user-${size - 1}` } };
}

/** `--keys file`: one targeting key per line, blank lines skipped; an unreadable file fails with exit code 2. */
export function sampleKeysFromFile(path: string): Step<SampleKeys> {
  const read = readTextFile(path);
  if (!read.ok) return read;
  const keys = read.value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (keys.length === 0) return failure(EXIT_CODES.invalid, `--keys ${path} holds no keys (one per line)`);
  return { ok: true, value: { keys, source: path } };
}
