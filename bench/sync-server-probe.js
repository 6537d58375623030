/**
 * Preloaded into the server process (`node --expose-gc --import bench/sync-server-probe.js
 * dist/cli/main.js serve ...`) so the bench can read the heap of the real CLI: on a `memory` message
 * over the IPC channel it collects garbage and answers with `process.memoryUsage()`. The channel is
 * unreferenced, so it never keeps the server alive after SIGTERM; when the bench itself dies, the
 * channel closes and the server is sent SIGTERM, so no server outlives its bench.
 */
if (process.send !== undefined) {
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    globalThis.gc?.();
    process.send({ type: 'memory', ...process.memoryUsage() });
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref();
}
