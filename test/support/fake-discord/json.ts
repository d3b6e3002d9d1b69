/** Small narrowing helpers for request bodies, which arrive as `unknown` JSON. */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}

export function readString(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

export function readNumber(record: JsonRecord, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' ? value : undefined;
}

export function readArray(record: JsonRecord, key: string): unknown[] | undefined {
  const value = record[key];
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/** Length as Discord counts it: Unicode code points, after trimming surrounding whitespace. */
export function codePointLength(text: string): number {
  // Array.from iterates by code point, which is exactly Discord's unit (not UTF-16 units, not graphemes).
  return Array.from(text.trim()).length;
}
