import { describe, expect, it } from 'vitest';
import { normalizeDisplayName, normalizeEmail } from './person-fields.js';

describe('person fields', () => {
  it('stores an email trimmed and lower-cased, and refuses what is not one', () => {
    expect(normalizeEmail('  Ana.Lima@Example.ORG ')).toBe('ana.lima@example.org');
    for (const bad of ['ana', 'ana@', '@example.org', 'ana@example', 'an a@example.org', `${'a'.repeat(250)}@x.org`]) {
      expect(() => normalizeEmail(bad), bad).toThrow(/not an email address/);
    }
  });

  it('keeps a display name trimmed, empty as none, and refuses control characters or more than 100 characters', () => {
    expect(normalizeDisplayName('  Ana Lima ')).toBe('Ana Lima');
    expect(normalizeDisplayName('')).toBeNull();
    expect(normalizeDisplayName(null)).toBeNull();
    expect(() => normalizeDisplayName('a\u0007b')).toThrow(/1-100 characters/);
    expect(() => normalizeDisplayName('x'.repeat(101))).toThrow(/1-100 characters/);
  });
});
