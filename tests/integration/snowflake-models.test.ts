import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { loadProject } from '../../transform/index.js';
import { duckDbDialect } from '../../warehouse/index.js';
import { quoteSnowflakeRelation as quoteRelation, snowflakeDialect } from '../../warehouse/snowflake/index.js';

// SQL that DuckDB accepts and Snowflake does not, collected from the DuckDB dialect, its macros
// and the shipped models' history. A model must reach these only through a dialect macro.
const DUCKDB_ONLY: [string, RegExp][] = [
  ['JSON arrow ->> / ->', /->>|(?<![-<])->(?!>)/],
  ['json_extract()', /\bjson_extract(_string)?\s*\(/i],
  ["JSONPath literal '$.…'", /'\$\./],
  ['JSON[] / ::JSON casts', /JSON\s*\[\]|::\s*JSON\b|AS\s+JSON\b/i],
  ['list literal []', /\[\s*\]/],
  ['unnest()', /\bunnest\s*\(/i],
  ['generate_series()', /\bgenerate_series\s*\(/i],
  ['read_ndjson / read_json / read_parquet / read_csv', /\bread_(ndjson|json|parquet|csv)\w*\s*\(/i],
  ['hive_partitioning', /hive_partitioning|hive_types/i],
  ['strftime / strptime', /\bstr[fp]time\s*\(/i],
  ['epoch_ms()', /\bepoch_ms\s*\(/i],
  ['isodow() / weekofyear()', /\b(isodow|weekofyear)\s*\(/i],
  ['date_diff() (DuckDB spelling)', /\bdate_diff\s*\(/i],
  ['unquoted INTERVAL n DAY', /\bINTERVAL\s+\d/i],
  ['string_agg() (Snowflake: LISTAGG)', /\bstring_agg\s*\(/i],
  ['list_* / struct_* functions', /\b(list|struct)_[a-z]+\s*\(/i],
  ['INSERT … BY NAME', /(?<!\bALL\s)\bBY\s+NAME\b/i],
  ['CROSS JOIN LATERAL', /CROSS\s+JOIN\s+LATERAL/i],
];

const project = loadProject({ dir: path.join(packageRoot(), 'models'), dialect: snowflakeDialect, targetName: 'snowflake' });
const range = { start: '2024-05-01', end: '2024-05-01' };
const hours = { start: '2024-05-01T05', end: '2024-05-01T06' };
const rangeOf = (m: (typeof project.models)[number]) => (m.materialized !== 'partitioned' ? null : m.partitionGrain === 'hour' ? hours : range);
const compiled = project.models.map((m) => ({
  model: m,
  sql: project.compile(m.name, rangeOf(m)),
  statements: project.statements(m.name, rangeOf(m)),
}));

describe('the shipped models on Snowflake', () => {
  it('all load and compile', () => {
    expect(project.models.length).toBeGreaterThanOrEqual(20);
    for (const c of compiled) expect(c.sql.length, c.model.name).toBeGreaterThan(0);
  });

  it.each(compiled.map((c) => [c.model.name, c] as const))('%s: no DuckDB-only syntax in its SQL or its statements', (_name, c) => {
    for (const text of [c.sql, ...c.statements]) {
      for (const [what, pattern] of DUCKDB_ONLY) expect(pattern.test(text), `${c.model.file}: ${what}`).toBe(false);
    }
  });

  it.each(compiled.map((c) => [c.model.name, c] as const))('%s: refs and sources resolve to Snowflake relations', (_name, c) => {
    const byName = new Map(project.models.map((m) => [m.name, m]));
    const targets = [
      ...c.model.refs.map((r) => quoteRelation(byName.get(r)!.relation)),
      ...c.model.sources.map((s) => quoteRelation(project.docs.sources.find((d) => d.source === s.source && d.table === s.table)!.relation)),
    ];
    for (const target of targets) expect(c.sql, `${c.model.file} reads ${target}`).toMatch(new RegExp(`\\b(from|join)\\s+${target.replace('.', '\\.')}\\b`, 'i'));
  });

  it('materializes each model with the Snowflake statements for its kind', () => {
    for (const { model, statements } of compiled) {
      const main = statements.slice(1);
      if (model.materialized === 'view') expect(main[0], model.name).toMatch(new RegExp(`^CREATE OR REPLACE VIEW ${model.relation} COPY GRANTS AS\\n`));
      if (model.materialized === 'table') expect(main[0], model.name).toMatch(new RegExp(`^CREATE OR REPLACE TABLE ${model.relation} COPY GRANTS AS\\n`));
      if (model.materialized === 'partitioned') {
        expect(main.map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['CREATE TABLE', 'DELETE FROM', 'INSERT INTO']);
        expect(main[1]).toBe(
          model.partitionGrain === 'hour'
            ? `DELETE FROM ${model.relation} WHERE ${model.partitionBy} >= TIMESTAMP '2024-05-01 05:00:00' AND ${model.partitionBy} < TIMESTAMP '2024-05-01 07:00:00'`
            : `DELETE FROM ${model.relation} WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01'`,
        );
      }
    }
  });

  it('reads the lake records as VARIANT paths and flattens arrays with LATERAL FLATTEN', () => {
    const sqlOf = (name: string) => compiled.find((c) => c.model.name === name)!.sql;
    const daily = sqlOf('stg_rawg__games_daily');
    // json_record is the VARIANT itself (parsed at load); its fields are VARIANT paths.
    expect(daily).toContain('select r.dt, r.run_id, r.value as rec');
    expect(daily).toMatch(/TRY_CAST\(rec:id::string AS NUMBER\)\s+as game_id/);
    expect(daily).toMatch(/rec:name::string\s+as name/);
    expect(daily).toMatch(/coalesce\(TRY_CAST\(rec:tba::string AS BOOLEAN\), false\)\s+as tba/);
    expect(daily).toMatch(/THEN CONVERT_TIMEZONE\('UTC', TRY_TO_TIMESTAMP_TZ\(rec:updated::string\)\)::TIMESTAMP_NTZ ELSE TRY_CAST\(rec:updated::string AS TIMESTAMP_NTZ\) END\)\s+as updated_at/);
    expect(daily).toMatch(/rec:esrb_rating\.slug::string\s+as esrb_rating/);
    expect(daily).toMatch(/rec:platforms\s+as platforms/);
    expect(daily).toContain('from raw.rawg_games as r');
    const links = sqlOf('stg_rawg__game_platforms_daily');
    expect(links).toContain(', LATERAL FLATTEN(input => AS_ARRAY(d.platforms), OUTER => FALSE) AS x');
    expect(links).toMatch(/TRY_CAST\(x\.value:platform\.id::string AS NUMBER\)\s+as platform_id/);
  });

  it("compiles the data tests' SQL without DuckDB-only syntax too", () => {
    expect(project.tests.length).toBeGreaterThan(0);
    for (const test of project.tests) {
      const sql = project.testSql(test, range);
      for (const [what, pattern] of DUCKDB_ONLY) expect(pattern.test(sql), `${test.name}: ${what}`).toBe(false);
    }
  });
});

describe('the DuckDB-only patterns', () => {
  it('catch what the DuckDB dialect generates (so the check above can fail)', async () => {
    const duck = loadProject({ dir: path.join(packageRoot(), 'models'), dialect: duckDbDialect });
    const sql = duck.models.map((m) => duck.compile(m.name, null)).join('\n');
    const hits = DUCKDB_ONLY.filter(([, pattern]) => pattern.test(sql)).map(([what]) => what);
    expect(hits).toEqual(expect.arrayContaining(['JSON arrow ->> / ->', "JSONPath literal '$.…'", 'unnest()', 'CROSS JOIN LATERAL']));
  });
});
