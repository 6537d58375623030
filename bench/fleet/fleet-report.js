import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { percentile } from '../harness/stats.js';

/** The issue's targets for the fleet: p99 from push to every subscriber, and its ratio to one server. */
const TARGET_P99_MS = 150;
const TARGET_P99_RATIO = 1.5;
const KINDS = ['genesis-sync', 'flagd-events'];

const ms = (value) => (value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2));
const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const kib = (bytes) => (bytes / 1024).toFixed(1);

function distribution(samples) {
  return {
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    count: samples.length,
  };
}

const pair = (d) => `${ms(d.p50)} / ${ms(d.p99)}`;

/**
 * Every subscriber's sample of every push, from the start of the push (`fromLog`: from when the
 * change log showed it), optionally only those matching `which`.
 */
function samplesOf(setup, { which = () => true, fromLog = false } = {}) {
  return setup.pushes.flatMap((push) =>
    push.samples
      .filter((sample) => KINDS.includes(sample.kind) && which(sample))
      .map((sample) => sample.applied - (fromLog ? push.inLogMs : 0)),
  );
}

/** The probes' arrival times, from when the change log showed the push: the replicas' own delivery. */
function deliveredSamples(setup) {
  return setup.pushes.flatMap((push) =>
    push.samples.filter((sample) => sample.kind === 'grpc').map((sample) => sample.received - push.inLogMs),
  );
}

function summarise(setup) {
  const byKind = (kind) => distribution(samplesOf(setup, { which: (sample) => sample.kind === kind }));
  return {
    setup,
    fromPush: distribution(samplesOf(setup)),
    fromLog: distribution(samplesOf(setup, { fromLog: true })),
    kinds: KINDS.map(byKind),
    push: distribution(setup.pushes.map((entry) => entry.pushMs)),
    inLog: distribution(setup.pushes.map((entry) => entry.inLogMs)),
    delivered: distribution(deliveredSamples(setup)),
    replicaCpuMs: setup.replicas.reduce((sum, replica) => sum + replica.cpuMs, 0) / setup.pushes.length,
    subscriberCpuMs: setup.pushes.reduce((sum, push) => sum + push.subscriberCpuMs, 0) / setup.pushes.length,
  };
}

function latencyTable(rows, field, title) {
  const [fleet, single] = rows.map((row) => row[field]);
  const ratio = (name) => (fleet[name] / single[name]).toFixed(2);
  return [
    `| ${title} | replicas | subscribers | pushes | samples | p50 ms | p95 ms | p99 ms | max ms |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => {
      const d = row[field];
      const { setup } = row;
      return `| ${setup.label} | ${setup.replicas.length} | ${setup.subscribers} | ${setup.pushes.length} | ${d.count} | ${ms(d.p50)} | ${ms(d.p95)} | ${ms(d.p99)} | ${ms(d.max)} |`;
    }),
    `| fleet ÷ single | | | | | ${ratio('p50')} | ${ratio('p95')} | ${ratio('p99')} | ${ratio('max')} |`,
  ].join('\n');
}

function breakdownTable(rows) {
  return [
    '| setup | push itself (validate, translate, CAS write) p50 / p99 | push start → in the log p50 / p99 | log → replica delivered (probe stream) p50 / p99 | push start → ours (sync mode) p50 / p99 | push start → official (in-process) p50 / p99 |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.setup.label} | ${pair(row.push)} | ${pair(row.inLog)} | ${pair(row.delivered)} | ${row.kinds.map(pair).join(' | ')} |`,
    ),
  ].join('\n');
}

/**
 * CPU per push of the replicas and of the processes holding the simulated instances, all on this
 * machine's cores: their sum over the core count is the least time the last subscriber can take,
 * however idle the machine.
 */
function cpuTable(rows) {
  const cores = availableParallelism();
  return [
    `| setup | replicas' CPU ms per push (sum) | simulated instances' CPU ms per push (sum) | floor on ${cores} cores ms |`,
    '|---|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| ${row.setup.label} | ${ms(row.replicaCpuMs)} | ${ms(row.subscriberCpuMs)} | ${ms((row.replicaCpuMs + row.subscriberCpuMs) / cores)} |`,
    ),
  ].join('\n');
}

function replicaTable(setups) {
  const lines = [
    '| setup | replica | streams | connections | p99 ms of its subscribers | RSS MiB | V8 heap after GC MiB | CPU ms per push |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const setup of setups)
    setup.replicas.forEach((replica, index) => {
      const own = distribution(samplesOf(setup, { which: (sample) => sample.port === replica.server.syncPort }));
      const cells = [
        setup.label,
        index + 1,
        replica.streams,
        replica.connections,
        ms(own.p99),
        mib(replica.held.rss),
        mib(replica.held.heapUsed),
        ms(replica.cpuMs / setup.pushes.length),
      ];
      lines.push(`| ${cells.join(' | ')} |`);
    });
  return lines.join('\n');
}

function heldLines(held) {
  const per = (field) => kib((held.after[field] - held.before[field]) / held.streams);
  const samples = distribution(held.pushes.flatMap((push) => push.samples.map((sample) => sample.received)));
  return [
    `One store replica at ${held.streams} streams (${held.connections} TCP connections, raw gRPC subscribers), after a full GC:`,
    `- RSS ${mib(held.before.rss)} -> ${mib(held.after.rss)} MiB: ${per('rss')} KiB per stream`,
    `- V8 heap used ${mib(held.before.heapUsed)} -> ${mib(held.after.heapUsed)} MiB: ${per('heapUsed')} KiB per stream`,
    `- external ${mib(held.before.external)} -> ${mib(held.after.external)} MiB: ${per('external')} KiB per stream`,
    `- ${held.pushes.length} pushes: server CPU ${ms(held.cpuMsPerPush)} ms per push; push start -> received p50 / p99 / max ${ms(samples.p50)} / ${ms(samples.p99)} / ${ms(samples.max)} ms (${samples.count} samples); ${held.stillOpen} streams still open`,
  ];
}

function storeLines(store) {
  const { memory } = store;
  return [
    `Redis ${store.version}, ${store.clients} clients connected; INFO memory: used_memory ${mib(memory.used_memory)} MiB, used_memory_rss ${mib(memory.used_memory_rss)} MiB, used_memory_peak ${mib(memory.used_memory_peak)} MiB, used_memory_dataset ${kib(memory.used_memory_dataset)} KiB`,
    ...store.keys.map(
      (key) =>
        `- ${key.key}: ${kib(key.bytes)} KiB${key.entries === undefined ? '' : ` (${key.entries} change-log entries)`}`,
    ),
  ];
}

function targetLines(rows) {
  const [fleet, single] = rows;
  const verdict = (met) => (met ? 'met' : 'MISSED');
  const ratio = (field) => fleet[field].p99 / single[field].p99;
  return [
    `- fleet p99 <= ${TARGET_P99_MS} ms from the start of the push: ${verdict(fleet.fromPush.p99 <= TARGET_P99_MS)} (${ms(fleet.fromPush.p99)} ms)`,
    `- fleet p99 <= ${TARGET_P99_RATIO} x single server, from the push: ${verdict(ratio('fromPush') <= TARGET_P99_RATIO)} (${ratio('fromPush').toFixed(2)} x); from the log: ${verdict(ratio('fromLog') <= TARGET_P99_RATIO)} (${ratio('fromLog').toFixed(2)} x)`,
  ];
}

/** Prints the machine, the tables and the target verdicts, ready for docs/BENCHMARKS.md. */
export function printFleetReport(report) {
  const { startedAt, loadBefore, seconds, fixture, processesPerSetup, setups, store, clock, held } = report;
  const rows = setups.map(summarise);
  const clockSkew = Math.max(...clock.map((check) => Math.abs(check.offsetMs)));
  const lines = [
    `Date: ${startedAt.toISOString()}; run took ${seconds.toFixed(0)} s`,
    `Machine: ${availableParallelism()} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${mib(totalmem())} MiB RAM, Node ${process.version}, ${process.platform}`,
    `Load average (1 min) before / after the run: ${loadBefore.toFixed(2)} / ${loadavg()[0].toFixed(2)}`,
    `Pushed file: config/feature_flags.json (${fixture.flagCount} Genesis flags, ${fixture.payloadBytes} B payload), one flag flipped per push`,
    `Subscribers of each setup held by ${processesPerSetup} child processes; Redis, replicas, subscribers and pusher share the machine`,
    `Clock check: children's wall clock within ${clockSkew.toFixed(2)} ms of the pusher's`,
    '',
    latencyTable(rows, 'fromPush', 'push start → each subscriber evaluates the new value'),
    '',
    latencyTable(rows, 'fromLog', 'change in the log → each subscriber evaluates it'),
    '',
    breakdownTable(rows),
    '',
    cpuTable(rows),
    '',
    replicaTable(setups),
    '',
    ...heldLines(held),
    '',
    ...storeLines(store),
    '',
    'Targets:',
    ...targetLines(rows),
    `Replica exit codes after SIGTERM: ${setups.flatMap((setup) => setup.exitCodes).join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
