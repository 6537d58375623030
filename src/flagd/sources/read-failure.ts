import { describeError } from '../../errors/describe-error.js';

/** Maps a file-system failure to an error naming the file, keeping the original as `cause`. */
export function describeReadFailure(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new Error(`File not found: ${path}`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return new Error(`Permission denied: ${path}`, { cause: error });
    case 'EISDIR':
      return new Error(`Not a file: ${path}`, { cause: error });
    default:
      return new Error(`Cannot read ${path}: ${describeError(error)}`, { cause: error });
  }
}
