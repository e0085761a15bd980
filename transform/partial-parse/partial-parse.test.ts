import { appendFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckDbDialect } from '../../warehouse/index.js';
import { loadProject, type LoadProjectOptions } from '../compile-project.js';
import { writeTempProject } from '../../tests/helpers/temp-project.js';
import { tempDir } from '../../tests/helpers/workspace.js';

const FILES = {
  'macros/money.sql': "{% macro cents(column) %}round({{ column }} / 100.0, 2){% endmacro %}",
  'staging/stg_orders.sql': "select id, {{ cents('amount') }} as amount from {{ source('shop', 'orders') }}",
  'staging/stg_users.sql': "select id, name from {{ source('shop', 'users') }}",
  'staging/eph_active.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('stg_users') }} where active",
  'marts/fct_orders.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect o.*, u.name from {{ ref('stg_orders') }} o join {{ ref('eph_active') }} a using (id) join {{ ref('stg_users') }} u using (id)",
  'marts/dim_users.sql': "-- Users.\nselect * from {{ ref('stg_users') }} where '{{ var('flag', 'off') }}' = 'off'",
  'marts/env_tagged.sql': "select '{{ env_var('GMP_TEST_TAG', 'none') }}' as tag from {{ ref('dim_users') }}",
  'staging/sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n      - name: users\n',
  'marts/marts.yml': 'version: 2\nmodels:\n  - name: dim_users\n    description: One row per user.\n    columns:\n      - name: id\n        tests: [unique, not_null]\n',
};

/** Loads with the cache (or without, for the reference) and returns the report and everything the load yields. */
function load(dir: string, cache: string | undefined, extra: Partial<LoadProjectOptions> = {}) {
  const project = loadProject({ dir, dialect: duckDbDialect, ...(cache ? { partialParse: cache } : {}), env: { GMP_TEST_TAG: 'x' }, ...extra });
  const sql = Object.fromEntries(project.nodes.map((n) => [n.name, project.compile(n.name, null)]));
  return {
    report: project.parseReport,
    sql,
    models: project.models,
    tests: project.tests.map((t) => ({ ...t })),
    docs: [...project.docs.models.values()],
  };
}

function setup() {
  const dir = writeTempProject(FILES);
  return { dir, cache: path.join(tempDir('gmp-pp-'), 'partial-parse', 'cache.json') };
}

/** A cold load without any cache: what every cached load must equal. */
function reference(dir: string, extra: Partial<LoadProjectOptions> = {}) {
  const { report: _report, ...rest } = load(dir, undefined, extra);
  return rest;
}

describe('partial parsing', () => {
  it('reuses every unchanged model on a second load, with the same result as a cold load', () => {
    const { dir, cache } = setup();
    const cold = load(dir, cache);
    expect(cold.report).toEqual({ cache: 'cold', parsed: 6, reused: 0 });
    expect(existsSync(cache)).toBe(true);
    const warm = load(dir, cache);
    // env_tagged reads env_var(): never cached.
    expect(warm.report).toEqual({ cache: 'warm', parsed: 1, reused: 5 });
    const { report: _r, ...rest } = warm;
    expect(rest).toEqual(reference(dir));
  });

  it('parses again only the model whose file changed, and compiles its new SQL', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    appendFileSync(path.join(dir, 'staging/stg_users.sql'), ' -- edited');
    const warm = load(dir, cache);
    expect(warm.report).toEqual({ cache: 'warm', parsed: 2, reused: 4 });
    expect(warm.sql.stg_users).toBe('select id, name from raw.shop_users -- edited');
    const { report: _r, ...rest } = warm;
    expect(rest).toEqual(reference(dir));
  });

  it('parses again only the models that read a changed macro', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    writeFileSync(path.join(dir, 'macros/money.sql'), "{% macro cents(column) %}({{ column }} / 100){% endmacro %}");
    const warm = load(dir, cache);
    // stg_orders calls cents(); env_tagged is never cached.
    expect(warm.report).toEqual({ cache: 'warm', parsed: 2, reused: 4 });
    expect(warm.sql.stg_orders).toBe('select id, (amount / 100) as amount from raw.shop_orders');
    const { report: _r, ...rest } = warm;
    expect(rest).toEqual(reference(dir));
  });

  it('parses again the models reading a name a new macro defines', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    writeFileSync(path.join(dir, 'macros/shadow.sql'), "{% macro source(s, t) %}{{ s }}_{{ t }}_shadowed{% endmacro %}");
    const warm = load(dir, cache);
    // stg_orders and stg_users call source(), now a macro.
    expect(warm.report).toEqual({ cache: 'warm', parsed: 3, reused: 3 });
    expect(warm.sql.stg_users).toBe('select id, name from shop_users_shadowed');
    const { report: _r, ...rest } = warm;
    expect(rest).toEqual(reference(dir));
  });

  it('parses every model again when a macro file does more at its top level than define macros', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    // A top-level call runs for every model, whether it reads a macro or not.
    writeFileSync(path.join(dir, 'macros/tagging.sql'), "{{ config(tags=['every_model']) }}{% macro noop() %}{% endmacro %}");
    const warm = load(dir, cache);
    expect(warm.report).toEqual({ cache: 'warm', parsed: 6, reused: 0 });
    expect(warm.models.find((m) => m.name === 'dim_users')?.tags).toEqual(['every_model']);
    const { report: _r, ...rest } = warm;
    expect(rest).toEqual(reference(dir));
    writeFileSync(path.join(dir, 'macros/tagging.sql'), '{% macro noop() %}{% endmacro %}');
    expect(load(dir, cache).report).toEqual({ cache: 'warm', parsed: 6, reused: 0 });
  });

  it('parses again a model whose refs or sources now resolve elsewhere', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    // stg_users moves to marts: every model reading it renders another relation.
    mkdirSync(path.join(dir, 'marts'), { recursive: true });
    renameSync(path.join(dir, 'staging/stg_users.sql'), path.join(dir, 'marts/stg_users.sql'));
    writeFileSync(path.join(dir, 'staging/sources.yml'), 'version: 2\nsources:\n  - name: shop\n    schema: landing\n    tables:\n      - name: orders\n      - name: users\n');
    const warm = load(dir, cache);
    expect(warm.report.reused).toBe(0);
    expect(warm.sql.dim_users).toContain('from marts.stg_users');
    expect(warm.sql.stg_orders).toContain('from landing.shop_orders');
    const { report: _r, ...rest } = warm;
    expect(rest).toEqual(reference(dir));
  });

  it('parses everything again for other vars or another target', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    expect(load(dir, cache, { vars: { flag: 'on' } }).report).toEqual({ cache: 'rebuilt', parsed: 6, reused: 0 });
    const prod = load(dir, cache, { vars: { flag: 'on' }, targetName: 'prod' });
    expect(prod.report.reused).toBe(0);
    expect(prod.sql.dim_users).toContain("'on' = 'off'");
  });

  it('ignores and rewrites a corrupt or foreign cache', () => {
    const { dir, cache } = setup();
    load(dir, cache);
    for (const junk of ['{"format": 1, "models": {', 'null', '{"format": 999, "models": {}}', JSON.stringify({ format: 1, compiler: 'x', inputs: 'y', macros: { digest: 'z' }, schema: null, models: {} })]) {
      writeFileSync(cache, junk);
      const again = load(dir, cache);
      expect(again.report).toEqual({ cache: 'rebuilt', parsed: 6, reused: 0 });
      const { report: _r, ...rest } = again;
      expect(rest).toEqual(reference(dir));
      expect(load(dir, cache).report.cache).toBe('warm');
    }
  });

  it('is neither read nor written when not asked for', () => {
    const { dir, cache } = setup();
    expect(load(dir, undefined).report).toEqual({ cache: 'off', parsed: 6, reused: 0 });
    expect(existsSync(cache)).toBe(false);
  });
});
