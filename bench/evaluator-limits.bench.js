// Reproduces the figures of issue 10 items 1, 5 and 6 in docs/RELIABILITY.md: the slowest of many
// random evaluations over contexts full of scope-climb counts, a Genesis canary list of 100,000 users,
// and how long an 8 MB JSON file of a million levels takes to be refused. `--quick` runs less.
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { compileFlag } from '../dist/flagd/compile-flag.js';
import { evaluateFlag } from '../dist/flagd/evaluate-flag.js';
import { FlagStore } from '../dist/flagd/flag-store.js';
import { FlagLoader } from '../dist/loading/flag-loader.js';
import { loadFlagDocument } from '../dist/loading/load-flag-document.js';
import { median, percentile } from './harness/stats.js';
import { describeMachine } from './report/machine.js';

const QUICK = process.argv.includes('--quick');
const env = { nowSeconds: () => 1_700_000_000 };

// flagd's operators and json-logic-engine's extras; the extras must all be refused at load.
const OPERATORS = ['if', '==', '!=', '<', '>', '!', 'and', 'or', 'in', 'cat', 'substr', '+', '-', '*', '/', '%'];
const ITERATORS = ['map', 'filter', 'reduce', 'all', 'some', 'none', 'merge', 'min', 'max', 'missing'];
const EXTRAS = ['val', 'exists', '??', '?:', 'preserve', 'keys', 'length', 'get', 'pipe', 'eachKey', 'try'];
const PATHS = ['plan', 'user.id', 'targetingKey', '$flagd.timestamp', '', '../plan', '../../plan'];
const CLIMBS = [1e300, 1e9, 2 ** 31, 1_700_000_000, [[1e300]], [[1e9]], [1e300]];

const scalar = fc.oneof(fc.constantFrom(...CLIMBS), fc.integer(), fc.string({ maxLength: 6 }), fc.boolean());
const { rule } = fc.letrec((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.constantFrom(...PATHS).map((path) => ({ var: path })),
    fc
      .tuple(fc.constantFrom(...OPERATORS, ...ITERATORS, ...EXTRAS), fc.array(tie('rule'), { maxLength: 3 }))
      .map(([operator, args]) => ({ [operator]: args })),
  ),
}));
const context = fc.dictionary(
  fc.constantFrom('plan', 'user', 'targetingKey', 'x'),
  fc.oneof(
    scalar,
    fc.array(fc.oneof(...CLIMBS.map((c) => fc.constant(c))), { maxLength: 20 }),
    fc.jsonValue({ maxDepth: 3 }),
  ),
  { maxKeys: 4 },
);

/** Item 1: every evaluation timed; the slowest, the 99.9th percentile, and whether every extra was refused. */
function fuzzEvaluations(runs) {
  const samples = [];
  let extrasAccepted = 0;
  const cases = fc.sample(fc.tuple(rule, fc.array(context, { minLength: 1, maxLength: 3 })), {
    numRuns: runs,
    seed: 10,
  });
  for (const [targeting, contexts] of cases) {
    const definition = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting };
    const flag = compileFlag({ key: 'fuzz', definition });
    if (EXTRAS.some((extra) => JSON.stringify(targeting).includes(`"${extra}":`)) && flag.parseError === undefined)
      extrasAccepted++;
    for (const evaluationContext of contexts) {
      const started = performance.now();
      evaluateFlag(flag, 'fuzz', 'boolean', false, evaluationContext, env);
      samples.push(performance.now() - started);
    }
  }
  return {
    evaluations: samples.length,
    maxMs: Math.max(...samples),
    p999Ms: percentile(samples, 99.9),
    extrasAccepted,
  };
}

/** Item 5: a Genesis canary list of 100,000 users, loaded and evaluated for the last user. */
function canaryList() {
  const users = Array.from({ length: 100_000 }, (_, index) => `user-${index}`);
  const text = JSON.stringify({
    flags: { canary: { enabled: true, rollout_strategy: 'canary', canary_users: users } },
  });
  const started = performance.now();
  const outcome = loadFlagDocument(text, 'flags.json', { strict: false });
  const store = new FlagStore();
  store.replace(outcome.value);
  const loadMs = performance.now() - started;
  const last = store.evaluate('canary', 'boolean', false, { targetingKey: 'user-99999' }, env);
  const rounds = 200_000;
  const evaluating = performance.now();
  for (let i = 0; i < rounds; i++)
    store.evaluate('canary', 'boolean', false, { targetingKey: `user-${i % 100_000}` }, env);
  const nsPerEvaluation = ((performance.now() - evaluating) * 1e6) / rounds;
  return { loadMs, lastUser: `${last.value} ${last.reason}`, nsPerEvaluation };
}

/** Item 6: an 8 MB file of a million levels, deep at the start and deep only after 7 MB of flags. */
function deepFile(rounds) {
  const depth = 1_000_000;
  const deep = `${'{"!":['.repeat(depth)}true${']}'.repeat(depth)}`;
  const early = `{"flags": {"deep": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on", "targeting": ${deep}}}}`;
  const flags = Array.from(
    { length: 90_000 },
    (_, index) => `"f${index}": {"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}`,
  );
  const late = `{"flags": {${flags.join(', ')}}, "metadata": {"x": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
  const time = (text) => {
    const samples = [];
    let error = '';
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      const outcome = new FlagLoader(['deep.json'], { strict: false }).load('deep.json', { text });
      samples.push(performance.now() - started);
      error = outcome.ok ? 'accepted!' : outcome.error;
    }
    return { megabytes: (text.length / 1e6).toFixed(1), medianMs: median(samples), maxMs: Math.max(...samples), error };
  };
  return { early: time(early), late: time(late) };
}

const machine = describeMachine();
console.log(
  `${machine.date} · ${machine.cores} cores · ${machine.cpu} · Node ${machine.node} · load ${machine.loadAverage}`,
);
console.log('item 1, random evaluations:', fuzzEvaluations(QUICK ? 2_000 : 20_000));
console.log('item 5, canary list of 100,000:', canaryList());
console.log('item 6, deep file refused:', deepFile(QUICK ? 2 : 7));
