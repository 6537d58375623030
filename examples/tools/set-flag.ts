/*
 * `node examples/dist/tools/set-flag.js <file> <flag> on|off`: switches a Genesis flag on or off in
 * place, the way an operator's edit would, and atomically (a temp file renamed over the original), so
 * that every watcher sees one complete change. Everything else in the file is kept as it was.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';

const [file, flag, state] = process.argv.slice(2);
if (file === undefined || flag === undefined || (state !== 'on' && state !== 'off')) {
  process.stderr.write('usage: set-flag <file> <flag> on|off\n');
  process.exit(1);
}

const document = JSON.parse(await readFile(file, 'utf8')) as { flags?: Record<string, { enabled?: boolean }> };
const entry = document.flags?.[flag];
if (entry === undefined) {
  process.stderr.write(`Flag not found: ${flag} in ${file}\n`);
  process.exit(1);
}
entry.enabled = state === 'on';
const temp = `${file}.${process.pid}.tmp`;
await writeFile(temp, `${JSON.stringify(document, null, 2)}\n`);
await rename(temp, file);
process.stdout.write(`${flag} ${state} in ${file}\n`);
