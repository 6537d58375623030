import type { JsonValue } from '@openfeature/core';

/** The value types the testbed names in its steps and tables. */
export type ValueType = 'Boolean' | 'String' | 'Integer' | 'Float' | 'Object';

const VALUE_TYPES: readonly ValueType[] = ['Boolean', 'String', 'Integer', 'Float', 'Object'];

export function parseValueType(text: string): ValueType {
  const type = VALUE_TYPES.find((candidate) => candidate === text);
  if (type === undefined) throw new Error(`Unknown value type "${text}" (expected ${VALUE_TYPES.join(', ')})`);
  return type;
}

/**
 * Reads a testbed value as its type: `Integer` "0" is the number 0, `Float` "0.0" is 0, `String` keeps
 * the text as written (the empty string included), `Object` is JSON.
 */
export function parseTypedValue(text: string, type: ValueType): JsonValue {
  switch (type) {
    case 'String':
      return text;
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw new Error(`Not a Boolean: "${text}"`);
      return text === 'true';
    case 'Integer':
      if (!/^-?\d+$/.test(text)) throw new Error(`Not an Integer: "${text}"`);
      return Number(text);
    case 'Float':
      return parseFloatText(text);
    case 'Object':
      return parseJsonText(text);
  }
}

function parseFloatText(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`Not a Float: "${text}"`);
  return value;
}

function parseJsonText(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new Error(`Not an Object (JSON): "${text}"`, { cause: error });
  }
}
