import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc times (USER_HZ), which is 100 on every architecture node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined where there is
 * no /proc. On a shared machine, requests per CPU-second of the server process measure its cost per
 * request whatever share of a core other processes leave it, which requests per wall-clock second do not.
 */
export function processCpuSeconds(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
