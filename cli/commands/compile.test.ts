import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { runGmp } from '../../tests/helpers/run-gmp.js';
import { tempDir } from '../../tests/helpers/workspace.js';

// Runs the built binary (`npm run build` first), as users do.
function modelsDir(files: Record<string, string>): string {
  const dir = tempDir('gmp-compile-');
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

describe('gmp compile', () => {
  it('prints the compiled SQL of the shipped models, selected by glob', () => {
    const result = runGmp(['compile', '--select', 'stg_rawg__genres,marts/dim_g*'], { cwd: tempDir('gmp-e2e-') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('-- staging.stg_rawg__genres (view, staging/stg_rawg__genres.sql)');
    expect(result.stdout).toContain('from raw.rawg_genres as r');
    expect(result.stdout).toMatch(/-- marts\.dim_games \(table[^]*-- marts\.dim_genres \(table/);
    expect(result.stdout).not.toContain('stg_rawg__platforms (');
  });

  it('writes <out>/<schema>/<name>.sql for a project dir, with vars, macros and ephemerals', () => {
    const project = modelsDir({
      'macros/m.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}',
      'staging/eph.sql': "{{ config(materialized='ephemeral') }}\nselect {{ twice(var('n')) }} as v",
      'marts/out.sql': "select v from {{ ref('eph') }} where '{{ env_var('GMP_TEST_FLAG', 'off') }}' = 'on'",
    });
    const out = path.join(tempDir('gmp-out-'), 'compiled');
    const result = runGmp(['compile', '--project-dir', project, '--out', out, '--vars', '{"n": 21}'], { cwd: tempDir('gmp-e2e-'), env: { GMP_TEST_FLAG: 'on' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['marts', 'staging']);
    expect(readFileSync(path.join(out, 'marts', 'out.sql'), 'utf8')).toBe(
      "WITH __gmp_cte__eph AS (\nselect (21 * 2) as v\n)\nselect v from __gmp_cte__eph where 'on' = 'on'\n",
    );
    expect(readFileSync(path.join(out, 'staging', 'eph.sql'), 'utf8')).toBe('select (21 * 2) as v\n');
    expect(result.stdout.trim().split('\n')).toEqual([path.join(out, 'staging', 'eph.sql'), path.join(out, 'marts', 'out.sql')]);
  });

  it('exits 2 with every definition problem of a broken project, writing nothing', () => {
    const project = modelsDir({
      'staging/stg_ok.sql': 'select 1 as id',
      'marts/broken.sql': "select * from {{ ref('stg_okk') }}",
      'marts/cycle_a.sql': "select * from {{ ref('cycle_b') }}",
      'marts/cycle_b.sql': "select * from {{ ref('cycle_a') }}",
      'marts/bad_config.sql': "{{ config(materialized='snapshot') }} select 1",
    });
    const out = path.join(tempDir('gmp-out-'), 'compiled');
    const result = runGmp(['compile', '--project-dir', project, '--out', out], { cwd: tempDir('gmp-e2e-') });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: 3 definition problems in \S+:$/m);
    expect(result.stderr).toContain("marts/broken.sql:1: unknown ref('stg_okk')");
    expect(result.stderr).toContain('marts/cycle_a.sql:1: ref cycle cycle_a -> cycle_b -> cycle_a');
    expect(result.stderr).toContain("marts/bad_config.sql:1: config materialized='snapshot'");
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });

  it('keeps a partial-parse cache in GMP_HOME that an edit invalidates; --no-partial-parse neither reads nor writes it', () => {
    const project = modelsDir({
      'macros/m.sql': '{% macro twice(x) %}({{ x }} * 2){% endmacro %}',
      'staging/stg_a.sql': 'select {{ twice(1) }} as v',
      'marts/fct_b.sql': "select v from {{ ref('stg_a') }}",
    });
    const cwd = tempDir('gmp-e2e-');
    const home = path.join(cwd, 'home');
    const compile = (...extra: string[]) => runGmp(['compile', '--project-dir', project, ...extra], { cwd, env: { GMP_HOME: home } });
    const off = compile('--no-partial-parse');
    expect(off.status).toBe(0);
    expect(existsSync(path.join(home, 'partial-parse'))).toBe(false);
    const cold = compile();
    expect(cold.stderr).toBe('');
    expect(cold.stdout).toBe(off.stdout);
    expect(readdirSync(path.join(home, 'partial-parse'))).toEqual([expect.stringMatching(/^[0-9a-f]{16}-duckdb\.json$/)]);
    expect(compile().stdout).toBe(cold.stdout);
    appendFileSync(path.join(project, 'staging', 'stg_a.sql'), ', 3 as w');
    writeFileSync(path.join(project, 'macros', 'm.sql'), '{% macro twice(x) %}(2 * {{ x }}){% endmacro %}');
    const edited = compile();
    expect(edited.stdout).toContain('select (2 * 1) as v, 3 as w');
    expect(edited.stdout).toBe(compile('--no-partial-parse').stdout);
  });

  it('exits 2 on an unknown selection or target', () => {
    const cwd = tempDir('gmp-e2e-');
    const unknown = runGmp(['compile', '--select', 'dim_gamez'], { cwd });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: no model matches "dim_gamez"/);
    const target = runGmp(['compile', '--target', 'oracle'], { cwd });
    expect(target.status).toBe(2);
    expect(target.stderr).toMatch(/unknown --target "oracle": expected duckdb, snowflake or postgres/);
  });

  it('compiles for Snowflake: VARIANT paths, FLATTEN, and target.type in templates', () => {
    const result = runGmp(['compile', '--target', 'snowflake', '--select', 'stg_rawg__games_daily,stg_rawg__game_genres_daily'], { cwd: tempDir('gmp-e2e-') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/TRY_CAST\(rec:id::string AS NUMBER\)\s+as game_id/);
    expect(result.stdout).toContain(', LATERAL FLATTEN(input => AS_ARRAY(d.genres), OUTER => FALSE) AS x');
    expect(result.stdout).not.toContain('->>');
  });

  it('never reuses a partial parse made by another build of gmp: touching one file of the bundle invalidates it', () => {
    // A copy of the built gmp (bin/, the bundle, package.json; node_modules linked) whose files the test may touch.
    const root = packageRoot();
    const gmp = tempDir('gmp-copy-');
    cpSync(path.join(root, 'bin'), path.join(gmp, 'bin'), { recursive: true });
    cpSync(path.join(root, 'dist', 'gmp'), path.join(gmp, 'dist', 'gmp'), { recursive: true });
    copyFileSync(path.join(root, 'package.json'), path.join(gmp, 'package.json'));
    symlinkSync(path.join(root, 'node_modules'), path.join(gmp, 'node_modules'), 'dir');
    const project = modelsDir({ 'staging/stg_a.sql': 'select 41 as answer' });
    const home = path.join(tempDir('gmp-e2e-'), 'home');
    const compile = (): string => {
      const result = spawnSync(process.execPath, [path.join(gmp, 'bin', 'gmp.js'), 'compile', '--project-dir', project], {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, GMP_HOME: home },
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return result.stdout;
    };
    expect(compile()).toContain('select 41 as answer');
    // Doctor the cache: the same gmp takes the model's SQL from it, as nothing changed.
    const cache = path.join(home, 'partial-parse', readdirSync(path.join(home, 'partial-parse'))[0]!);
    writeFileSync(cache, readFileSync(cache, 'utf8').replace('select 41 as answer', 'select 42 as answer'));
    expect(compile()).toContain('select 42 as answer');
    // As a rebuild does: one file of the bundle gets a newer modification time.
    const bundle = path.join(gmp, 'dist', 'gmp');
    const chunk = path.join(bundle, readdirSync(bundle).find((f) => f.startsWith('chunk-') && f.endsWith('.js'))!);
    const later = new Date(Date.now() + 60_000);
    utimesSync(chunk, later, later);
    expect(compile()).toContain('select 41 as answer');
  });

  it('compiles a valid project in a valid environment without loading zod or pino (they load only to explain a problem)', () => {
    const project = modelsDir({
      'gmp_project.yml': 'name: shop\nmodels:\n  staging:\n    materialized: view\n',
      'staging/stg_a.sql': 'select 1 as id',
      'staging/schema.yml': 'version: 2\nmodels:\n  - name: stg_a\n    columns:\n      - name: id\n        tests: [unique, not_null, {accepted_values: {values: [1, 2]}}]\n',
    });
    // zod (bundled into gmp, or any other copy) marks globalThis when it loads; pino is required from node_modules.
    const script = `
      import { createRequire } from 'node:module';
      const { main } = await import(${JSON.stringify(path.join(packageRoot(), 'dist', 'gmp', 'main.js'))});
      const out = process.stdout.write.bind(process.stdout);
      let sql = '';
      process.stdout.write = (chunk) => { sql += chunk; return true; };
      await main(['node', 'gmp', 'compile', '--project-dir', ${JSON.stringify(project)}]);
      process.stdout.write = out;
      const pino = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/pino/'));
      out(JSON.stringify({ sql, zod: '__zod_globalConfig' in globalThis, pino }));
    `;
    const loaded = (env: Record<string, string>): { zod: boolean; pino: boolean } => {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: tempDir('gmp-e2e-'),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, GMP_HOME: path.join(tempDir('gmp-e2e-'), 'home'), ...env },
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const { sql, zod, pino } = JSON.parse(result.stdout) as { sql: string; zod: boolean; pino: boolean };
      expect(sql).toContain('-- staging.stg_a (view, staging/stg_a.sql)');
      return { zod, pino };
    };
    expect(loaded({ RAWG_CONCURRENCY: '8', GMP_LOG_LEVEL: 'debug' })).toEqual({ zod: false, pino: false });
    // The control: an invalid variable (compile reads the environment leniently) needs zod's message.
    expect(loaded({ RAWG_CONCURRENCY: 'eight' })).toEqual({ zod: true, pino: false });
  });
});
