/**
 * Calls `onOrphaned` once, when the process that started this one has exited. `npx genesis-flags serve`
 * runs the server as a child of npx, and a shell's `kill %1` signals npx alone: npx exits without
 * passing the signal on, and the server, re-parented to init (or a subreaper), would keep serving on
 * its ports. Node has no `prctl(PR_SET_PDEATHSIG)`, so the parent pid is read every `intervalMs`: once
 * it differs from the one at start, the parent is gone. A process started by init (pid 1) or with no
 * parent (pid 0, as pid 1 of a container) has no parent to lose and is not watched. Returns a stop function.
 */
export function watchParentProcess(
  onOrphaned: (parentPid: number) => void,
  intervalMs = 500,
  readParentPid: () => number = () => process.ppid,
): () => void {
  const parentPid = readParentPid();
  if (parentPid <= 1) return () => undefined;
  const timer = setInterval(() => {
    if (readParentPid() === parentPid) return;
    clearInterval(timer);
    onOrphaned(parentPid);
  }, intervalMs);
  // The watch alone never keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
