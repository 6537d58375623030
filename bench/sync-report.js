import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { percentile } from './harness/stats.js';

const TARGET_P99_MS = 100;
const TARGET_P99_FLEET = 100;
const TARGET_HELD_STREAMS = 1_000;

/** Percentiles of one measure over every sample of every change; undefined when the kind cannot tell. */
function distribution(perChange) {
  const samples = perChange.flat();
  if (samples.length === 0) return undefined;
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    samples: samples.length,
  };
}

/** One row: distributions over every sample of every change, and CPU time per change. */
export function summarise(label, subscribers, perChange, serverCpuMs) {
  const subscriberCpu = perChange.map((change) => change.subscriberCpuMs);
  return {
    label,
    subscribers,
    changes: perChange.length,
    received: distribution(perChange.map((change) => change.received)),
    applied: distribution(perChange.map((change) => change.applied)),
    applyCost: distribution(perChange.map((change) => change.applyCost)),
    serverCpuMsPerChange: serverCpuMs === undefined ? undefined : serverCpuMs / perChange.length,
    subscriberCpuMsPerChange: subscriberCpu.includes(undefined)
      ? undefined
      : subscriberCpu.reduce((sum, cpu) => sum + cpu, 0) / perChange.length,
  };
}

const ms = (value) =>
  value === undefined ? '–' : value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2);
const kib = (bytes) => (bytes / 1024).toFixed(1);
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);

function latencyTable(rows) {
  const header = [
    '| subscribers | subscriber | changes | received p50 / p99 / max ms | applied p50 / p99 / max ms | own apply p50 / p99 ms | CPU ms per change: server, subscribers | server connections |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  const triple = (d) => (d === undefined ? '–' : `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`);
  const pair = (d) => (d === undefined ? '–' : `${ms(d.p50)} / ${ms(d.p99)}`);
  const lines = rows.map((row) =>
    [
      row.subscribers,
      row.label,
      row.changes,
      triple(row.received),
      triple(row.applied),
      pair(row.applyCost),
      `${ms(row.serverCpuMsPerChange)}, ${ms(row.subscriberCpuMsPerChange)}`,
      row.connections ?? '–',
    ].join(' | '),
  );
  return [...header, ...lines.map((line) => `| ${line} |`)].join('\n');
}

function memoryLines(held) {
  const { before, after, streams } = held;
  const per = (field) => kib((after[field] - before[field]) / streams);
  return [
    `Server memory, ${streams} streams (${held.connections} TCP connections), after a full GC:`,
    `- RSS ${mib(before.rss)} MiB -> ${mib(after.rss)} MiB: ${per('rss')} KiB per stream`,
    `- V8 heap used ${mib(before.heapUsed)} MiB -> ${mib(after.heapUsed)} MiB: ${per('heapUsed')} KiB per stream`,
    `- external ${mib(before.external)} MiB -> ${mib(after.external)} MiB: ${per('external')} KiB per stream`,
    `- streams still open after ${held.live.changes} changes at ${streams} subscribers: ${held.stillOpen}`,
  ];
}

function targetLines(fleets, held) {
  const fleet = fleets.rows.find((row) => row.label.startsWith('ours') && row.subscribers === TARGET_P99_FLEET);
  const verdict = (d) => (d !== undefined && d.p99 <= TARGET_P99_MS ? 'met' : 'MISSED');
  const heldMet =
    held.stillOpen === TARGET_HELD_STREAMS && held.live.applied.samples === TARGET_HELD_STREAMS * held.live.changes;
  return [
    `- p99 <= ${TARGET_P99_MS} ms at ${TARGET_P99_FLEET} subscribers, to receipt: ${verdict(fleet?.received)} (${ms(fleet?.received?.p99)} ms)`,
    `- the same, to application: ${verdict(fleet?.applied)} (${ms(fleet?.applied?.p99)} ms)`,
    `- ${TARGET_HELD_STREAMS} streams held and all updated: ${heldMet ? 'met' : 'MISSED'} (${held.stillOpen} open, ${held.live.applied.samples} of ${TARGET_HELD_STREAMS * held.live.changes} updates)`,
  ];
}

/** Prints the machine, the tables and the target verdicts, ready for docs/BENCHMARKS.md. */
export function printReport({ startedAt, loadAverage, seconds, fixture, processes, fleets, held, fileMode }) {
  const clockSkew = Math.max(...fleets.clock.map((check) => Math.abs(check.offsetMs)));
  const roundTrip = Math.max(...fleets.clock.map((check) => check.roundTripMs));
  const lines = [
    `Date: ${startedAt.toISOString()}; run took ${seconds.toFixed(0)} s`,
    `Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${mib(totalmem())} MiB RAM, Node ${process.version}, ${process.platform}`,
    `Load average (1 min) before / after the run: ${loadAverage.toFixed(2)} / ${loadavg()[0].toFixed(2)}`,
    `Served file: config/feature_flags.json (${fixture.flagCount} Genesis flags, ${fixture.payloadBytes} B payload), one flag flipped per change`,
    `Subscribers held by ${processes} child processes; server, subscribers and writer share the machine`,
    `Clock check: children's wall clock within ${clockSkew.toFixed(2)} ms of the writer's (estimate good to half of a ${roundTrip.toFixed(2)} ms IPC round trip)`,
    '',
    latencyTable([...fleets.rows, held.live, fileMode]),
    '',
    ...memoryLines(held),
    '',
    'Targets:',
    ...targetLines(fleets, held),
    `Server exit codes after SIGTERM: ${fleets.exitCode}, ${held.exitCode}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
