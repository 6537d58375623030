import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((text) => text.startsWith('model name'));
    return line === undefined ? 'unknown' : line.slice(line.indexOf(':') + 1).trim();
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
}

/** What the figures depend on: cores, CPU, Node, date, and how busy the machine was. */
export function describeMachine() {
  return {
    cores: availableParallelism(),
    cpu: cpuModel(),
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: loadavg()
      .map((value) => value.toFixed(2))
      .join(' '),
  };
}
