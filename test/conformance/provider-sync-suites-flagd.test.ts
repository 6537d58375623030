import { describeSyncSuites } from './gherkin/sync-suites.js';
import { flagdSyncProviderTarget } from './gherkin/targets/flagd-sync-provider-target.js';

// The official flagd provider, in-process, against our server: the same scenarios, as a compatibility check.
describeSyncSuites(flagdSyncProviderTarget);
