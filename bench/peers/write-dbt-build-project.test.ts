import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { loadProject } from '../../transform/index.js';
import { duckDbDialect } from '../../warehouse/index.js';
import { withJinjaNames, writeDbtBuildProject } from './write-dbt-build-project.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The generated dbt SQL with its Jinja resolved back to gmp's relations, header lines dropped. */
function resolveJinja(text: string, relationOfRef: (name: string) => string, relationOfSource: (s: string, t: string) => string): string {
  return text
    .replace(/^(\{\{ config\([^)]*\) \}\}\n)?-- gmp: [^\n]*\n/, '')
    .replace(/\{% raw %\}|\{% endraw %\}/g, '')
    .replace(/\{\{ ref\('(\w+)'\) \}\}/g, (_, name: string) => relationOfRef(name))
    .replace(/\{\{ source\('(\w+)', '(\w+)'\) \}\}/g, (_, s: string, t: string) => relationOfSource(s, t));
}

describe('writeDbtBuildProject over the shipped models', () => {
  const project = loadProject({ dir: path.join(packageRoot(), 'models'), dialect: duckDbDialect });
  const sourceSelects = new Map(project.models.flatMap((m) => m.sources).map((s) => [project.sourceRelation(s.source, s.table), `SELECT 1 AS dt`]));
  for (const doc of project.docs.sources) sourceSelects.set(doc.relation, `SELECT '$' AS dt`);

  it('gives dbt every built model with gmp compiled SQL, each relation it reads a ref() or source()', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmp-dbt-build-'));
    dirs.push(dir);
    const written = writeDbtBuildProject(dir, project, { sourceSelects, warehouseFile: path.join(dir, 'w.duckdb'), threads: 2 });
    expect(written.models).toBe(project.models.length);
    const relationOf = new Map(project.models.map((m) => [m.name, m.relation]));
    for (const m of project.models) {
      const text = readFileSync(path.join(dir, 'models', m.schema, `${m.name}.sql`), 'utf8');
      expect(text.startsWith(`{{ config(materialized='${m.materialized === 'view' ? 'view' : 'table'}', schema='${m.schema}') }}`)).toBe(true);
      for (const r of m.refs) expect(text).toContain(`{{ ref('${r}') }}`);
      for (const s of m.sources) expect(text).toContain(`{{ source('${s.source}', '${s.table}') }}`);
      const back = resolveJinja(text, (n) => relationOf.get(n)!, (s, t) => project.sourceRelation(s, t));
      expect(back.trimEnd()).toBe(project.compile(m.name, null).trimEnd());
    }
  });

  it('gives dbt every data test as a singular test selecting the same failing rows, warn tests as warnings', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmp-dbt-build-'));
    dirs.push(dir);
    const written = writeDbtBuildProject(dir, project, { sourceSelects, warehouseFile: path.join(dir, 'w.duckdb'), threads: 2 });
    expect(written.tests).toBe(project.tests.length);
    expect(readdirSync(path.join(dir, 'tests'))).toHaveLength(project.tests.length);
    const relationOf = new Map(project.models.map((m) => [m.name, m.relation]));
    for (const t of project.tests) {
      const text = readFileSync(path.join(dir, 'tests', `${t.model}__${t.name}.sql`), 'utf8');
      expect(text.includes(`{{ config(severity='warn') }}`)).toBe(t.severity === 'warn');
      expect(text).toContain(`{{ ref('${t.model}') }}`);
      const back = resolveJinja(text, (n) => relationOf.get(n)!, (s, t2) => project.sourceRelation(s, t2));
      expect(back.trimEnd()).toBe(project.testSql(t, null).trimEnd());
    }
    const sources = readFileSync(path.join(dir, 'models', 'sources.yml'), 'utf8');
    // string.Template (dbt-duckdb's `template` formatter) reads `$$` as a `$`.
    expect(sources).toContain(`external_location: "(SELECT '$$' AS dt)"`);
  });

  it('refuses a project whose models read a source without lake files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmp-dbt-build-'));
    dirs.push(dir);
    expect(() => writeDbtBuildProject(dir, project, { sourceSelects: new Map(), warehouseFile: 'w.duckdb', threads: 1 })).toThrow(/no lake files for the sources .*raw\.rawg_games/);
  });
});

describe('withJinjaNames', () => {
  const names = new Map([
    ['staging.stg_a', "{{ ref('stg_a') }}"],
    ['raw.rawg_games', "{{ source('rawg', 'games') }}"],
  ]);

  it('replaces whole relation names only', () => {
    expect(withJinjaNames('select * from staging.stg_a join staging.stg_a_daily on x.staging.stg_a = 1 join raw.rawg_games g', names)).toBe(
      "select * from {{ ref('stg_a') }} join staging.stg_a_daily on x.staging.stg_a = 1 join {{ source('rawg', 'games') }} g\n",
    );
  });

  it('keeps text Jinja would read as raw text', () => {
    expect(withJinjaNames("select '{{x}}' as a from staging.stg_a", names)).toBe("{% raw %}select '{{x}}' as a from {% endraw %}{{ ref('stg_a') }}\n");
  });
});
