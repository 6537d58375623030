// `npm run bench`: genesis-flags against the official flagd pieces, side by side in this process.
// `--quick` runs fewer rounds and reloads, to check the bench itself; its figures are not reported.
import { benchSink } from './harness/measure.js';
import { describeMachine } from './report/machine.js';
import { evaluatorTable, loadTable, providerAloneTable, reloadTable, sdkTable } from './report/markdown.js';
import { runIsolatedEvaluation, runMixedEvaluation } from './suites/core-evaluation.js';
import { runLoadTime } from './suites/load-time.js';
import { runReloadLatency } from './suites/reload-latency.js';
import { runSdkEvaluation } from './suites/sdk-evaluation.js';

const quick = process.argv.includes('--quick');
if (typeof globalThis.gc !== 'function')
  console.warn('Run with --expose-gc (npm run bench does) so every sample starts after a full GC.');

const SETTINGS = quick
  ? {
      evaluator: { warmupMs: 300, rounds: 5, roundMs: 5 },
      sdk: { warmupMs: 300, rounds: 5, roundMs: 5 },
      loadRounds: 1,
      reload: { genesisReloads: 6, flagdReloads: 1, seed: 1 },
    }
  : {
      evaluator: { warmupMs: 800, rounds: 31, roundMs: 5 },
      sdk: { warmupMs: 800, rounds: 31, roundMs: 10 },
      loadRounds: 3,
      reload: { genesisReloads: 30, flagdReloads: 4, seed: 1 },
    };

const started = describeMachine();
const startedMs = Date.now();
let sectionStartMs = startedMs;
const section = (title, body) => {
  console.log(`\n### ${title} (${((Date.now() - sectionStartMs) / 1000).toFixed(0)} s)\n\n${body}`);
  sectionStartMs = Date.now();
};
console.log(`## genesis-flags benchmark${quick ? ' (--quick: not for reporting)' : ''}\n`);
console.log(
  `${started.date} · ${started.cores} cores · ${started.cpu} · Node ${started.node} · load average at start ${started.loadAverage}`,
);

section(
  'Evaluator, each scenario alone (fresh worker isolate)',
  evaluatorTable(await runIsolatedEvaluation(SETTINGS.evaluator)),
);
section(
  'Evaluator, all scenarios in one isolate (mixed workload)',
  evaluatorTable(await runMixedEvaluation(SETTINGS.evaluator)),
);
const sdkRows = await runSdkEvaluation(SETTINGS.sdk);
section('Through the OpenFeature SDK', `${sdkTable(sdkRows)}\n\n${providerAloneTable(sdkRows)}`);
section('Load time', loadTable(await runLoadTime({ rounds: SETTINGS.loadRounds })));
section('File change to new value', reloadTable(await runReloadLatency(SETTINGS.reload)));

const seconds = ((Date.now() - startedMs) / 1000).toFixed(0);
console.log(
  `\nTook ${seconds} s; load average at end ${describeMachine().loadAverage}. ns/op are medians of the rounds; speed-ups and ratios compare sides measured in the same rounds. (checksum ${benchSink()})`,
);
