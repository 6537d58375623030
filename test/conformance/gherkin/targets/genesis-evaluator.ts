import { FlagStore } from '../../../../src/flagd/flag-store.js';
import { normalizeFlagSet } from '../../../../src/flagd/parse/flag-set-normalizer.js';
import { parseDocumentText } from '../../../../src/document/parse-document-text.js';
import type { EvaluationEnv } from '../../../../src/flagd/model.js';
import type { EvaluatorTarget } from './evaluator-target.js';
import { resolutionTypeOf, toOutcome } from './evaluator-target.js';

const ORIGIN = 'testkit-flags.json';

/** A fixed instant (2026-01-01T00:00:00Z), so that `$flagd.timestamp` rules give the same result every run. */
const env: EvaluationEnv = { nowSeconds: () => 1_767_225_600 };

/** Our flagd core: the document parsed and normalised by src/flagd/parse, evaluated by `FlagStore`. */
export const genesisEvaluator: EvaluatorTarget = {
  name: 'genesis-flags FlagStore',
  load(documentText) {
    const parsed = parseDocumentText(documentText, ORIGIN);
    if (!parsed.ok) throw new Error(parsed.error);
    const normalized = normalizeFlagSet(parsed.value, { origin: ORIGIN });
    if (!normalized.ok) throw new Error(normalized.error);
    const store = new FlagStore();
    store.replace(normalized.value);
    return (flag, context) =>
      toOutcome(store.evaluate(flag.key, resolutionTypeOf(flag), flag.defaultValue, context, env));
  },
};
