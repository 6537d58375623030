/*
 * `npm run demo`: the sync server, three orchestrators fed by it, load, and a rollout of
 * phase_4_deployment whose new path fails a few of its users' requests, too few to move the global
 * error rate past its limit: the cohort gate catches it at the first stage and rolls it back.
 * `--help` lists the options.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS, demoSucceeded, runDemo, type DemoOptions } from './demo.js';

const USAGE = `Usage: npm run demo -- [options]

The sync server, three orchestrators fed by it, load, and a rollout of phase_4_deployment whose new
path fails a share of its users' requests: too few to move the global error rate past its limit, but
the cohort gate (treatment against control) catches it at the first stage and rolls it back.

Options:
  --instances <n>         orchestrator instances (default: ${DEMO_DEFAULTS.instances})
  --steps <list>          rollout stages in percent (default: ${DEMO_DEFAULTS.steps.join(',')})
  --step-duration <d>     time per stage (default: ${DEMO_DEFAULTS.stepDuration})
  --check-interval <d>    time between health checks (default: ${DEMO_DEFAULTS.checkInterval})
  --rate <n>              requests per second over all instances (default: ${DEMO_DEFAULTS.ratePerSecond})
  --fault-at <percent>    the stage at which the new path starts failing (default: ${DEMO_DEFAULTS.faultAtPercent})
  --fault-rate <share>    share of the new path's requests that fail, 0-1 (default: ${DEMO_DEFAULTS.faultRate})
  --min-requests <n>      requests a check needs to judge (default: ${DEMO_DEFAULTS.minRequests})
  --max-p95-ms <ms>       p95 latency limit (default: ${DEMO_DEFAULTS.maxP95Ms})
  --keep                  leave the instances running at the end
  --report <file>         write the run as JSON
  -h, --help              show this help
`;

/** A bad command line is one line on stderr and exit code 1, as for the genesis-flags CLI: never a stack trace. */
function usageError(message: string): never {
  process.stderr.write(`error: ${message} (see --help)\n`);
  process.exit(1);
}

const parsed = (() => {
  try {
    return parseArgs({
      options: {
        instances: { type: 'string' },
        steps: { type: 'string' },
        'step-duration': { type: 'string' },
        'check-interval': { type: 'string' },
        rate: { type: 'string' },
        'fault-at': { type: 'string' },
        'fault-rate': { type: 'string' },
        'min-requests': { type: 'string' },
        'max-p95-ms': { type: 'string' },
        keep: { type: 'boolean' },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
})();
const { values } = parsed;
if (values.help === true) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const count = (text: string | undefined, fallback: number, name: string): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0)
    usageError(`--${name}: expected a non-negative number, got ${JSON.stringify(text)}`);
  return value;
};

const share = (text: string | undefined, fallback: number, name: string): number => {
  const value = count(text, fallback, name);
  if (value > 1) usageError(`--${name}: expected a share between 0 and 1, got ${JSON.stringify(text)}`);
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
  faultRate: share(values['fault-rate'], DEMO_DEFAULTS.faultRate, 'fault-rate'),
  minRequests: count(values['min-requests'], DEMO_DEFAULTS.minRequests, 'min-requests'),
  maxP95Ms: values['max-p95-ms'] ?? DEMO_DEFAULTS.maxP95Ms,
  keep: values.keep ?? DEMO_DEFAULTS.keep,
};

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());

const report = await runDemo(options, (line) => process.stdout.write(`${line}\n`), controller.signal);
if (values.report !== undefined) await writeFile(values.report, `${JSON.stringify(report, null, 2)}\n`);
process.exitCode = demoSucceeded(report) ? 0 : 1;
