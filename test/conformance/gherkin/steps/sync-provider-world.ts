import type { SyncConnection, SyncProviderTarget } from '../targets/sync-provider-target.js';
import type { TestbedSyncServer } from '../testbed/testbed-sync-server.js';
import { SdkClientWorld } from './sdk-client-world.js';

/** Scenario state for the provider suites against a sync server: each scenario has its own server. */
export class SyncProviderWorld extends SdkClientWorld {
  constructor(
    readonly target: SyncProviderTarget,
    readonly server: TestbedSyncServer,
  ) {
    super();
  }

  /** The server port the target's provider connects to. */
  get targetPort(): number {
    return this.target.connectsTo === 'evaluation' ? this.server.evaluationPort : this.server.port;
  }

  /** Where the provider connects, with the scenario's options applied. */
  connectionTo(port: number, caCertPath: string | undefined): SyncConnection {
    const selector = this.options.get('selector');
    const deadlineMs = this.options.get('deadlineMs');
    const cache = this.options.get('cache');
    return {
      // The certificate names both; grpc-js warns when a TLS server name is an IP address.
      host: caCertPath === undefined ? '127.0.0.1' : 'localhost',
      port,
      ...(selector === undefined ? {} : { selector }),
      ...(caCertPath === undefined ? {} : { caCertPath }),
      ...(deadlineMs === undefined ? {} : { deadlineMs: Number(deadlineMs) }),
      ...(cache === undefined ? {} : { cache }),
    };
  }

  /** Providers close before the server, so none of them sees the shutdown as an outage to report. */
  override async dispose(): Promise<void> {
    await super.dispose();
    await this.server.dispose();
  }
}
