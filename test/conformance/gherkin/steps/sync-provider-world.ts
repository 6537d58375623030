import type { SyncConnection, SyncProviderTarget } from '../targets/sync-provider-target.js';
import { ForbiddenSyncServer } from '../testbed/forbidden-sync-server.js';
import type { TestbedSyncServer } from '../testbed/testbed-sync-server.js';
import { SdkClientWorld } from './sdk-client-world.js';

/** Scenario state for the provider suites against a sync server: each scenario has its own server. */
export class SyncProviderWorld extends SdkClientWorld {
  #forbidden: ForbiddenSyncServer | undefined;

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
    const fatalStatusCodes = this.options
      .get('fatalStatusCodes')
      ?.split(',')
      .map((name) => name.trim());
    const cache = this.options.get('cache');
    return {
      // The certificate names both; grpc-js warns when a TLS server name is an IP address.
      host: caCertPath === undefined ? '127.0.0.1' : 'localhost',
      port,
      ...(selector === undefined ? {} : { selector }),
      ...(caCertPath === undefined ? {} : { caCertPath }),
      ...(deadlineMs === undefined ? {} : { deadlineMs: Number(deadlineMs) }),
      ...(fatalStatusCodes === undefined ? {} : { fatalStatusCodes }),
      ...(cache === undefined ? {} : { cache }),
    };
  }

  /** A server refusing every call with PERMISSION_DENIED (the testbed's envoy `forbidden` route); its port. */
  async startForbiddenServer(): Promise<number> {
    this.#forbidden = new ForbiddenSyncServer();
    await this.#forbidden.start();
    return this.#forbidden.port;
  }

  /** Providers close before the server, so none of them sees the shutdown as an outage to report. */
  override async dispose(): Promise<void> {
    await super.dispose();
    this.#forbidden?.dispose();
    await this.server.dispose();
  }
}
