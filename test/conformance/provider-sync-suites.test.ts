import { describeSyncSuites } from './gherkin/sync-suites.js';
import { genesisSyncProviderTarget } from './gherkin/targets/genesis-sync-provider-target.js';

describeSyncSuites(genesisSyncProviderTarget);
