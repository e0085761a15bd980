import { describe, expect, it } from 'vitest';
import { duckDbDialect } from './duckdb/index.js';
import { parseRecordFields } from './record-fields.js';

describe('json_record fields', () => {
  it('parses dotted paths and lists of objects into one shape, each field once', () => {
    const shape = parseRecordFields('id, esrb_rating.slug\n  genres[].id genres[].name, id');
    expect(duckDbDialect.macros.json_record!('r.value', 'id, esrb_rating.slug, genres[].id, genres[].name')).toBe(
      `json_transform(r.value, '{"id":"VARCHAR","esrb_rating":{"slug":"VARCHAR"},"genres":[{"id":"VARCHAR","name":"VARCHAR"}]}')`,
    );
    expect(shape.kind === 'object' && [...shape.fields.keys()]).toEqual(['id', 'esrb_rating', 'genres']);
  });

  it('refuses what it cannot read, naming the path', () => {
    expect(() => parseRecordFields('')).toThrow(/needs the fields to read/);
    expect(() => parseRecordFields("id'); drop table x; --")).toThrow(/invalid field path/);
    expect(() => parseRecordFields('genres[]')).toThrow(/ends at a list: name the fields of its elements/);
    expect(() => parseRecordFields('esrb, esrb.slug')).toThrow(/field "esrb" is read both as a value and as an object/);
    expect(() => parseRecordFields('genres[].id, genres.id')).toThrow(/field "genres" is read both as a list and as an object/);
  });

  it('reads a record field as a dotted path on DuckDB (lineage follows it), any other expression by struct_extract', () => {
    expect(duckDbDialect.macros.record_int!('x.value', 'platform.id')).toBe('TRY_CAST(x.value.platform.id AS BIGINT)');
    expect(duckDbDialect.macros.record_text!('coalesce(a, b)', 'name')).toBe(`struct_extract(coalesce(a, b), 'name')`);
    expect(() => duckDbDialect.macros.record_text!('rec', 'a b')).toThrow(/invalid record field path/);
  });
});
