import { describe, expect, it } from 'vitest';
import { withCtes } from './with-ctes.js';

describe('withCtes', () => {
  it('prefixes a new WITH, or joins the model\'s own (keeping leading comments and RECURSIVE)', () => {
    expect(withCtes([], 'select 1')).toBe('select 1');
    expect(withCtes(['a AS (select 1)'], 'select * from a')).toBe('WITH a AS (select 1)\nselect * from a');
    expect(withCtes(['a AS (select 1)', 'b AS (select 2)'], '-- doc\n/* x */\nWith own as (select 3) select 1')).toBe(
      '-- doc\n/* x */\nWITH a AS (select 1),\nb AS (select 2),\nown as (select 3) select 1',
    );
    expect(withCtes(['a AS (select 1)'], 'with recursive r as (select 1) select 1')).toBe('WITH RECURSIVE a AS (select 1),\nr as (select 1) select 1');
    expect(withCtes(['a AS (select 1)'], 'select 1 as without_cte')).toBe('WITH a AS (select 1)\nselect 1 as without_cte');
  });
});
