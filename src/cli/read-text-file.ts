import { readFileSync } from 'node:fs';
import { describeReadFailure } from '../flagd/sources/read-failure.js';
import { EXIT_CODES, failure, type Step } from './command-result.js';

/** A file's text, or the failure naming it (`File not found: <path>`, ...) with exit code 2. */
export function readTextFile(path: string): Step<string> {
  try {
    return { ok: true, value: readFileSync(path, 'utf8') };
  } catch (cause) {
    return failure(EXIT_CODES.unreadable, describeReadFailure(path, cause).message);
  }
}
