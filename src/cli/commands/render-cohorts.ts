import type { CohortFigures, CohortSummary } from '../../deploy/analysis/cohort-figures.js';
import { formatP } from '../../deploy/analysis/cohort-judgement.js';
import { formatPercent } from '../../deploy/format-percent.js';

/**
 * A check's per-cohort figures on one line: exposures, error rate with its 95% interval and p95 of
 * each cohort, then the always-valid p-values and the observed split.
 * `treatment (on): 512 req, errors 8% [5.93–10.71%], p95 9.6ms · control: 9488 req, … · p errors 1.2e-6, …`
 */
export function renderCohorts(figures: CohortFigures): string {
  const control = figures.controlFrom === 'stage' ? 'control' : 'control (stages before)';
  const tests = [
    `p errors ${figures.errorPValue === null ? '–' : formatP(figures.errorPValue)}`,
    `p latency ${figures.latencyPValue === null ? '–' : formatP(figures.latencyPValue)}`,
    ...(figures.sampleRatioPValue === null || figures.observedShare === null
      ? []
      : [
          `split ${formatPercent(figures.observedShare)} of ${formatPercent(figures.expectedShare)} expected (p ${formatP(figures.sampleRatioPValue)})`,
        ]),
  ];
  return `treatment: ${renderCohort(figures.treatment)} · ${control}: ${renderCohort(figures.control)} · ${tests.join(', ')}`;
}

function renderCohort(cohort: CohortSummary): string {
  const interval = cohort.errorRateInterval;
  const errors =
    cohort.errorRate === null || interval === null
      ? 'errors –'
      : `errors ${formatPercent(cohort.errorRate)} [${formatPercent(interval.low)}–${formatPercent(interval.high)}]`;
  const p95 = cohort.p95Ms === null ? 'p95 –' : `p95 ${Number(cohort.p95Ms.toFixed(1))}ms`;
  return `${cohort.requests} req, ${errors}, ${p95}`;
}
