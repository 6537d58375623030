/** Which wire protocol a request used. */
export type EvaluationProtocol = 'grpc' | 'grpc-web' | 'connect' | 'ofrep';

/**
 * Requests to the evaluation and OFREP ports, counted by protocol, method and outcome (the gRPC or
 * Connect code name, `ok` for success; the HTTP status for OFREP), in the Prometheus text format. Methods outside the service count as
 * `unknown`, so a scanner cannot make the label set grow.
 */
export class EvaluationMetrics {
  readonly #methods: ReadonlySet<string>;
  readonly #counts = new Map<string, number>();

  /** `methods` are the full paths served, e.g. `/flagd.evaluation.v2.Service/ResolveBoolean`, `/ofrep/v1/evaluate/flags`. */
  constructor(methods: Iterable<string>) {
    this.#methods = new Set(methods);
  }

  requestFinished(protocol: EvaluationProtocol, path: string, code: string): void {
    const method = this.#methods.has(path) ? path.slice(1) : 'unknown';
    const key = `{protocol="${protocol}",method="${method}",code="${code}"}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  render(): string {
    const name = 'genesis_flags_evaluation_requests_total';
    const lines = [
      `# HELP ${name} Requests to the evaluation and OFREP ports by protocol, method and outcome.`,
      `# TYPE ${name} counter`,
      ...[...this.#counts].map(([labels, count]) => `${name}${labels} ${count}`),
    ];
    return `${lines.join('\n')}\n`;
  }
}
