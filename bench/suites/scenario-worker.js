import { parentPort, workerData } from 'node:worker_threads';
import { createContexts } from '../fixtures/contexts.js';
import { createScenarios } from '../fixtures/scenarios.js';
import { measureSideBySide } from '../harness/measure.js';
import { countAgreement, prepareScenario, scenarioCases, scenarioRow } from './scenario-cases.js';

// One scenario in a fresh V8 isolate: no other flag has trained the shared call sites, as when a
// benchmark runs one case alone. The main thread waits, so this worker has the process to itself.
const { index, nowSeconds, options } = workerData;
const scenario = await prepareScenario(createScenarios(nowSeconds)[index]);
const contexts = createContexts();
const agreement = countAgreement(scenario, contexts);
const results = await measureSideBySide([scenarioCases(scenario, contexts)], options);
await scenario.provider.onClose();
parentPort.postMessage(scenarioRow(scenario, agreement, results));
