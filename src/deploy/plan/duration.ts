import type { Result } from '../../errors/result.js';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type DurationUnit = keyof typeof UNIT_MS;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Parses a duration with units, such as `24h`, `60s`, `500ms`, `1.5h` or `1h30m`, into
 * milliseconds. A bare number is refused: a duration without a unit is ambiguous.
 */
export function parseDuration(text: string): Result<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'empty duration' };
  let totalMs = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (match === null) {
      const hint = /^\d+(\.\d+)?$/.test(trimmed)
        ? ' (add a unit: ms, s, m, h or d)'
        : ' (expected a number and a unit, ms, s, m, h or d, such as 30s, 24h or 1h30m)';
      return { ok: false, error: `invalid duration "${text}" at "${trimmed.slice(start)}"${hint}` };
    }
    totalMs += Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
  }
  return { ok: true, value: Math.round(totalMs) };
}

/** Formats milliseconds compactly with the largest unit and the next one: `1d 2h`, `5m 30s`, `1.5s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 10_000) return `${Number((ms / 1_000).toFixed(1))}s`;
  const units = ['d', 'h', 'm', 's'] as const;
  let rest = Math.round(ms / 1_000) * 1_000;
  const counts = units.map((unit) => {
    const count = Math.floor(rest / UNIT_MS[unit]);
    rest -= count * UNIT_MS[unit];
    return count;
  });
  const first = counts.findIndex((count) => count > 0);
  const shown = [first, first + 1].filter((index) => index < units.length && (counts[index] ?? 0) > 0);
  return shown.map((index) => `${counts[index]}${units[index]}`).join(' ');
}
