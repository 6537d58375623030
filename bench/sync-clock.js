import { performance } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every process on the machine reads the same
 * wall clock, so the writer's instant can be subtracted from the subscribers' ones.
 */
export const wallClockMs = () => performance.timeOrigin + performance.now();
