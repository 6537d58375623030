import { fork } from 'node:child_process';
import { Server, ServerCredentials, credentials } from '@grpc/grpc-js';
import { loadSyncProtocol } from '/work/main/dist/flagd/sync/sync-proto.js';
import { withSharedResponseBytes } from '/work/main/dist/flagd/sync/shared-response-bytes.js';
import { FlagSyncHandler } from '/work/main/dist/flagd/sync/flag-sync-handler.js';
import { SyncFlagState } from '/work/main/dist/flagd/sync/sync-flag-state.js';
import { adaptServerStream } from '/work/main/dist/flagd/sync/grpc-call-adapters.js';
import { readFileSync } from 'node:fs';
import { loadWireFlags } from '/work/main/dist/server/load-wire-flags.js';

if (process.argv[2] === 'client') {
  const { SyncClient } = loadSyncProtocol();
  const n = Number(process.argv[4]); let got = 0;
  for (let i = 0; i < n; i++) {
    const c = new SyncClient(`127.0.0.1:${process.argv[3]}`, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
    const call = c.SyncFlags({ providerId: 'x', selector: '' });
    call.on('data', () => { got++; }); call.on('error', () => {});
  }
  setInterval(() => process.send(got), 200);
  process.on('disconnect', () => process.exit(0));
} else {
  const shared = process.argv[2] === 'shared';
  const N = 300;
  const text = readFileSync('/work/main/config/feature_flags.json', 'utf8');
  const doc = JSON.parse(text); for (let i = 0; i < 700; i++) doc.flags['extra_flag_' + i] = { ...doc.flags.reward_learning_enabled, description: 'padding flag number ' + i };
  const variants = [true, false].map((en) => { doc.flags.reward_learning_enabled.enabled = en; const l = loadWireFlags(JSON.stringify(doc), 'f.json'); return l.value; });
  const state = new SyncFlagState(['f.json']);
  state.update('f.json', variants[0]);
  const handler = new FlagSyncHandler({ state, syncContext: { a: 1 } });
  const { syncService } = loadSyncProtocol();
  const server = new Server();
  server.addService(shared ? withSharedResponseBytes(syncService, 'SyncFlags') : syncService, { SyncFlags: (call) => handler.syncFlags(adaptServerStream(call)), FetchAllFlags: () => {}, GetMetadata: () => {} });
  const port = await new Promise((r) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => r(p)));
  const child = fork(new URL(import.meta.url).pathname, ['client', String(port), String(N)]);
  let got = 0; child.on('message', (m) => (got = m));
  while (got < N) await new Promise((r) => setTimeout(r, 100));
  const rounds = 60; let cpu = 0; let wall = 0;
  for (let i = 1; i <= rounds; i++) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    state.update('f.json', variants[i % 2]);
    wall += performance.now() - t0; const c = process.cpuUsage(c0); if (i > 10) cpu += (c.user + c.system) / 1000;
    while (got < N * (i + 1)) await new Promise((r) => setTimeout(r, 20));
  }
  console.log(shared ? 'shared' : 'per-stream', 'sync push loop CPU ms per push', (cpu / (rounds - 10) / N).toFixed(4), 'wall ms/round', (wall / rounds).toFixed(2));
  child.kill(); server.forceShutdown(); process.exit(0);
}
