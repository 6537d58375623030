/** One unit of work and how hard it looks, in [0, 1]. */
export interface PlannedStep {
  readonly text: string;
  readonly difficulty: number;
}

/** `llm`: decomposed and scored step by step; `heuristic`: one step scored by size alone. */
export type Planner = 'llm' | 'heuristic';

const HARD_WORDS = [
  'architecture',
  'concurrency',
  'distributed',
  'migrate',
  'optimize',
  'prove',
  'refactor',
  'security',
  'design',
];
const EASY_WORDS = ['format', 'list', 'rename', 'summarize', 'translate', 'typo', 'fix typo'];

/**
 * The stand-in for the LLM planner of the real system (no model is called in this example): splits
 * the task into steps at sentence ends, ";" and "then", and scores each step's wording.
 */
export function planWithLlm(description: string): PlannedStep[] {
  const parts = description
    .split(/(?<=[.!?;])\s+|\s+then\s+/i)
    .map((part) => part.replace(/^then\s+/i, '').trim())
    .filter((part) => part !== '');
  return parts.map((text) => ({ text, difficulty: scoreWording(text) }));
}

/** The rule-based fallback: the whole task as one step, harder the longer it is. */
export function planWithHeuristics(description: string): PlannedStep[] {
  const words = description.split(/\s+/).length;
  return [{ text: description, difficulty: clamp(words / 120) }];
}

function scoreWording(text: string): number {
  const lowered = text.toLowerCase();
  const words = lowered.split(/\s+/).length;
  const hard = HARD_WORDS.filter((word) => lowered.includes(word)).length;
  const easy = EASY_WORDS.filter((word) => lowered.includes(word)).length;
  return clamp(0.1 + words * 0.01 + hard * 0.3 - easy * 0.1);
}

function clamp(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}
