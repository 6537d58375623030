/** `0.0123` → `1.23%`: rates in verdicts, cohort tables and the rendered plan read the same. */
export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
