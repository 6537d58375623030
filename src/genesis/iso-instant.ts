const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2})))?$/;

/**
 * Parses an ISO 8601 date (midnight UTC) or date-time with a zone into Unix seconds, rounded up:
 * `$flagd.timestamp` is whole seconds, so `timestamp >= result` holds exactly from the instant on.
 * A date-time without a zone is refused rather than read in the machine's local time.
 */
export function parseIsoInstant(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return undefined;
  const [
    ,
    year,
    month,
    day,
    hour = '0',
    minute = '0',
    second = '0',
    fraction = '',
    ,
    sign,
    offsetHours,
    offsetMinutes,
  ] = match;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  const ms = Date.UTC(...fields);
  const check = new Date(ms);
  const valid =
    check.getUTCFullYear() === fields[0] &&
    check.getUTCMonth() === fields[1] &&
    check.getUTCDate() === fields[2] &&
    fields[3] < 24 &&
    fields[4] < 60 &&
    fields[5] < 60 &&
    Number(offsetHours ?? 0) < 24 &&
    Number(offsetMinutes ?? 0) < 60;
  if (!valid) return undefined;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(offsetHours ?? 0) * 60 + Number(offsetMinutes ?? 0)) * 60_000;
  const fractionMs = fraction === '' ? 0 : Number(fraction) * 1000;
  return Math.ceil((ms - offsetMs + fractionMs) / 1000);
}

/** Unix seconds as an ISO 8601 instant in UTC, without milliseconds: the form `parseIsoInstant` reads. */
export function formatInstant(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
