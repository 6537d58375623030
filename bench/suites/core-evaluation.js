import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createContexts } from '../fixtures/contexts.js';
import { createScenarios } from '../fixtures/scenarios.js';
import { measureSideBySide } from '../harness/measure.js';
import { countAgreement, prepareScenario, scenarioCases, scenarioRow } from './scenario-cases.js';

/**
 * Isolated: each scenario alone in its own worker thread (a fresh isolate, so the JIT has seen
 * only that flag), ours and flagd-core interleaved round by round. The workers run one at a time.
 */
export async function runIsolatedEvaluation(options) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const rows = [];
  for (let index = 0; index < createScenarios(nowSeconds).length; index++) {
    const worker = new Worker(new URL('./scenario-worker.js', import.meta.url), {
      workerData: { index, nowSeconds, options },
    });
    const [row] = await once(worker, 'message');
    rows.push(row);
    await once(worker, 'exit');
  }
  return rows;
}

/**
 * Mixed: every scenario in this one isolate, all warmed up before any is measured, as in an
 * application that evaluates many different flags through the same call sites.
 */
export async function runMixedEvaluation(options) {
  const contexts = createContexts();
  const scenarios = await Promise.all(createScenarios(Math.floor(Date.now() / 1000)).map(prepareScenario));
  const agreement = scenarios.map((s) => countAgreement(s, contexts));
  const results = await measureSideBySide(
    scenarios.map((s) => scenarioCases(s, contexts)),
    options,
  );
  await Promise.all(scenarios.map((s) => s.provider.onClose()));
  return scenarios.map((s, i) => scenarioRow(s, agreement[i], results));
}
