import { describe, expect, it } from 'vitest';
import { describeReadFailure } from '../../../../src/flagd/sources/read-failure.js';

describe('describeReadFailure', () => {
  it.each([
    ['ENOENT', 'File not found: config/x.json'],
    ['EACCES', 'Permission denied: config/x.json'],
    ['EPERM', 'Permission denied: config/x.json'],
    ['EISDIR', 'Not a file: config/x.json'],
    ['EIO', 'Cannot read config/x.json: disk on fire'],
  ])('names the file for %s', (code, message) => {
    const cause = Object.assign(new Error('disk on fire'), { code });
    const error = describeReadFailure('config/x.json', cause);
    expect(error.message).toBe(message);
    expect(error.cause).toBe(cause);
  });
});
