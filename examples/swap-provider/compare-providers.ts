/*
 * `node examples/dist/swap-provider/compare-providers.js [--json]`: the same orchestrator, unchanged,
 * started once per provider (only ORCHESTRATOR_PROVIDER differs), asked the same questions by the
 * same callers. Prints what each answered and whether they all agree; exit 0 when they do.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findPackageRoot, startOrchestrator, startSyncServer, syncFedEnv } from '../fleet/orchestrator-fleet.js';
import { ProcessGroup } from '../fleet/process-group.js';
import { PROVIDER_KINDS, type ProviderKind } from '../orchestrator/provider-kind.js';
import { askOrchestrator, CALLERS, type ProviderAnswers } from './provider-answers.js';

const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
const root = findPackageRoot();
const dir = await mkdtemp(join(tmpdir(), 'genesis-swap-'));
const flagFile = join(dir, 'feature_flags.json');
await copyFile(join(root, 'config', 'feature_flags.json'), flagFile);
const group = new ProcessGroup();

let answers: Partial<Record<ProviderKind, ProviderAnswers>> = {};
try {
  const server = await startSyncServer(group, root, flagFile, join(dir, 'sync-server.log'));
  const environments: Record<ProviderKind, Record<string, string>> = {
    'genesis-files': { ORCHESTRATOR_PROVIDER: 'genesis-files', ORCHESTRATOR_FLAG_FILE: flagFile },
    'genesis-sync': syncFedEnv('genesis-sync', server.port),
    'flagd-in-process': syncFedEnv('flagd-in-process', server.port),
    'in-memory': { ORCHESTRATOR_PROVIDER: 'in-memory', ORCHESTRATOR_FLAG_FILE: flagFile },
    'env-then-genesis': { ORCHESTRATOR_PROVIDER: 'env-then-genesis', ORCHESTRATOR_FLAG_FILE: flagFile },
  };
  const instances = await Promise.all(PROVIDER_KINDS.map((kind) => startOrchestrator(group, kind, environments[kind])));
  const asked = await Promise.all(instances.map((instance) => askOrchestrator(instance.url)));
  answers = Object.fromEntries(PROVIDER_KINDS.map((kind, index) => [kind, asked[index]]));
} finally {
  await group.stopAll(5000);
  await rm(dir, { recursive: true, force: true });
}

const texts = PROVIDER_KINDS.map((kind) => JSON.stringify(answers[kind] ?? null));
const identical = texts.every((text) => text === texts[0]);
if (values.json === true) {
  process.stdout.write(`${JSON.stringify({ identical, answers }, null, 2)}\n`);
} else {
  printTable(answers);
  process.stdout.write(`\n${identical ? 'identical' : 'DIFFERENT'} answers from ${PROVIDER_KINDS.join(', ')}\n`);
}
process.exitCode = identical ? 0 : 1;

function printTable(all: Partial<Record<ProviderKind, ProviderAnswers>>): void {
  const user = CALLERS[0]['x-user-id'];
  const keys = Object.keys(all[PROVIDER_KINDS[0]]?.flags[user] ?? {});
  const width = Math.max(...keys.map((key) => key.length));
  process.stdout.write(
    `${'flag (as alice)'.padEnd(width)}  ${PROVIDER_KINDS.map((kind) => kind.padEnd(17)).join('')}\n`,
  );
  for (const key of keys) {
    const cells = PROVIDER_KINDS.map((kind) => String(all[kind]?.flags[user]?.[key] ?? '-').padEnd(17));
    process.stdout.write(`${key.padEnd(width)}  ${cells.join('')}\n`);
  }
  process.stdout.write('\nrouting of the same tasks by the same callers:\n');
  for (const kind of PROVIDER_KINDS) {
    const decisions = all[kind]?.decisions ?? [];
    const modes = decisions.map(
      (decision) =>
        `${String(decision['mode'])}:${String((decision['dispatch'] as { pipeline?: string } | undefined)?.pipeline)}`,
    );
    const totalUsd = decisions.reduce((sum, decision) => sum + Number(decision['estimatedCostUsd'] ?? 0), 0);
    process.stdout.write(
      `  ${kind.padEnd(17)} ${decisions.length} tasks, ${[...new Set(modes)].join(' ')}, estimated total $${totalUsd.toFixed(6)}\n`,
    );
  }
}
