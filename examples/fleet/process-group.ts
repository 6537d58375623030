import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/** How a started process ended. */
export interface ProcessExit {
  readonly name: string;
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StartOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Copy of everything the process prints; without it, output is only kept in memory. */
  readonly logFile?: string;
}

/** A process started by the group, with its output so far. */
export class GroupMember {
  #output = '';
  readonly exited: Promise<ProcessExit>;
  #running = true;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    log: WriteStream | undefined,
  ) {
    const collect = (chunk: Buffer): void => {
      this.#output += chunk.toString();
      log?.write(chunk);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        this.#running = false;
        log?.end();
        resolve({ name, pid: child.pid ?? -1, code, signal });
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.#running;
  }

  get output(): string {
    return this.#output;
  }

  /** The first match of `pattern` in the output, waiting for it; fails if the process ends first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(this.#output);
        if (match !== null) finish(() => resolve(match));
        return match !== null;
      };
      const onEnd = (): void => {
        if (!check())
          finish(() =>
            reject(new Error(`${this.name} exited before printing ${pattern}:\n${this.#output.slice(-2000)}`)),
          );
      };
      const timedOut = (): void =>
        finish(() =>
          reject(
            new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.#output.slice(-2000)}`),
          ),
        );
      const timer = setTimeout(timedOut, timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
        this.child.off('close', onEnd);
        settle();
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.once('close', onEnd);
      if (!this.#running) onEnd();
      else check();
    });
  }
}

/**
 * Every process the demo starts, so that all of them are stopped at the end, whatever happened:
 * SIGTERM first (each drains and exits 0), SIGKILL for any still running after the grace period.
 */
export class ProcessGroup {
  readonly #members: GroupMember[] = [];

  start(name: string, command: string, args: readonly string[], options: StartOptions = {}): GroupMember {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = options.logFile === undefined ? undefined : createWriteStream(options.logFile);
    const member = new GroupMember(name, child, log);
    this.#members.push(member);
    return member;
  }

  get members(): readonly GroupMember[] {
    return this.#members;
  }

  /** Sends `signal` to every member still running. */
  signalAll(signal: NodeJS.Signals): void {
    for (const member of this.#members) if (member.running) member.child.kill(signal);
  }

  /** Stops every member still running and resolves with how each one ended, in start order. */
  async stopAll(graceMs: number): Promise<ProcessExit[]> {
    this.signalAll('SIGTERM');
    const killer = setTimeout(() => this.signalAll('SIGKILL'), graceMs);
    try {
      return await Promise.all(this.#members.map((member) => member.exited));
    } finally {
      clearTimeout(killer);
    }
  }
}
