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
 * Open `Watch` streams allowed at once. Probes (kubelet, load balancers, grpc_health_probe) use
 * `Check`; `Watch` serves gRPC clients' own health checking, a handful per client. Each open stream
 * holds memory (5,000 of them held 77 MB), and health may be open to anyone.
 */
export const MAX_HEALTH_WATCHERS = 100;

/**
 * grpc.health.v1 for the sync port: the server as a whole ("") and each named service share one
 * status, NOT_SERVING until every flag source has loaded.
 */
export class HealthService {
  readonly #services: ReadonlySet<string>;
  readonly #watchers = new Set<WatchStream>();
  #status: ServingStatus = 'NOT_SERVING';

  readonly #maxWatchers: number;

  constructor(serviceNames: readonly string[], maxWatchers: number = MAX_HEALTH_WATCHERS) {
    this.#services = new Set(['', ...serviceNames]);
    this.#maxWatchers = maxWatchers;
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

  /** Streams the status; past the limit of open streams, ends the call with RESOURCE_EXHAUSTED. */
  watch(stream: WatchStream): void {
    if (this.#watchers.size >= this.#maxWatchers) {
      stream.fail({
        code: status.RESOURCE_EXHAUSTED,
        details: `Too many health Watch streams open (limit ${this.#maxWatchers}); use Check`,
      });
      return;
    }
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
