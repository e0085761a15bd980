import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSyntheticProject } from '../bench/write-synthetic-project.js';
import { packageRoot } from '../core/index.js';
import { tempDir } from '../tests/helpers/workspace.js';
import { dialectFor, WAREHOUSE_TYPES, type PartitionRange } from '../warehouse/index.js';
import { loadMacros, type MacroLibrary } from './load-macros.js';
import { loadModelFiles } from './load-models.js';
import type { Materialization, ModelFile } from './model.js';
import { renderModel, renderModelWithEngine, renderModelWithNunjucks, type RenderOptions, type RenderResult } from './render-model.js';

// Every model, macro and singular test of the shipped project, of a generated benchmark project and
// every template the test suites write, rendered by the template engine and by nunjucks for each
// warehouse, for the parse pass and for partitioned, hourly and incremental runs: the same SQL, refs,
// sources, config and problems (the engine also reports the names it read).

const SCENARIOS: { label: string; partition: PartitionRange | null; incremental: boolean; materialized?: Materialization }[] = [
  { label: 'parse pass', partition: null, incremental: false },
  { label: 'a day', partition: { start: '2024-05-01', end: '2024-05-03' }, incremental: false, materialized: 'partitioned' },
  { label: 'hours', partition: { start: '2024-05-01T10', end: '2024-05-01T12' }, incremental: false, materialized: 'partitioned' },
  { label: 'an incremental run', partition: null, incremental: true, materialized: 'incremental' },
  { label: 'an ephemeral inline', partition: null, incremental: false, materialized: 'ephemeral' },
];

function projectFiles(dir: string): ModelFile[] {
  let tests: string[] = [];
  try {
    tests = readdirSync(path.join(dir, 'tests')).filter((n) => n.endsWith('.sql'));
  } catch {
    tests = [];
  }
  const singular = tests.map((n) => ({ name: n.slice(0, -4), file: `tests/${n}`, schema: 'tests', template: readFileSync(path.join(dir, 'tests', n), 'utf8') }));
  return [...loadModelFiles(dir), ...singular];
}

function options(file: ModelFile, type: (typeof WAREHOUSE_TYPES)[number], scenario: (typeof SCENARIOS)[number], macros: MacroLibrary | undefined): RenderOptions {
  const dialect = dialectFor(type);
  return {
    dialect,
    target: { name: 'dev', type: dialect.name, partition: scenario.partition, vars: { start_date: '2021-01-01' } },
    resolveRef: (name) => (name.startsWith('missing') ? undefined : scenario.materialized === 'ephemeral' ? `__gmp_cte__${name}` : `marts.${name}`),
    resolveSource: (source, table) => `raw.${source}_${table}`,
    self: `${file.schema}.${file.name}`,
    materialized: scenario.materialized ?? (file.schema === 'staging' ? 'view' : 'table'),
    incremental: scenario.incremental,
    env: { GMP_FLAVOUR: 'spicy' },
    ...(macros ? { macros } : {}),
  };
}

type Outcome = { result: Omit<RenderResult, 'names'> } | { error: string };

function outcome(render: () => RenderResult): Outcome {
  try {
    const { names: _names, ...result } = render();
    return { result };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Renders `file` both ways in every warehouse and scenario; returns how many renders the engine did. */
function expectSameRenders(file: ModelFile, macros: MacroLibrary | undefined, mustRender: boolean): number {
  let rendered = 0;
  for (const type of WAREHOUSE_TYPES) {
    for (const scenario of SCENARIOS) {
      const opts = options(file, type, scenario, macros);
      const mine = outcome(() => renderModelWithEngine(file, opts));
      const theirs = outcome(() => renderModelWithNunjucks(file, opts));
      if ('result' in mine) {
        expect({ file: file.file, type, scenario: scenario.label, ...theirs }).toEqual({ file: file.file, type, scenario: scenario.label, ...mine });
        rendered++;
      } else if (mustRender) {
        expect.fail(`the engine did not render ${file.file} (${type}, ${scenario.label}): ${mine.error}; nunjucks: ${JSON.stringify(theirs).slice(0, 300)}`);
      }
      // Whatever engine renders it, renderModel gives nunjucks' result or nunjucks' error.
      expect(outcome(() => renderModel(file, opts))).toEqual(theirs);
    }
  }
  return rendered;
}

describe('models render the same with the template engine as with nunjucks', () => {
  it('every model, macro and singular test shipped in models/', () => {
    const dir = path.join(packageRoot(), 'models');
    const { library, problems } = loadMacros(dir);
    expect(problems).toEqual([]);
    expect(library.engineExports).toBeDefined();
    expect(library.names).toEqual(['current_version', 'rawg_day_records', 'safe_divide']);
    const files = projectFiles(dir);
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) expectSameRenders(file, library, true);
  });

  it('every model of a generated benchmark project', () => {
    const dir = tempDir('gmp-differential-');
    writeSyntheticProject(dir, 300);
    const { library } = loadMacros(dir);
    expect(library.engineExports).toBeDefined();
    const files = projectFiles(dir);
    expect(files).toHaveLength(301);
    // Every staging model and every mart are alike but for names: a sample of each kind suffices.
    for (const file of files.filter((_, i) => i % 7 === 0 || /step00019|int_/.test(_.name))) expectSameRenders(file, library, true);
  });

  it('every template the test suites write, with and without their macros', () => {
    const templates = testSuiteTemplates();
    expect(templates.length).toBeGreaterThan(60);
    const dir = tempDir('gmp-differential-macros-');
    const macroFiles = templates.filter((t) => t.includes('{% macro'));
    const withMacros = loadMacrosFrom(dir, macroFiles);
    let rendered = 0;
    for (const [i, template] of templates.entries()) {
      const file: ModelFile = { name: `fixture_${i}`, file: `marts/fixture_${i}.sql`, schema: 'marts', template };
      rendered += expectSameRenders(file, undefined, false);
      if (withMacros) rendered += expectSameRenders(file, withMacros, false);
    }
    // Most fixtures are valid templates the engine renders; the rest are the suites' broken ones.
    expect(rendered).toBeGreaterThan(templates.length * WAREHOUSE_TYPES.length * SCENARIOS.length);
  });
});

/** A library of the suites' macro files that load together (each alone, skipping broken ones). */
function loadMacrosFrom(dir: string, texts: readonly string[]): MacroLibrary | undefined {
  const ok = texts.filter((text) => {
    const probe = tempDir('gmp-differential-probe-');
    writeMacro(probe, 'm.sql', text);
    return loadMacros(probe).problems.length === 0;
  });
  if (ok.length === 0) return undefined;
  ok.forEach((text, i) => writeMacro(dir, `m${i}.sql`, text));
  const { library, problems } = loadMacros(dir);
  return problems.length === 0 ? library : undefined;
}

function writeMacro(dir: string, name: string, text: string): void {
  mkdirSync(path.join(dir, 'macros'), { recursive: true });
  writeFileSync(path.join(dir, 'macros', name), text);
}

/**
 * The string literals holding a template (`{{` or `{%`) in the project's test files: the templates
 * the suites render (a literal joined to another with `+` comes as its pieces).
 */
const ENGINE_TESTS = new Set(['render-model.test.ts', 'load-macros.test.ts']);

function testSuiteTemplates(): string[] {
  const root = packageRoot();
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // The engine's own tests (which write what it leaves to nunjucks on purpose, macros included) aside.
      else if (entry.name.endsWith('.test.ts') && !entry.name.includes('differential') && !ENGINE_TESTS.has(entry.name) && !full.includes(`${path.sep}template${path.sep}`)) {
        const source = readFileSync(full, 'utf8');
        for (const m of source.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g)) {
          const text = unquote(m[0]);
          if (text.includes('{{') || text.includes('{%')) found.add(text);
        }
      }
    }
  };
  for (const top of ['transform', 'tests', 'app', 'cli', 'orchestration', 'server']) walk(path.join(root, top));
  return [...found].sort();
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.startsWith('u')) return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
  });
}
