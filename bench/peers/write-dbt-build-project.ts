import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../../transform/index.js';

export interface DbtBuildProjectOptions {
  /** The SELECT each source relation (`raw.rawg_games`) stands for: dbt-duckdb reads it in place of the source. */
  sourceSelects: ReadonlyMap<string, string>;
  /** The DuckDB file dbt builds into. */
  warehouseFile: string;
  threads: number;
  /** Write the project's data tests as singular dbt tests (default true). */
  tests?: boolean;
}

export interface DbtBuildProject {
  models: number;
  tests: number;
  /** gmp's materialization → how many models had it (each is a dbt `view` or `table`). */
  materializations: Record<string, number>;
}

/** The materializations dbt builds as tables: gmp's partitioned and incremental models, built whole. */
const AS_TABLE = new Set(['table', 'partitioned', 'incremental']);

/**
 * gmp's own project as a dbt project under `dir`, derived from whatever models `project` holds:
 * each built model's compiled DuckDB SQL for the whole range (partition null, no relation yet, so
 * an incremental model's full build), relations turned back into `{{ ref() }}`/`{{ source() }}`,
 * materialized `view` or `table` (partitioned and incremental models are tables), in its gmp schema;
 * each source an external location (dbt-duckdb's `meta.external_location`) holding the SELECT gmp's
 * raw view runs; each data test a singular dbt test selecting the failing rows gmp's check counts,
 * with its severity. Throws when a model reads a source `sourceSelects` lacks.
 */
export function writeDbtBuildProject(dir: string, project: Project, options: DbtBuildProjectOptions): DbtBuildProject {
  const write = (rel: string, text: string): void => {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  const relationOf = new Map(project.models.map((m) => [m.name, m.relation]));
  const sources = new Map<string, { source: string; table: string }>();
  const addSource = (s: { source: string; table: string }): void => void sources.set(project.sourceRelation(s.source, s.table), s);
  for (const m of project.models) m.sources.forEach(addSource);
  for (const doc of project.docs.sources) addSource(doc);
  const sourceJinja = new Map([...sources].map(([relation, s]) => [relation, `{{ source('${s.source}', '${s.table}') }}`]));

  const materializations: Record<string, number> = {};
  const read = new Set<string>();
  for (const m of project.models) {
    materializations[m.materialized] = (materializations[m.materialized] ?? 0) + 1;
    const names = new Map(m.refs.map((r) => [relationOf.get(r)!, `{{ ref('${r}') }}`]));
    for (const s of m.sources) {
      const relation = project.sourceRelation(s.source, s.table);
      names.set(relation, sourceJinja.get(relation)!);
      read.add(relation);
    }
    const materialized = AS_TABLE.has(m.materialized) ? 'table' : 'view';
    const header = `{{ config(materialized='${materialized}', schema='${m.schema}') }}\n-- gmp: ${m.file}, materialized='${m.materialized}'\n`;
    write(path.join('models', m.schema, `${m.name}.sql`), header + withJinjaNames(project.compile(m.name, null), names));
  }
  const missing = [...read].filter((r) => !options.sourceSelects.has(r));
  if (missing.length > 0) throw new Error(`no lake files for the sources ${missing.join(', ')}`);

  const tests = options.tests === false ? [] : project.tests;
  for (const t of tests) {
    const names = new Map([...sourceJinja].filter(([relation]) => options.sourceSelects.has(relation)));
    for (const model of [t.model, ...t.reads]) names.set(relationOf.get(model)!, `{{ ref('${model}') }}`);
    const header = t.severity === 'warn' ? `{{ config(severity='warn') }}\n` : '';
    write(path.join('tests', `${t.model}__${t.name}.sql`), `${header}-- gmp: ${t.where}\n${withJinjaNames(project.testSql(t, null), names)}`);
  }

  write('models/sources.yml', sourcesYml([...sources].filter(([relation]) => options.sourceSelects.has(relation)), options.sourceSelects));
  write('dbt_project.yml', `name: gmp_peer\nversion: '1.0'\nconfig-version: 2\nprofile: gmp_peer\n`);
  write(
    'profiles.yml',
    `gmp_peer:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${JSON.stringify(options.warehouseFile)}\n      threads: ${options.threads}\n`,
  );
  // dbt prefixes a custom schema with the target's (`main_marts`); gmp's relations are `marts.x`.
  write(
    'macros/generate_schema_name.sql',
    `{% macro generate_schema_name(custom_schema_name, node) -%}\n{{ (custom_schema_name or target.schema) | trim }}\n{%- endmacro %}\n`,
  );
  return { models: project.models.length, tests: tests.length, materializations };
}

/**
 * `sql` with each relation of `names` (a whole `schema.name`, not part of a longer name) replaced by
 * its Jinja call, and any other text that Jinja would read (`{{`, `{%`, `{#`) kept raw.
 */
export function withJinjaNames(sql: string, names: ReadonlyMap<string, string>): string {
  const text = sql.endsWith('\n') ? sql : `${sql}\n`;
  if (names.size === 0) return raw(text);
  const alternatives = [...names.keys()].sort((a, b) => b.length - a.length).map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w."])(${alternatives.join('|')})(?![\\w"])`, 'g');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    out += raw(text.slice(last, match.index)) + names.get(match[1]!)!;
    last = match.index + match[0].length;
  }
  return out + raw(text.slice(last));
}

function raw(text: string): string {
  return /\{[{%#]/.test(text) ? `{% raw %}${text}{% endraw %}` : text;
}

function sourcesYml(sources: [string, { source: string; table: string }][], selects: ReadonlyMap<string, string>): string {
  const bySource = new Map<string, [string, string][]>();
  for (const [relation, s] of sources) bySource.set(s.source, [...(bySource.get(s.source) ?? []), [s.table, relation]]);
  const lines = ['version: 2', 'sources:'];
  for (const [source, tables] of [...bySource].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  - name: ${source}`, '    tables:');
    for (const [table, relation] of tables.sort(([a], [b]) => a.localeCompare(b))) {
      // The `template` formatter (string.Template) reads `$`; the SELECT is a function call, so it is not quoted.
      const location = `(${selects.get(relation)!})`.replace(/\$/g, '$$$$');
      lines.push(`      - name: ${table}`, '        meta:', `          external_location: ${JSON.stringify(location)}`, '          formatter: template');
    }
  }
  return `${lines.join('\n')}\n`;
}
