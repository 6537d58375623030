/*
 * `npm run demo`: the sync server, three orchestrators fed by it, load, and a health-gated rollout
 * of phase_4_deployment that breaks at 25% and rolls itself back. Options (all optional):
 *   --instances 3  --steps 0,5,25,50,100  --step-duration 4s  --check-interval 1s  --rate 150
 *   --fault-at 25  --min-requests 30  --max-p95-ms 500  --keep  --report <file>  (the run as JSON, for tests)
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS, demoSucceeded, runDemo, type DemoOptions } from './demo.js';

const { values } = parseArgs({
  options: {
    instances: { type: 'string' },
    steps: { type: 'string' },
    'step-duration': { type: 'string' },
    'check-interval': { type: 'string' },
    rate: { type: 'string' },
    'fault-at': { type: 'string' },
    'min-requests': { type: 'string' },
    'max-p95-ms': { type: 'string' },
    keep: { type: 'boolean' },
    report: { type: 'string' },
  },
});

const count = (text: string | undefined, fallback: number, name: string): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a number, got ${text}`);
  return value;
};

const options: DemoOptions = {
  instances: count(values.instances, DEMO_DEFAULTS.instances, 'instances'),
  steps:
    values.steps === undefined ? DEMO_DEFAULTS.steps : values.steps.split(',').map((step) => count(step, 0, 'steps')),
  stepDuration: values['step-duration'] ?? DEMO_DEFAULTS.stepDuration,
  checkInterval: values['check-interval'] ?? DEMO_DEFAULTS.checkInterval,
  ratePerSecond: count(values.rate, DEMO_DEFAULTS.ratePerSecond, 'rate'),
  faultAtPercent: count(values['fault-at'], DEMO_DEFAULTS.faultAtPercent, 'fault-at'),
  minRequests: count(values['min-requests'], DEMO_DEFAULTS.minRequests, 'min-requests'),
  maxP95Ms: values['max-p95-ms'] ?? DEMO_DEFAULTS.maxP95Ms,
  keep: values.keep ?? DEMO_DEFAULTS.keep,
};

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());

const report = await runDemo(options, (line) => process.stdout.write(`${line}\n`), controller.signal);
if (values.report !== undefined) await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
process.exitCode = demoSucceeded(report) ? 0 : 1;
