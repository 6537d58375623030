import { describeSyncSuites } from './gherkin/sync-suites.js';
import { flagdRpcProviderTarget } from './gherkin/targets/flagd-rpc-provider-target.js';

// The official flagd provider in rpc mode against our evaluation port: flagd's remote evaluation, checked by its own client.
describeSyncSuites(flagdRpcProviderTarget);
