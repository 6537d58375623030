import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFlagDocument, toFlagdDocument } from '../dist/index.js';

/** The flag the bench flips: a plain on/off Genesis flag, so its value is the same for every context. */
export const FLIPPED_FLAG_KEY = 'reward_learning_enabled';

const SHIPPED_CONFIG = new URL('../config/feature_flags.json', import.meta.url);

/**
 * The shipped config (Genesis format) in a temporary directory, served by the sync server, and its
 * flagd translation next to it for the official provider's file mode (which reads flagd only). Both
 * hold the same flags; each `write(enabled)` rewrites its file in place, only the flipped flag changed.
 */
export async function createSyncFixture() {
  const genesis = JSON.parse(await readFile(SHIPPED_CONFIG, 'utf8'));
  const directory = await mkdtemp(join(tmpdir(), 'genesis-bench-sync-'));
  const genesisPath = join(directory, 'feature_flags.json');
  const flagdPath = join(directory, 'flags.flagd.json');
  const genesisTexts = new Map([true, false].map((enabled) => [enabled, genesisText(genesis, enabled)]));
  const flagdTexts = new Map([true, false].map((enabled) => [enabled, flagdText(genesisTexts.get(enabled))]));
  const initial = initialValue(genesis);
  await writeFile(genesisPath, genesisTexts.get(initial));
  await writeFile(flagdPath, flagdTexts.get(initial));
  return {
    genesisPath,
    flagdPath,
    /** The size of what the server sends: the flags as compact JSON, without the set metadata. */
    payloadBytes: Buffer.byteLength(JSON.stringify({ flags: JSON.parse(flagdTexts.get(initial)).flags })),
    flagCount: Object.keys(genesis.flags).length,
    /** Each file's current value of the flipped flag, and the in-place rewrite that flips it. */
    genesis: { value: initial, write: (enabled) => writeFile(genesisPath, genesisTexts.get(enabled)) },
    flagd: { value: initial, write: (enabled) => writeFile(flagdPath, flagdTexts.get(enabled)) },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}

function initialValue(genesis) {
  const flag = genesis.flags[FLIPPED_FLAG_KEY];
  if (typeof flag?.enabled !== 'boolean')
    throw new Error(`config/feature_flags.json has no boolean flag ${FLIPPED_FLAG_KEY}`);
  return flag.enabled;
}

function genesisText(genesis, enabled) {
  const flags = { ...genesis.flags, [FLIPPED_FLAG_KEY]: { ...genesis.flags[FLIPPED_FLAG_KEY], enabled } };
  return JSON.stringify({ ...genesis, flags }, null, 2);
}

function flagdText(genesisText) {
  const loaded = loadFlagDocument(genesisText, 'feature_flags.json', { strict: false });
  if (!loaded.ok) throw new Error(`The shipped config does not load: ${loaded.error}`);
  return JSON.stringify(toFlagdDocument(loaded.value), null, 2);
}
