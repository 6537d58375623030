import { status } from '@grpc/grpc-js';
import type { ServerStream, UnaryReply } from './sync-stream.js';

export type ServingStatus = 'SERVING' | 'NOT_SERVING';

export interface HealthCheckRequest {
  readonly service: string;
}

export interface HealthCheckResponse {
  readonly status: ServingStatus | 'SERVICE_UNKNOWN';
}

type WatchStream = ServerStream<HealthCheckRequest, HealthCheckResponse>;

/**
 * grpc.health.v1 for the sync port: the server as a whole ("") and each named service share one
 * status, NOT_SERVING until every flag source has loaded.
 */
export class HealthService {
  readonly #services: ReadonlySet<string>;
  readonly #watchers = new Set<WatchStream>();
  #status: ServingStatus = 'NOT_SERVING';

  constructor(serviceNames: readonly string[]) {
    this.#services = new Set(['', ...serviceNames]);
  }

  setStatus(next: ServingStatus): void {
    if (next === this.#status) return;
    this.#status = next;
    for (const watcher of this.#watchers) this.#send(watcher);
  }

  check(request: HealthCheckRequest): UnaryReply<HealthCheckResponse> {
    if (!this.#services.has(request.service))
      return { ok: false, error: { code: status.NOT_FOUND, details: `Unknown service: ${request.service}` } };
    return { ok: true, value: { status: this.#status } };
  }

  watch(stream: WatchStream): void {
    this.#watchers.add(stream);
    stream.onClose(() => this.#watchers.delete(stream));
    this.#send(stream);
  }

  /** Ends every Watch with UNAVAILABLE, so watchers know to look again rather than trust a final status. */
  closeAll(): void {
    for (const watcher of [...this.#watchers]) {
      this.#watchers.delete(watcher);
      watcher.fail({ code: status.UNAVAILABLE, details: 'Server is shutting down' });
    }
  }

  #send(stream: WatchStream): void {
    stream.send({ status: this.#services.has(stream.request.service) ? this.#status : 'SERVICE_UNKNOWN' });
  }
}
