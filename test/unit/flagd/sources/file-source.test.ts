import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DirectoryListener, WatchDirectory } from '../../../../src/flagd/sources/directory-watcher.js';
import { FileSource } from '../../../../src/flagd/sources/file-source.js';
import type { Timers } from '../../../../src/system/timers.js';
import { listenerWith } from '../../../fixtures/source-listener.js';

const FILE = 'config/flags.json';
const ABSOLUTE = resolve(FILE);
const DIRECTORY = resolve('config');

/** A clock-free scheduler: callbacks run only when the test says so. */
class ManualTimers implements Timers {
  readonly pending = new Set<{ callback: () => void; delayMs: number }>();
  schedule(callback: () => void, delayMs: number): () => void {
    const entry = { callback, delayMs };
    this.pending.add(entry);
    return () => this.pending.delete(entry);
  }
  /** Runs every due callback, then lets the chained reads settle. */
  async flush(): Promise<void> {
    const due = [...this.pending];
    this.pending.clear();
    for (const entry of due) entry.callback();
    await new Promise((done) => setImmediate(done));
  }
}

function enoent(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
}

const SETTLE_MS = 400;

function harness(initial: string | undefined, file = FILE) {
  const files = new Map<string, string>();
  if (initial !== undefined) files.set(resolve(file), initial);
  const payloads: string[] = [];
  const errors: Error[] = [];
  const reads: string[] = [];
  const timers = new ManualTimers();
  let listener: DirectoryListener | undefined;
  let watchedDirectory: string | undefined;
  let closed = 0;
  const watchDirectory: WatchDirectory = async (directory, events) => {
    watchedDirectory = directory;
    listener = events;
    return { close: async () => void closed++ };
  };
  const fileReader = {
    readFile: async (path: string) => {
      reads.push(path);
      const text = files.get(path);
      if (text === undefined) throw enoent();
      return text;
    },
  };
  const source = new FileSource(
    { path: file, debounceMs: 25, settleMs: SETTLE_MS, fileReader, watchDirectory, timers },
    listenerWith({
      payload: (text) => void payloads.push(text),
      failed: (error) => void errors.push(error),
    }),
  );
  return {
    source,
    files,
    payloads,
    errors,
    reads,
    timers,
    emit: (path: string | undefined) => listener?.onEvent(path),
    failWatch: (error: Error) => listener?.onError(error),
    watched: () => watchedDirectory,
    closed: () => closed,
  };
}

describe('FileSource', () => {
  it('delivers the file content before start resolves and watches the file directory', async () => {
    const h = harness('{"flags":{}}');
    await h.source.start();
    expect(h.payloads).toEqual(['{"flags":{}}']);
    expect(h.watched()).toBe(DIRECTORY);
  });

  it('rejects start with "File not found: <path>" naming the path as given, keeping the cause', async () => {
    const h = harness(undefined);
    const failure = await h.source.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(`File not found: ${FILE}`);
    expect(((failure as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(h.watched()).toBeUndefined();
  });

  it('re-reads once after a burst of events, using the configured debounce', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.reads.length = 0;
    h.files.set(ABSOLUTE, 'v2');
    h.emit(ABSOLUTE);
    h.emit(ABSOLUTE);
    h.emit(ABSOLUTE);
    expect(h.timers.pending.size).toBe(1);
    expect([...h.timers.pending][0]?.delayMs).toBe(25);
    await h.timers.flush();
    expect(h.reads).toEqual([ABSOLUTE]);
    expect(h.payloads).toEqual(['v1', 'v2']);
  });

  it('delivers nothing when the content is unchanged', async () => {
    const h = harness('same');
    await h.source.start();
    h.emit(ABSOLUTE);
    await h.timers.flush();
    h.emit(ABSOLUTE);
    await h.timers.flush();
    expect(h.payloads).toEqual(['same']);
  });

  it('reacts to ConfigMap-style ..data entries and ignores unrelated files', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.emit(resolve('config/other.json'));
    expect(h.timers.pending.size).toBe(0);
    h.files.set(ABSOLUTE, 'v2');
    h.emit(resolve('config/..data'));
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1', 'v2']);
  });

  it('re-reads on an event that names no entry, since it may concern the file', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.files.set(ABSOLUTE, 'v2');
    h.emit(undefined);
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1', 'v2']);
  });

  it('reports a vanished file once, then delivers the same content again when it returns', async () => {
    const h = harness('v1');
    await h.source.start();
    h.files.delete(ABSOLUTE);
    h.emit(ABSOLUTE);
    await h.timers.flush();
    await h.timers.flush();
    h.emit(ABSOLUTE);
    await h.timers.flush();
    await h.timers.flush();
    expect(h.errors.map((error) => error.message)).toEqual([`File not found: ${FILE}`]);
    h.files.set(ABSOLUTE, 'v1');
    h.emit(ABSOLUTE);
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1', 'v1']);
  });

  it('reports a file found missing after a change only when it is still missing after the settle time', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.files.delete(ABSOLUTE);
    h.emit(ABSOLUTE);
    await h.timers.flush();
    expect(h.errors).toEqual([]);
    expect([...h.timers.pending].map((entry) => entry.delayMs)).toEqual([SETTLE_MS]);
    await h.timers.flush();
    expect(h.errors.map((error) => error.message)).toEqual([`File not found: ${FILE}`]);
  });

  it('delivers a file removed and created again without reporting it missing in between', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.files.delete(ABSOLUTE);
    h.emit(ABSOLUTE);
    await h.timers.flush();
    h.files.set(ABSOLUTE, 'v2');
    h.emit(ABSOLUTE);
    expect([...h.timers.pending].map((entry) => entry.delayMs)).toEqual([25]);
    await h.timers.flush();
    expect(h.errors).toEqual([]);
    expect(h.payloads).toEqual(['v1', 'v2']);
  });

  it('does not deliver a file truncated for rewriting, but the content written next', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.files.set(ABSOLUTE, '');
    h.emit(ABSOLUTE);
    await h.timers.flush();
    h.files.set(ABSOLUTE, 'v2');
    h.emit(ABSOLUTE);
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1', 'v2']);
    expect(h.timers.pending.size).toBe(0);
  });

  it('delivers a file that is still empty after the settle time', async () => {
    const h = harness('v1');
    await h.source.start();
    await h.timers.flush();
    h.files.set(ABSOLUTE, '');
    h.emit(ABSOLUTE);
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1']);
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1', '']);
  });

  it('reports a throwing payload handler through failed instead of rejecting', async () => {
    const errors: Error[] = [];
    const watchDirectory: WatchDirectory = async () => ({ close: async () => undefined });
    const source = new FileSource(
      {
        path: FILE,
        debounceMs: 0,
        fileReader: { readFile: async () => 'x' },
        watchDirectory,
        timers: new ManualTimers(),
      },
      listenerWith({
        payload: () => {
          throw new Error('boom');
        },
        failed: (error) => void errors.push(error),
      }),
    );
    await source.start();
    expect(errors.map((error) => error.message)).toEqual([`Handling ${FILE} failed`]);
    expect((errors[0]?.cause as Error).message).toBe('boom');
  });

  it('reports a watcher failure naming the file', async () => {
    const h = harness('v1');
    await h.source.start();
    h.failWatch(new Error('EMFILE'));
    expect(h.errors.map((error) => error.message)).toEqual([`Watching ${FILE} failed: EMFILE`]);
  });

  it('stops watching, cancels a pending reload and reads nothing more', async () => {
    const h = harness('v1');
    await h.source.start();
    h.files.set(ABSOLUTE, 'v2');
    h.emit(ABSOLUTE);
    await h.source.stop();
    expect(h.closed()).toBe(1);
    expect(h.timers.pending.size).toBe(0);
    h.emit(ABSOLUTE);
    await h.timers.flush();
    expect(h.payloads).toEqual(['v1']);
  });
});

describe('FileSource over a YAML file', () => {
  const YAML_FILE = 'config/flags.yaml';
  const YAML_ABSOLUTE = resolve(YAML_FILE);

  it('delivers a change only once a read settleMs later finds the same text', async () => {
    const h = harness('a: 1\n', YAML_FILE);
    await h.source.start();
    await h.timers.flush();
    h.files.set(YAML_ABSOLUTE, 'a: 1\nb: 2\n');
    h.emit(YAML_ABSOLUTE);
    await h.timers.flush(); // the debounced read: held
    expect(h.payloads).toEqual(['a: 1\n']);
    expect([...h.timers.pending].map((entry) => entry.delayMs)).toEqual([SETTLE_MS]);
    await h.timers.flush(); // the same text settleMs later: delivered
    expect(h.payloads).toEqual(['a: 1\n', 'a: 1\nb: 2\n']);
    expect(h.timers.pending.size).toBe(0);
  });

  it('never delivers a text that changed again before the second read', async () => {
    const h = harness('a: 1\nb: 2\nc: 3\n', YAML_FILE);
    await h.source.start();
    await h.timers.flush();
    h.files.set(YAML_ABSOLUTE, 'a: 1\n'); // the first write of an in-place rewrite
    h.emit(YAML_ABSOLUTE);
    await h.timers.flush();
    h.files.set(YAML_ABSOLUTE, 'a: 1\nb: 2\nc: 4\n'); // the rest, without an event before the look
    await h.timers.flush(); // differs from what was held: held again
    expect(h.payloads).toEqual(['a: 1\nb: 2\nc: 3\n']);
    await h.timers.flush();
    expect(h.payloads).toEqual(['a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 2\nc: 4\n']);
  });
});
