/** The key of every path outside the service (a served path starts with `/`). */
const UNKNOWN = '';

/** Which wire protocol a request used. */
export type EvaluationProtocol = 'grpc' | 'grpc-web' | 'connect' | 'ofrep';

/**
 * Requests to the evaluation and OFREP ports, counted by protocol, method and outcome (the gRPC or
 * Connect code name, `ok` for success; the HTTP status for OFREP), in the Prometheus text format. Methods outside the service count as
 * `unknown`, so a scanner cannot make the label set grow.
 */
export class EvaluationMetrics {
  readonly #methods: ReadonlySet<string>;
  /** Each series' count, by its label set, in the order the series first appeared. */
  readonly #counts = new Map<string, { count: number }>();
  /** The same counters by protocol, path and code: counting, on every request, then builds no label string. */
  readonly #byParts = new Map<string, Map<string, Map<string, { count: number }>>>();

  /** `methods` are the full paths served, e.g. `/flagd.evaluation.v2.Service/ResolveBoolean`, `/ofrep/v1/evaluate/flags`. */
  constructor(methods: Iterable<string>) {
    this.#methods = new Set(methods);
  }

  requestFinished(protocol: EvaluationProtocol, path: string, code: string): void {
    let byMethod = this.#byParts.get(protocol);
    if (byMethod === undefined) this.#byParts.set(protocol, (byMethod = new Map()));
    // Paths outside the service all count as one, so a scanner cannot make this map grow either.
    const known = this.#methods.has(path) ? path : UNKNOWN;
    let byCode = byMethod.get(known);
    if (byCode === undefined) byMethod.set(known, (byCode = new Map()));
    let counter = byCode.get(code);
    if (counter === undefined) {
      const method = known === UNKNOWN ? 'unknown' : known.slice(1);
      counter = { count: 0 };
      this.#counts.set(`{protocol="${protocol}",method="${method}",code="${code}"}`, counter);
      byCode.set(code, counter);
    }
    counter.count++;
  }

  render(): string {
    const name = 'genesis_flags_evaluation_requests_total';
    const lines = [
      `# HELP ${name} Requests to the evaluation and OFREP ports by protocol, method and outcome.`,
      `# TYPE ${name} counter`,
      ...[...this.#counts].map(([labels, { count }]) => `${name}${labels} ${count}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
