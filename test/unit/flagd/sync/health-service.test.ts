import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  HealthService,
  type HealthCheckRequest,
  type HealthCheckResponse,
} from '../../../../src/flagd/sync/health-service.js';
import { FakeServerStream } from './fake-server-stream.js';

describe('HealthService', () => {
  it('is NOT_SERVING until told otherwise, for the server and each named service', () => {
    const health = new HealthService(['flagd.sync.v1.FlagSyncService']);
    expect(health.check({ service: '' })).toEqual({ ok: true, value: { status: 'NOT_SERVING' } });
    health.setStatus('SERVING');
    expect(health.check({ service: 'flagd.sync.v1.FlagSyncService' })).toEqual({
      ok: true,
      value: { status: 'SERVING' },
    });
  });

  it('answers NOT_FOUND for an unknown service on Check', () => {
    const reply = new HealthService([]).check({ service: 'other.Service' });
    expect(!reply.ok && reply.error.code).toBe(status.NOT_FOUND);
  });

  it('streams each status change to watchers and SERVICE_UNKNOWN for unknown names', () => {
    const health = new HealthService([]);
    const watcher = new FakeServerStream<HealthCheckRequest, HealthCheckResponse>({ service: '' });
    const stranger = new FakeServerStream<HealthCheckRequest, HealthCheckResponse>({ service: 'x' });
    health.watch(watcher);
    health.watch(stranger);
    health.setStatus('SERVING');
    health.setStatus('SERVING');
    expect(watcher.sent.map((m) => m.status)).toEqual(['NOT_SERVING', 'SERVING']);
    expect(stranger.sent[0]?.status).toBe('SERVICE_UNKNOWN');
  });

  it('ends watches with UNAVAILABLE on closeAll', () => {
    const health = new HealthService([]);
    const watcher = new FakeServerStream<HealthCheckRequest, HealthCheckResponse>({ service: '' });
    health.watch(watcher);
    health.closeAll();
    expect(watcher.failure?.code).toBe(status.UNAVAILABLE);
  });
});
