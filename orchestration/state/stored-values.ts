import { StateError, redactText, redactValue } from '../../core/index.js';

/**
 * Conversions between records and stored columns, shared by every table. Free text and JSON are
 * redacted on the way in; identifiers (run ids, asset keys, partition keys) are keys, stored as given.
 */
export type Row = Record<string, unknown>;

// A primary key column cannot portably hold NULL; '' stands for "unpartitioned".
export const NO_PARTITION = '';

/** Stores a partition key, '' for none. */
export const partitionIn = (partition: string | null): string => partition ?? NO_PARTITION;

/** Reads a stored partition key back, null for ''. */
export const partitionOut = (value: unknown): string | null => (value === NO_PARTITION || value === null ? null : String(value));

/** Redacted JSON text, or null. */
export const jsonIn = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(redactValue(value));

/** Parsed JSON object, or null. */
export const jsonOut = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : null;

/** Redacted text, or null. */
export const textIn = (value: string | null | undefined): string | null =>
  value === null || value === undefined ? null : redactText(value);

/** A nullable text column. */
export const textOut = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** A nullable number column; Postgres returns BIGINT and SUM as strings. */
export const numberOut = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * `at` as a canonical UTC ISO string (`…T…:….sssZ`, always 24 characters), so stored instants
 * compare correctly as text on both engines. `plusMs` shifts it.
 */
export function isoInstant(at: string, plusMs = 0): string {
  const ms = Date.parse(at);
  if (!Number.isFinite(ms) || !Number.isFinite(plusMs)) {
    throw new StateError(`not a valid instant: ${JSON.stringify(at)}`, { hint: 'pass an ISO 8601 timestamp such as 2024-05-01T00:00:00.000Z' });
  }
  return new Date(ms + plusMs).toISOString();
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
