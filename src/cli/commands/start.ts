import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { FlagStore } from '../../flagd/flag-store.js';
import { FlagLoader } from '../../loading/flag-loader.js';
import { mergeRolloutLayerText, rolloutLayerPath } from '../../loading/rollout-layer.js';
import { renderTable } from '../render-table.js';
import { resolveInOwnType } from '../../flagd/resolve-in-own-type.js';
import {
  addServerOptions,
  listeningLine,
  serveFromCommandLine,
  serveOptionsOf,
  type ServerFlags,
} from './server-options.js';

/** The config shipped with the package, found from this module so it works from any directory. */
const SHIPPED_CONFIG = fileURLToPath(new URL('../../../config/feature_flags.json', import.meta.url));

/**
 * Registers `start`: flagd's command, so a flagd command line (`start --port 8013 --uri file:…`) runs
 * unchanged. With `--uri` it serves those files; without, the shipped config, printing every flag's answer.
 */
export function registerStartCommand(program: Command): void {
  addServerOptions(
    program
      .command('start')
      .description(
        'serve --uri files as flagd start does; without --uri, serve the shipped config/feature_flags.json and print every flag evaluated with an empty context (what `npm start` runs)',
      ),
  ).action(async (flags: ServerFlags) => {
    const shipped = flags.uri === undefined;
    // Named relative to the working directory, as a user would type it: the name shows in /readyz, in
    // metric labels and in source selectors, where an absolute path tells more than it should.
    process.exitCode = await serveFromCommandLine(
      serveOptionsOf(flags, shipped ? [relative(process.cwd(), SHIPPED_CONFIG)] : undefined),
      (server, config) => {
        const table = shipped ? `\n${flagTable(SHIPPED_CONFIG)}` : '';
        process.stdout.write(`${listeningLine(server, config)}\n${table}\nPress Ctrl+C to stop.\n`);
      },
      flags.controller !== false,
    );
  });
}

/**
 * Every flag of the file evaluated with an empty context, as an aligned text table. STATE is what the
 * file says: a Genesis flag's `enabled` (`enabled`/`disabled`; its translation is always flagd-ENABLED,
 * answering `off` when disabled), a flagd flag's `state`.
 */
export function flagTable(path: string, nowMs: number = Date.now()): string {
  const loaded = new FlagLoader([path], { strict: false }).load(path, { text: readLayeredText(path) });
  if (!loaded.ok) return `${loaded.error}\n`;
  const { set, genesis } = loaded.value.layer;
  const store = new FlagStore();
  store.replace(set);
  const env = { nowSeconds: () => Math.floor(nowMs / 1000) };
  const rows = [...set.flags].map(([key, entry]) => {
    const result = resolveInOwnType(store, set, key, {}, env);
    const enabled = genesis?.asWritten.flags[key]?.enabled;
    const state = enabled === undefined ? entry.definition.state : enabled ? 'enabled' : 'disabled';
    return [key, state, result.variant ?? '-', JSON.stringify(result.value), result.reason ?? '-'];
  });
  return renderTable(rows, ['KEY', 'STATE', 'VARIANT', 'VALUE', 'REASON']);
}

/** The file as it is served: with its rollout layer, if a deployment wrote one. */
function readLayeredText(path: string): string {
  const layer = rolloutLayerPath(path);
  return mergeRolloutLayerText(
    readFileSync(path, 'utf8'),
    existsSync(layer) ? readFileSync(layer, 'utf8') : undefined,
    path,
  );
}
