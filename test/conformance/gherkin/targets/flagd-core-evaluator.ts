import type { Logger } from '@openfeature/core';
import { FlagdCore } from '@openfeature/flagd-core';
import type { EvaluatorTarget } from './evaluator-target.js';
import { resolutionTypeOf, toOutcome } from './evaluator-target.js';

const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/** The official JS evaluator (`@openfeature/flagd-core`), run as a reference next to ours. */
export const flagdCoreEvaluator: EvaluatorTarget = {
  name: '@openfeature/flagd-core',
  load(documentText) {
    const core = new FlagdCore(undefined, silentLogger);
    core.setConfigurations(documentText);
    return (flag, context) =>
      toOutcome(core.resolve(resolutionTypeOf(flag), flag.key, flag.defaultValue, context, silentLogger));
  },
};
