import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { assertIdentifier, quoteIdent, quoteLiteral, quoteRelation } from './postgres-identifiers.js';

describe('quoteIdent', () => {
  it('leaves lower-case plain names bare, as a BI user would type them', () => {
    expect(quoteIdent('marts')).toBe('marts');
    expect(quoteIdent('dim_games')).toBe('dim_games');
    expect(quoteIdent('_x9')).toBe('_x9');
    // Unreserved keywords are fine bare.
    expect(quoteIdent('name')).toBe('name');
    expect(quoteIdent('year')).toBe('year');
  });

  it('quotes keywords Postgres will not take as names', () => {
    expect(quoteIdent('select')).toBe('"select"');
    expect(quoteIdent('user')).toBe('"user"');
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('authorization')).toBe('"authorization"');
    expect(quoteIdent('timestamp')).toBe('"timestamp"');
  });

  it('quotes names that are not lower-case plain, doubling inner quotes', () => {
    expect(quoteIdent('Marts')).toBe('"Marts"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(quoteIdent('"')).toBe('""""');
    expect(quoteIdent('my schema')).toBe('"my schema"');
    expect(quoteIdent('9lives')).toBe('"9lives"');
    expect(quoteIdent('a$b')).toBe('"a$b"');
    expect(quoteIdent('jeux_vidéo')).toBe('"jeux_vidéo"');
    expect(quoteIdent("x'; drop table t; --")).toBe(`"x'; drop table t; --"`);
  });

  it('refuses names Postgres would not keep as written', () => {
    expect(() => quoteIdent('')).toThrow(ConfigError);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(quoteIdent('a'.repeat(63))).toBe('a'.repeat(63));
    expect(() => quoteIdent('a'.repeat(64))).toThrow(/64 bytes long; Postgres keeps at most 63/);
    // Bytes, not characters: 32 two-byte letters are 64 bytes.
    expect(() => quoteIdent('é'.repeat(32))).toThrow(/64 bytes/);
  });

  it('names what it checks in the error', () => {
    expect(() => assertIdentifier('', 'role name')).toThrow('Postgres role name is empty');
  });
});

describe('quoteRelation', () => {
  it('quotes each part of schema.name as needed', () => {
    expect(quoteRelation('marts.dim_games')).toBe('marts.dim_games');
    expect(quoteRelation('Marts.select')).toBe('"Marts"."select"');
    expect(quoteRelation('dim_games')).toBe('dim_games');
  });
});

describe('quoteLiteral', () => {
  it('doubles single quotes', () => {
    expect(quoteLiteral('plain')).toBe("'plain'");
    expect(quoteLiteral("o'brien")).toBe("'o''brien'");
    expect(quoteLiteral("''")).toBe("''''''");
    expect(quoteLiteral('')).toBe("''");
  });

  it('writes a value with backslashes as an escape string, so it reads the same under either standard_conforming_strings', () => {
    expect(quoteLiteral('a\\b')).toBe("E'a\\\\b'");
    expect(quoteLiteral("\\'; select 1; --")).toBe("E'\\\\''; select 1; --'");
  });

  it('refuses a NUL character without echoing the value (it may be a password)', () => {
    expect(() => quoteLiteral('s3cret\0')).toThrow(ConfigError);
    expect(() => quoteLiteral('s3cret\0')).not.toThrow(/s3cret/);
  });
});
