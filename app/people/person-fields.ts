import { UsageError } from '../../core/index.js';

// Deliberately loose (one @, a dot in the domain, no spaces): the address is for people to read,
// not for mail delivery, and RFC 5322 admits far more than any form should insist on.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email as stored: trimmed and lower-cased (emails are unique case-insensitively). USAGE when malformed. */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim().toLowerCase();
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) throw new UsageError('that is not an email address', { hint: 'write it as name@example.org' });
  return trimmed;
}

/** A display name as stored: trimmed, null when empty. USAGE when over 100 characters or holding control characters. */
export function normalizeDisplayName(displayName: string | null | undefined): string | null {
  const trimmed = (displayName ?? '').trim();
  if (trimmed === '') return null;
  // eslint-disable-next-line no-control-regex
  if (trimmed.length > 100 || /[\u0000-\u001f\u007f]/.test(trimmed)) throw new UsageError('a display name is 1-100 characters of text', { hint: 'leave it empty to be shown by your user name' });
  return trimmed;
}
