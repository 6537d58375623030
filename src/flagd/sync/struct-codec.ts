import type { JsonValue } from '@openfeature/core';

/**
 * `google.protobuf.Struct` as the sync handlers and clients hold it (one property per `kind`, the shape
 * @grpc/proto-loader used), and the conversions from and to plain JSON, which the sync protocol uses for
 * `sync_context`.
 */
export interface ProtoStruct {
  readonly fields: Readonly<Record<string, ProtoValue>>;
}

export interface ProtoValue {
  readonly nullValue?: 'NULL_VALUE' | 0;
  readonly numberValue?: number;
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly structValue?: ProtoStruct;
  readonly listValue?: { readonly values?: readonly ProtoValue[] };
  readonly kind?: string;
}

export type JsonRecord = Readonly<Record<string, JsonValue>>;

export function toProtoStruct(record: JsonRecord): ProtoStruct {
  const fields: Record<string, ProtoValue> = {};
  for (const [key, value] of Object.entries(record)) fields[key] = toProtoValue(value);
  return { fields };
}

function toProtoValue(value: JsonValue): ProtoValue {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toProtoValue) } };
  return { structValue: toProtoStruct(value as JsonRecord) };
}

export function fromProtoStruct(struct: ProtoStruct): Record<string, JsonValue> {
  const record: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(struct.fields ?? {})) record[key] = fromProtoValue(value);
  return record;
}

function fromProtoValue(value: ProtoValue): JsonValue {
  if (value.numberValue !== undefined) return value.numberValue;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.structValue !== undefined) return fromProtoStruct(value.structValue);
  if (value.listValue !== undefined) return (value.listValue.values ?? []).map(fromProtoValue);
  return null;
}
