import { checkFlagdSchemaPart } from './flagd-schemas.js';
import { findDocumentViolations, partViolations } from './find-document-violations.js';
import { formatViolation, type SchemaViolation } from './schema-violation.js';

/** The whole-value schemas others may check against: flagd's document, the provider document, a targeting rule. */
export type FlagdSchemaName = 'flagd-document' | 'provider-document' | 'targeting';

/** Checks a parsed flagd document (flags as a map or a list); one `path: message` line per violation, none when valid. */
export function validateFlagdDocument(document: unknown): string[] {
  return validateAgainstFlagdSchema('flagd-document', document);
}

/**
 * Checks a value against one of our flagd schemas. The verdict is the whole schema's; the lines come
 * from checking the value part by part, so that each names the flag or rule it concerns.
 */
export function validateAgainstFlagdSchema(schema: FlagdSchemaName, value: unknown): string[] {
  if (checkFlagdSchemaPart(schema, value).valid) return [];
  const violations = explain(schema, value);
  if (violations.length === 0) return [`document: does not match the flagd ${schema} schema`];
  return violations.map(formatViolation);
}

function explain(schema: FlagdSchemaName, value: unknown): SchemaViolation[] {
  switch (schema) {
    case 'flagd-document':
      return findDocumentViolations(value, 'flagd');
    case 'provider-document':
      return findDocumentViolations(value, 'provider');
    case 'targeting':
      return partViolations('targeting', value, [], false);
  }
}
