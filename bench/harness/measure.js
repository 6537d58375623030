import { performance } from 'node:perf_hooks';
import { median, relativeIqr } from './stats.js';

/**
 * @typedef {object} BenchCase
 * @property {string} name unique within one measurement
 * @property {(operations: number) => number | Promise<number>} run performs `operations`
 *   evaluations and returns a number derived from their results (kept, so no work is elided)
 *
 * @typedef {object} CaseResult
 * @property {number} nsPerOp median over the rounds
 * @property {number[]} samples ns/op of each round, in round order
 * @property {number} iqr interquartile range of the rounds over their median
 * @property {number} operations per round
 */

const CALIBRATION_MIN_MS = 5;
let sink = 0;

/** The accumulated results of every run; printed once so the engine cannot treat them as dead. */
export function benchSink() {
  return sink;
}

/**
 * Measures groups of cases side by side in one process. Every case warms up first (so all share
 * one optimisation state, as call sites shared by many flags do in an application); then each
 * round runs every group, in an order rotated per round, and within a group every case back to
 * back, also rotated, each sample after a full GC. The cases of a group thus meet the same machine
 * conditions in each round, which `pairedRatio` relies on. ns/op is the median of the rounds.
 * @param {BenchCase[][]} groups
 * @param {{ warmupMs: number, rounds: number, roundMs: number }} options
 * @returns {Promise<Map<string, CaseResult>>}
 */
export async function measureSideBySide(groups, options) {
  const cases = groups.flat();
  const operations = new Map();
  for (const benchCase of cases) operations.set(benchCase.name, await calibrate(benchCase, options.roundMs));
  for (const benchCase of cases) await warmUp(benchCase, options.warmupMs / cases.length);
  const samples = new Map(cases.map((benchCase) => [benchCase.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const group of rotate(groups, round)) {
      for (const benchCase of rotate(group, round)) {
        const n = operations.get(benchCase.name);
        samples.get(benchCase.name).push((await timeRun(benchCase, n)) / n);
      }
    }
  }
  return new Map(
    cases.map(({ name }) => {
      const caseSamples = samples.get(name);
      return [
        name,
        {
          nsPerOp: median(caseSamples),
          samples: caseSamples,
          iqr: relativeIqr(caseSamples),
          operations: operations.get(name),
        },
      ];
    }),
  );
}

/**
 * How many times slower `slower` is than `faster`: the median over the rounds of the ratio of
 * their samples in that round. Pairing by round cancels most of a shared machine's drift.
 */
export function pairedRatio(slower, faster) {
  return median(slower.samples.map((sample, round) => sample / faster.samples[round]));
}

function rotate(list, by) {
  const start = by % list.length;
  return [...list.slice(start), ...list.slice(0, start)];
}

/** Nanoseconds one run of `n` operations takes, after a full GC so no earlier garbage is charged. */
async function timeRun(benchCase, n) {
  collectGarbage();
  const start = performance.now();
  sink += await benchCase.run(n);
  return (performance.now() - start) * 1e6;
}

/** Operations per round so that one round of this case lasts about `roundMs`. */
async function calibrate(benchCase, roundMs) {
  let n = 256;
  let elapsedMs = (await timeRun(benchCase, n)) / 1e6;
  while (elapsedMs < CALIBRATION_MIN_MS) {
    n *= 4;
    elapsedMs = (await timeRun(benchCase, n)) / 1e6;
  }
  return Math.max(256, Math.ceil((n * roundMs) / elapsedMs));
}

async function warmUp(benchCase, budgetMs) {
  const deadline = performance.now() + budgetMs;
  while (performance.now() < deadline) sink += await benchCase.run(1024);
}

function collectGarbage() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}
