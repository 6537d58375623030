/** One step into a JSON value: a property name or an array index. */
export type PathSegment = string | number;

/** A schema rule a value breaks, located by its path from the document root. */
export interface SchemaViolation {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

const PLAIN_SEGMENT = /^[^\s.[\]"]+$/;

/** Renders a path the way people read JSON: `flags.my-flag.state`, `flags["a.b"].targeting.if.0`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'document';
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return index === 0 ? String(segment) : `.${segment}`;
      if (!PLAIN_SEGMENT.test(segment)) return `[${JSON.stringify(segment)}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

/** `path: message`, the form every schema warning takes. */
export function formatViolation(violation: SchemaViolation): string {
  return `${formatPath(violation.path)}: ${violation.message}`;
}

/** Places violations found inside a part (a flag, an evaluator) under that part's path. */
export function underPath(prefix: readonly PathSegment[], violations: readonly SchemaViolation[]): SchemaViolation[] {
  return violations.map((violation) => ({ path: [...prefix, ...violation.path], message: violation.message }));
}
