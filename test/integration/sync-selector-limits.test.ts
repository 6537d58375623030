import { status, type Client, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlagSyncHandler } from '../../src/flagd/sync/flag-sync-handler.js';
import { HealthService } from '../../src/flagd/sync/health-service.js';
import { SyncFlagState, type WireFlags } from '../../src/flagd/sync/sync-flag-state.js';
import { SYNC_SERVICE_NAME } from '../../src/flagd/sync/sync-proto.js';
import { startSyncServer, type RunningSyncServer } from '../../src/flagd/sync/sync-server.js';
import { createSyncClient, fetchAllFlags, openSyncStream } from './sync-test-client.js';

/**
 * Issue 10, item 3: every distinct selector used to keep its payload and its own text cached until the
 * next flag change, with no token needed to send one (400 distinct 1 MB selectors held 200 MB).
 */
const flags: WireFlags = {
  checkout: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
};

let state: SyncFlagState;
let server: RunningSyncServer;
let client: Client;

beforeAll(async () => {
  state = new SyncFlagState(['flags.json']);
  state.update('flags.json', flags);
  const started = await startSyncServer({
    host: '127.0.0.1',
    port: 0,
    handler: new FlagSyncHandler({ state }),
    health: new HealthService([SYNC_SERVICE_NAME]),
  });
  if (!started.ok) throw started.error;
  server = started.value;
  client = createSyncClient(server.port);
});

afterAll(async () => {
  client.close();
  await server.close();
});

function longSelector(index: number, length: number): string {
  const prefix = `flagSetId=${index}-`;
  return prefix + 'x'.repeat(length - prefix.length);
}

describe('sync server: selector limits', () => {
  it('keeps nothing for 300 distinct 4,096-character selectors that select no flag', async () => {
    await fetchAllFlags(client);
    const before = state.cachedPayloadBytes;
    for (let batch = 0; batch < 3; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          fetchAllFlags(client, { header: longSelector(batch * 100 + index, 4096) }),
        ),
      );
      for (const answer of answers) expect(answer.flagConfiguration).toBe('{"flags":{}}');
    }
    expect(before).toBeGreaterThan(0);
    expect(state.cachedPayloadBytes).toBe(before);
  });

  it.each([
    ['the flagd-selector header', { header: longSelector(0, 4097) }],
    ['the request field', { selector: longSelector(0, 4097) }],
  ])('refuses a 4,097-character selector in %s with INVALID_ARGUMENT naming the limit', async (_where, options) => {
    const fetched = await fetchAllFlags(client, options).then(
      () => undefined,
      (error: ServiceError) => error,
    );
    expect(fetched?.code).toBe(status.INVALID_ARGUMENT);
    expect(fetched?.details).toBe('Selector is 4097 characters long; the limit is 4096 characters');
    const stream = openSyncStream(client, options);
    const ended = await stream.status;
    expect(ended.code).toBe(status.INVALID_ARGUMENT);
    expect(ended.details).toBe('Selector is 4097 characters long; the limit is 4096 characters');
    expect(stream.messages).toEqual([]);
  });
});
