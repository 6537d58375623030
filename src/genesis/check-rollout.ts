import type { GenesisFlag, GenesisProblem, PathSegment, RampStep } from './genesis-document.js';
import { parseIsoInstant } from './iso-instant.js';

type Report = (field: readonly PathSegment[], message: string) => void;

/** Percentages, dates and the fields each rollout strategy needs, for one flag. */
export function checkRollout(key: string, flag: GenesisFlag): GenesisProblem[] {
  const problems: GenesisProblem[] = [];
  const report: Report = (field, message) => problems.push({ path: ['flags', key, ...field], message });
  checkValues(flag, report);
  switch (flag.rollout_strategy ?? 'all_at_once') {
    case 'percentage':
      if (flag.rollout_percentage === undefined)
        report(['rollout_percentage'], 'is required for rollout_strategy "percentage"');
      break;
    case 'canary':
      if (!(flag.canary_users?.length ?? 0) && !(flag.canary_regions?.length ?? 0)) {
        report(['canary_users'], 'a canary rollout needs canary_users or canary_regions (non-empty)');
      }
      break;
    case 'progressive':
      checkProgressive(flag, report);
      break;
    case 'all_at_once':
      break;
  }
  return problems;
}

function checkValues(flag: GenesisFlag, report: Report): void {
  for (const field of ['rollout_percentage', 'initial_percentage', 'end_percentage'] as const) {
    checkPercentage(flag[field], [field], report);
  }
  for (const field of ['start_date', 'end_date'] as const) checkDate(flag[field], [field], report);
  if (Array.isArray(flag.steps)) {
    flag.steps.forEach((step, index) => {
      checkPercentage(step.percentage, ['steps', index, 'percentage'], report);
      checkDate(step.at, ['steps', index, 'at'], report);
    });
  }
  const start = flag.start_date === undefined ? undefined : parseIsoInstant(flag.start_date);
  const end = flag.end_date === undefined ? undefined : parseIsoInstant(flag.end_date);
  if (start !== undefined && end !== undefined && end <= start) report(['end_date'], 'must be after start_date');
}

function checkPercentage(value: number | undefined, field: readonly PathSegment[], report: Report): void {
  if (value === undefined) return;
  if (!(value >= 0 && value <= 100)) report(field, 'must be between 0 and 100');
  else if (Math.abs(value * 100 - Math.round(value * 100)) > 1e-6) report(field, 'must be a multiple of 0.01');
}

function checkDate(value: string | undefined, field: readonly PathSegment[], report: Report): void {
  if (value !== undefined && parseIsoInstant(value) === undefined) {
    report(field, 'must be an ISO 8601 date (2025-10-18) or date-time with a zone (2025-10-18T09:00:00Z)');
  }
}

function checkProgressive(flag: GenesisFlag, report: Report): void {
  if (typeof flag.steps === 'string') {
    if (flag.start_date === undefined)
      report(['start_date'], `is required: the "${flag.steps}" steps count days from it`);
    if (flag.end_date !== undefined) report(['end_date'], 'cannot be combined with steps: the last step ends the ramp');
  } else if (flag.steps !== undefined) {
    for (const field of ['start_date', 'end_date'] as const) {
      if (flag[field] !== undefined)
        report([field], 'cannot be combined with explicit steps: each step has its own date');
    }
    checkStepOrder(flag.steps, report);
  } else {
    for (const field of ['start_date', 'end_date'] as const) {
      if (flag[field] === undefined) report([field], 'is required for a progressive rollout (or give steps)');
    }
    if ((flag.end_percentage ?? 100) < (flag.initial_percentage ?? 0)) {
      report(['end_percentage'], 'must not be below initial_percentage: exposure never goes down');
    }
  }
}

function checkStepOrder(steps: readonly RampStep[], report: Report): void {
  if (steps.length === 0) report(['steps'], 'must list at least one step');
  for (let index = 1; index < steps.length; index += 1) {
    const [before, step] = [steps[index - 1], steps[index]];
    if (before === undefined || step === undefined) continue;
    const [beforeAt, at] = [parseIsoInstant(before.at), parseIsoInstant(step.at)];
    if (beforeAt !== undefined && at !== undefined && at <= beforeAt) {
      report(['steps', index, 'at'], `must be later than steps[${index - 1}].at`);
    }
    if (step.percentage < before.percentage) {
      report(
        ['steps', index, 'percentage'],
        `must not be below steps[${index - 1}].percentage: exposure never goes down`,
      );
    }
  }
}
