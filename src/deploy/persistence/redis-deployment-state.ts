import { hostname } from 'node:os';
import { isProcessAlive } from '../../system/process-alive.js';
import type { StoreClient } from '../../store/connect-store.js';
import type { ControlRequest } from '../requests/control-request.js';
import { parseControllerEntry, type ControllerEntry } from '../state/controller-registry.js';
import { DeployError } from '../deploy-error.js';
import type { DeploymentState, JournalEntry } from '../state/deployment-state.js';
import type { HeldLock } from '../state/lock-file.js';
import { parseRequest, type QueuedRequest } from '../requests/request-inbox.js';
import { parseState } from '../state/state-store.js';
import type { DeploymentKeys } from './redis-deployment-keys.js';
import { FENCE_CHECK, fenceOf } from './redis-lease.js';

/** A controller not heard of for this long counts as gone (three missed heartbeats at the default 2 s). */
export const CONTROLLER_SILENCE_MS = 6_000;

const WRITE_STATE = `${FENCE_CHECK}
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

/** The deployment's own records in the store: state, journal, requests and controllers. */
export class RedisDeploymentRecords {
  constructor(
    private readonly client: StoreClient,
    private readonly keys: DeploymentKeys,
    /** Names the store and set in messages. */
    private readonly location: string,
  ) {}

  async readState(): Promise<DeploymentState | undefined> {
    const text = await this.client.get(this.keys.state);
    if (text === null) return undefined;
    const parsed = parseState(text, `${this.location} (${this.keys.state})`);
    if (!parsed.ok) throw new DeployError('state', parsed.error);
    return parsed.value;
  }

  /** Written only while `lock` is the lease, checked by Redis in the same step (see `FENCE_CHECK`). */
  async writeState(state: DeploymentState, lock: HeldLock): Promise<void> {
    await this.client
      .eval(WRITE_STATE, 2, this.keys.lease, this.keys.state, fenceOf(lock.holder), JSON.stringify(state))
      .catch((cause: unknown) => {
        throw refusal(cause, `Cannot write deployment state to ${this.location}`);
      });
  }

  async readJournal(): Promise<JournalEntry[]> {
    const lines = await this.client.lrange(this.keys.journal, 0, -1);
    return lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalEntry];
      } catch {
        return [];
      }
    });
  }

  async appendJournal(entry: JournalEntry): Promise<void> {
    await this.client.rpush(this.keys.journal, JSON.stringify(entry));
  }

  async enqueueRequest(request: ControlRequest): Promise<void> {
    await this.client.rpush(this.keys.requests, JSON.stringify(request));
  }

  /** The queued requests, oldest first; an entry that is not a request is dropped. */
  async listRequests(): Promise<QueuedRequest[]> {
    const texts = await this.client.lrange(this.keys.requests, 0, -1);
    const queued: QueuedRequest[] = [];
    for (const text of texts) {
      const request = parseRequest(text);
      if (request === null) await this.client.lrem(this.keys.requests, 1, text);
      else queued.push({ key: text, request });
    }
    return queued;
  }

  async removeRequest(queued: QueuedRequest): Promise<void> {
    await this.client.lrem(this.keys.requests, 1, queued.key);
  }

  async announceController(entry: ControllerEntry): Promise<void> {
    await this.client.hset(this.keys.controllers, controllerField(entry), JSON.stringify(entry));
  }

  async withdrawController(entry: ControllerEntry): Promise<void> {
    await this.client.hdel(this.keys.controllers, controllerField(entry));
  }

  /**
   * Controllers heard of within `CONTROLLER_SILENCE_MS`; on this host, only those whose process
   * exists. Entries of the gone are removed.
   */
  async listLiveControllers(nowMs: number): Promise<ControllerEntry[]> {
    const entries = await this.client.hgetall(this.keys.controllers);
    const live: ControllerEntry[] = [];
    for (const [field, text] of Object.entries(entries)) {
      const entry = parseControllerEntry(text);
      const gone =
        entry === null ||
        nowMs - Date.parse(entry.lastActedAt) > CONTROLLER_SILENCE_MS ||
        (entry.host === hostname() && !isProcessAlive(entry.pid));
      if (gone) await this.client.hdel(this.keys.controllers, field);
      else live.push(entry);
    }
    return live;
  }
}

/** A refused fenced write is a `lock` error (the lease moved on); anything else a `state` error. */
export function refusal(cause: unknown, what: string): DeployError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.startsWith('FENCED')
    ? new DeployError('lock', `${what}: refused, the lease moved on (${message.slice('FENCED '.length)})`, { cause })
    : new DeployError('state', `${what}: ${message}`, { cause });
}

function controllerField(entry: ControllerEntry): string {
  return `${entry.host}-${entry.pid}`;
}
