import { formatInstant } from '../genesis/iso-instant.js';
import type { PlanRow } from '../genesis/plan-exposure.js';
import { formatWeight, TOTAL_WEIGHT } from '../genesis/rollout-ramp.js';
import { renderTable } from './render-table.js';

const BAR_WIDTH = 40;

/** The timeline as a table with a bar per row, for a terminal; `notes` come first, one per line. */
export function renderPlanChart(notes: readonly string[], rows: readonly PlanRow[]): string {
  const cells = rows.map((row) => [
    formatInstant(row.atSeconds),
    formatWeight(row.weight),
    String(row.expectedOn),
    String(row.sampledOn),
    bar(row.weight),
  ]);
  const table = renderTable(
    cells,
    ['AT', 'EXPOSURE', 'EXPECTED ON', 'SAMPLED ON', ''],
    ['left', 'right', 'right', 'right', 'left'],
  );
  return `${notes.join('\n')}\n\n${table}`;
}

function bar(weight: number): string {
  const filled = Math.round((weight / TOTAL_WEIGHT) * BAR_WIDTH);
  return `|${'█'.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}|`;
}
