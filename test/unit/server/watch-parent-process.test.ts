import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchParentProcess } from '../../../src/server/watch-parent-process.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('watchParentProcess', () => {
  it('calls back once, with the old parent pid, when the parent pid changes', () => {
    let parent = 4242;
    const orphaned = vi.fn();
    watchParentProcess(orphaned, 500, () => parent);
    vi.advanceTimersByTime(1_500);
    expect(orphaned).not.toHaveBeenCalled();
    parent = 1;
    vi.advanceTimersByTime(500);
    expect(orphaned).toHaveBeenCalledTimes(1);
    expect(orphaned).toHaveBeenCalledWith(4242);
    vi.advanceTimersByTime(5_000);
    expect(orphaned).toHaveBeenCalledTimes(1);
  });

  it('does not watch a process started by init or with no parent', () => {
    for (const start of [0, 1]) {
      let parent = start;
      const orphaned = vi.fn();
      watchParentProcess(orphaned, 500, () => parent);
      parent = 77;
      vi.advanceTimersByTime(5_000);
      expect(orphaned).not.toHaveBeenCalled();
    }
  });

  it('stops watching when stopped', () => {
    let parent = 4242;
    const orphaned = vi.fn();
    const stop = watchParentProcess(orphaned, 500, () => parent);
    stop();
    parent = 1;
    vi.advanceTimersByTime(5_000);
    expect(orphaned).not.toHaveBeenCalled();
  });
});
