import { describe, expect, it } from 'vitest';
import type { DefinitionError } from '../core/index.js';
import { createDuckDbWarehouse, duckDbDialect } from '../warehouse/index.js';
import { loadProject } from './compile-project.js';
import { loadMacros } from './load-macros.js';
import { writeTempProject } from '../tests/helpers/temp-project.js';

function dirWith(files: Record<string, string>): string {
  const dir = writeTempProject(files);
  return dir;
}

const MACROS = {
  'macros/cents.sql': "{% macro to_cents(col) -%}\n  cast(round({{ col }} * 100) as bigint)\n{%- endmacro %}\n{% macro price_cols(prefix) %}{{ to_cents(prefix ~ '_eur') }} as {{ prefix }}_cents{% endmacro %}",
  'macros/sources.sql': "{% macro from_src(t) %}{{ source('shop', t) }}{% endmacro %}\n{% macro uses_other_file() %}{{ to_cents('1.5') }}{% endmacro %}",
};

describe('macros in models/macros', () => {
  it('are callable from every model without an import, across macro files, and see ref/source', async () => {
    const dir = dirWith({
      ...MACROS,
      'staging/stg_items.sql': "select id, {{ price_cols('price') }}, {{ uses_other_file() }} as c from {{ from_src('items') }}",
    });
    const p = loadProject({ dir, dialect: duckDbDialect, resolveSource: (s, t) => `raw.${s}_${t}` });
    expect(p.models[0]!.sources).toEqual([{ source: 'shop', table: 'items' }]);
    const sql = p.compile('stg_items', null);
    expect(sql).toBe('select id, cast(round(price_eur * 100) as bigint) as price_cents, cast(round(1.5 * 100) as bigint) as c from raw.shop_items');
    const wh = await createDuckDbWarehouse({ path: ':memory:' });
    try {
      await wh.execute(['CREATE SCHEMA raw', 'CREATE TABLE raw.shop_items AS SELECT 1 AS id, 2.345 AS price_eur']);
      await wh.execute(p.statements('stg_items', null));
      expect(await wh.query('SELECT * FROM staging.stg_items')).toEqual([{ id: 1, price_cents: 235, c: 150 }]);
    } finally {
      await wh.close();
    }
  });

  it("report errors at the model's own lines, and macro syntax errors at the macro file's lines", () => {
    const dir = dirWith({
      ...MACROS,
      'macros/broken.sql': '{% macro ok() %}1{% endmacro %}\n\n{% macro bad( %}{% endmacro %}',
      'staging/stg_bad.sql': "select\n  {{ to_cents('x') }},\n  {{ ref('nope') }},\n  {{ oops( }}",
    });
    let problems: readonly string[] = [];
    try {
      loadProject({ dir, dialect: duckDbDialect });
    } catch (error) {
      problems = (error as DefinitionError).problems;
    }
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^macros\/broken\.sql:3: /);
    expect(problems[1]).toMatch(/^staging\/stg_bad\.sql:4: /);
  });

  it("locate problems found at render time at the model's own line", () => {
    const dir = dirWith({ ...MACROS, 'staging/stg_ref.sql': "select\n  {{ to_cents('x') }}\nfrom {{ ref('nope') }}" });
    expect(() => loadProject({ dir, dialect: duckDbDialect })).toThrow(/staging\/stg_ref\.sql:3: unknown ref\('nope'\)/);
  });

  it('render every model with nunjucks when a macro file uses what the template engine leaves to it', () => {
    const dir = dirWith({ ...MACROS, 'macros/shout.sql': '{% macro shout(x) %}{% filter upper %}{{ x }}{% endfilter %}{% endmacro %}', 'staging/stg_loud.sql': "select '{{ shout('hi') }}' as a, {{ to_cents('p') }} as b" });
    const { library, problems } = loadMacros(dir);
    expect(problems).toEqual([]);
    expect(library.engineExports).toBeUndefined();
    expect(library.names).toBeNull();
    expect(loadProject({ dir, dialect: duckDbDialect }).compile('stg_loud', null)).toBe("select 'HI' as a, cast(round(p * 100) as bigint) as b");
  });
});
