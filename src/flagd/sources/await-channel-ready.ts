import { connectivityState, type Client } from '@grpc/grpc-js';

/**
 * Waits until the client's channel is connected, like grpc-js's `waitForReady`, except that a failed
 * connection attempt (TRANSIENT_FAILURE: refused, unreachable, TLS handshake failure) is reported at
 * once instead of being retried silently until the deadline, so the caller's own backoff decides.
 */
export function awaitChannelReady(client: Client, deadline: number, done: (error: Error | undefined) => void): void {
  const channel = client.getChannel();
  const check = (): void => {
    const state = channel.getConnectivityState(true);
    if (state === connectivityState.READY) {
      done(undefined);
      return;
    }
    if (state === connectivityState.TRANSIENT_FAILURE || state === connectivityState.SHUTDOWN) {
      done(new Error(state === connectivityState.SHUTDOWN ? 'channel closed' : 'connection failed'));
      return;
    }
    channel.watchConnectivityState(state, deadline, (error) =>
      error === undefined ? check() : done(new Error('connection timed out')),
    );
  };
  check();
}
