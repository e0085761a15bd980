import { UsageError } from '../core/index.js';

/** An opaque page cursor: the value as JSON, base64url. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The value of a cursor `encodeCursor` made, when `accept` recognizes it; a UsageError otherwise. */
export function decodeCursor<T>(text: string, accept: (value: unknown) => T | undefined): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const accepted = value === undefined ? undefined : accept(value);
  if (accepted === undefined) throw new UsageError('the cursor is not one this server handed out', { hint: 'start again without a cursor' });
  return accepted;
}
