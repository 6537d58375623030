/** Model tiers, smallest first; prices are illustrative, in US dollars per 1,000 tokens. */
export const MODEL_TIERS = ['small', 'medium', 'large'] as const;

export type ModelTier = (typeof MODEL_TIERS)[number];

export interface Model {
  readonly name: string;
  readonly tier: ModelTier;
  readonly usdPer1kTokens: number;
}

export const MODELS: Readonly<Record<ModelTier, Model>> = {
  small: { name: 'genesis-small', tier: 'small', usdPer1kTokens: 0.0005 },
  medium: { name: 'genesis-medium', tier: 'medium', usdPer1kTokens: 0.003 },
  large: { name: 'genesis-large', tier: 'large', usdPer1kTokens: 0.015 },
};

/** The biggest model: what v1 sends everything to, and the baseline v2's saving is measured against. */
export const DEFAULT_MODEL: Model = MODELS.large;

/** The cost of `tokens` on `model`, in dollars rounded to a millionth. */
export function costUsd(model: Model, tokens: number): number {
  return roundUsd((tokens / 1000) * model.usdPer1kTokens);
}

export function roundUsd(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** The smallest tier fit for a difficulty in [0, 1]. */
export function tierFor(difficulty: number): ModelTier {
  if (difficulty < 0.35) return 'small';
  return difficulty < 0.7 ? 'medium' : 'large';
}

/** One tier up, for critical work; the largest stays largest. */
export function tierAbove(tier: ModelTier): ModelTier {
  return MODEL_TIERS[Math.min(MODEL_TIERS.indexOf(tier) + 1, MODEL_TIERS.length - 1)] ?? tier;
}
