import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatLocation } from '../format-location.js';
import { walkFiles } from '../walk-files.js';
import type { DataTest, ModelDoc, SourceTableDoc } from './data-test.js';
import { parseTestEntry } from './parse-test-entry.js';
import { isPlainSchemaFile } from './plain-properties.js';
import { readYaml } from './read-yaml.js';
import { schemaFileSchema, type SchemaFile } from './schema-file-schema.js';

/** The project file, which is not a properties file. */
export const PROJECT_FILE = 'gmp_project.yml';

export interface SchemaFiles {
  models: ModelDoc[];
  sources: SourceTableDoc[];
  /** Generic tests as declared; whether their models exist is checked once models are known. */
  tests: DataTest[];
  problems: string[];
}

/**
 * Reads every `*.yml` under the models folder (but the project file): validates each, collecting
 * every problem (syntax, shape, test arguments, a model or column documented twice) with its file
 * and line.
 */
export function loadSchemaFiles(dir: string): SchemaFiles {
  return parseSchemaFiles(readSchemaFileTexts(dir));
}

/** The property files under `dir` (but the project file), sorted, as `{ file, text }` with `file` relative. */
export function readSchemaFileTexts(dir: string): { file: string; text: string }[] {
  return walkYaml(dir)
    .map((full) => ({ file: path.relative(dir, full).split(path.sep).join('/'), full }))
    .filter((f) => f.file !== PROJECT_FILE)
    .map((f) => ({ file: f.file, text: readFileSync(f.full, 'utf8') }));
}

/** loadSchemaFiles over texts already read. */
export function parseSchemaFiles(texts: readonly { file: string; text: string }[]): SchemaFiles {
  const out: SchemaFiles = { models: [], sources: [], tests: [], problems: [] };
  const modelAt = new Map<string, string>();
  const sourceAt = new Map<string, string>();
  for (const { file, text } of texts) {
    const yaml = readYaml(file, text);
    out.problems.push(...yaml.problems);
    if (yaml.problems.length > 0) continue;
    const at = (p: readonly PropertyKey[]): string => formatLocation(file, yaml.lineOf(p));
    const value = yaml.value ?? {};
    const parsed = isPlainSchemaFile(value) ? { success: true as const, data: value } : schemaFileSchema().safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        // An unknown key is located at the key itself, not at the mapping holding it.
        const located = i.code === 'unrecognized_keys' && i.keys[0] !== undefined ? [...i.path, i.keys[0]] : i.path;
        out.problems.push(`${at(located)}: ${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
      }
      continue;
    }
    const spec: SchemaFile = parsed.data;
    (spec.sources ?? []).forEach((s, si) => {
      s.tables.forEach((t, ti) => {
        const where = at(['sources', si, 'tables', ti]);
        const key = `${s.name}.${t.name}`;
        const twin = sourceAt.get(key);
        if (twin) out.problems.push(`${where}: source ${key} is also declared at ${twin}`);
        sourceAt.set(key, twin ?? where);
        const f = t.freshness === undefined ? s.freshness : t.freshness;
        const toHours = (h: { count: number; period: string } | undefined): number | undefined =>
          h === undefined ? undefined : h.count * (h.period === 'day' ? 24 : h.period === 'minute' ? 1 / 60 : 1);
        const loadedAtField = t.loaded_at_field ?? s.loaded_at_field;
        out.sources.push({
          source: s.name,
          table: t.name,
          relation: `${s.schema ?? 'raw'}.${t.identifier ?? `${s.name}_${t.name}`}`,
          description: t.description ?? '',
          freshness: f ? { warnAfterHours: toHours(f.warn_after), errorAfterHours: toHours(f.error_after), ...(loadedAtField ? { loadedAtField } : {}) } : undefined,
          where,
        });
      });
    });
    (spec.models ?? []).forEach((m, mi) => {
      const where = at(['models', mi]);
      const twin = modelAt.get(m.name);
      if (twin) {
        out.problems.push(`${where}: model ${m.name} is also documented at ${twin}`);
        return;
      }
      modelAt.set(m.name, where);
      const seen = new Set<string>();
      const columns = m.columns ?? [];
      columns.forEach((c, ci) => {
        if (seen.has(c.name)) out.problems.push(`${at(['models', mi, 'columns', ci])}: column ${m.name}.${c.name} is documented twice`);
        seen.add(c.name);
        const key = c.tests ? 'tests' : 'data_tests';
        (c.tests ?? c.data_tests ?? []).forEach((entry, ti) => collect(entry, m.name, c.name, at(['models', mi, 'columns', ci, key, ti])));
      });
      const key = m.tests ? 'tests' : 'data_tests';
      (m.tests ?? m.data_tests ?? []).forEach((entry, ti) => collect(entry, m.name, undefined, at(['models', mi, key, ti])));
      out.models.push({ name: m.name, description: m.description?.trim(), columns: columns.map((c) => ({ name: c.name, description: c.description?.trim() ?? '' })), where });
    });
  }
  return out;

  function collect(entry: unknown, model: string, column: string | undefined, where: string): void {
    const { test, problems } = parseTestEntry(entry, { model, column, where });
    out.problems.push(...problems);
    if (test) out.tests.push(test);
  }
}

function walkYaml(dir: string): string[] {
  return walkFiles(dir, (name) => /\.ya?ml$/.test(name));
}
