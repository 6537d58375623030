/** The outcome of one health check, or of judging a stage's cohorts. */
export type VerdictKind = 'pass' | 'fail' | 'inconclusive';
