import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { slicePredicate, type PartitionRange, type WarehouseDialect } from '../../warehouse/index.js';
import { didYouMean } from '../did-you-mean.js';
import { formatLocation } from '../format-location.js';
import { locateCall } from '../locate-call.js';
import type { ModelFile, ModelNode } from '../model.js';
import type { RenderResult } from '../render-model.js';
import { templateErrorMessage } from '../template-error-message.js';
import type { DataTest } from './data-test.js';
import { genericTestSql } from './generic-test-sql.js';
import type { SchemaFiles } from './load-schema-files.js';
import { RELATION_CALL } from './parse-test-entry.js';

export interface DataTestContext {
  dir: string;
  dialect: WarehouseDialect;
  schemaFiles: SchemaFiles;
  /** Every model (ephemeral ones too), dependencies first. */
  order: readonly ModelNode[];
  resolveSource(source: string, table: string): string;
  /** Renders a singular test as a model would be (refs, sources, macros, `in_partition`). */
  render(file: ModelFile, partition: PartitionRange | null): RenderResult;
}

export interface DataTests {
  tests: DataTest[];
  problems: string[];
  /** The SELECT of the rows failing `test`, over the partition slice of a partitioned model. */
  sql(test: DataTest, partition: PartitionRange | null): string;
}

const SINGULAR_CONFIG = ['severity'];

/**
 * Binds the yml tests and the singular tests (`tests/*.sql`, attached to the last model they ref)
 * to built models, collecting every problem: an unknown model or relationships target, a test on
 * an ephemeral model, a singular test that refs no model, a test name used twice on one model.
 */
export function prepareDataTests(ctx: DataTestContext): DataTests {
  const problems: string[] = [];
  const nodes = new Map(ctx.order.map((n) => [n.name, n]));
  const names = [...nodes.keys()];
  const builtModel = (name: string, where: string, what: string): ModelNode | undefined => {
    const node = nodes.get(name);
    if (!node) problems.push(`${where}: ${what} unknown model '${name}'${didYouMean(name, names)}`);
    else if (node.materialized === 'ephemeral') problems.push(`${where}: ${what} ephemeral model '${name}', which is never built`);
    return node?.materialized === 'ephemeral' ? undefined : node;
  };
  const documented = new Set<string>();
  for (const doc of ctx.schemaFiles.models) {
    if (!nodes.has(doc.name)) problems.push(`${doc.where}: documents unknown model '${doc.name}'${didYouMean(doc.name, names)}`);
    else documented.add(doc.name);
  }
  const targets = new Map<DataTest, string>();
  const tests: DataTest[] = [];
  for (const test of ctx.schemaFiles.tests) {
    if (!documented.has(test.model)) continue; // reported with its model entry
    if (!builtModel(test.model, test.where, 'tests')) continue;
    if (test.kind === 'relationships') {
      const [, fn, a, b] = RELATION_CALL.exec(String(test.args.to))!;
      if (fn === 'source') {
        if (b === undefined) problems.push(`${test.where}: relationships.to: write source('<source>', '<table>')`);
        else targets.set(test, ctx.resolveSource(a!, b));
      } else {
        const parent = b === undefined ? builtModel(a!, test.where, 'relationships.to names') : undefined;
        if (b !== undefined) problems.push(`${test.where}: relationships.to: write ref('<model>')`);
        if (!parent) continue;
        targets.set(test, parent.relation);
        if (parent.name !== test.model) test.reads.push(parent.name);
      }
    }
    tests.push(test);
  }

  const singular = new Map<DataTest, ModelFile>();
  for (const file of loadSingularTestFiles(ctx.dir)) {
    try {
      const rendered = ctx.render(file, null);
      problems.push(...rendered.problems);
      for (const key of Object.keys(rendered.config)) {
        if (!SINGULAR_CONFIG.includes(key)) problems.push(`${formatLocation(file.file, locateCall(file.template, 'config'))}: unknown test config key '${key}'; known keys: ${SINGULAR_CONFIG.join(', ')}`);
      }
      const severity = rendered.config.severity === undefined ? 'error' : String(rendered.config.severity).toLowerCase();
      if (severity !== 'error' && severity !== 'warn') problems.push(`${formatLocation(file.file, locateCall(file.template, 'config'))}: severity must be 'warn' or 'error', got '${severity}'`);
      let ok = true;
      for (const ref of new Set(rendered.refs)) {
        if (!builtModel(ref, formatLocation(file.file, locateCall(file.template, 'ref', ref)), 'refs')) ok = false;
      }
      // The test runs after the last of its models to be built (the most downstream one).
      const model = ctx.order.filter((n) => rendered.refs.includes(n.name)).pop();
      if (!model) {
        if (ok) problems.push(`${file.file}: a singular test must ref() the model it tests`);
        continue;
      }
      if (!ok) continue;
      const first = /^\s*--\s*(.+)$/m.exec(file.template);
      const test: DataTest = {
        name: file.name,
        model: model.name,
        kind: 'singular',
        column: undefined,
        severity: severity === 'warn' ? 'warn' : 'error',
        description: first?.[1]?.trim() ?? `no rows from ${file.file}`,
        where: file.file,
        args: {},
        reads: [...new Set(rendered.refs)].filter((r) => r !== model.name).sort(),
      };
      singular.set(test, file);
      tests.push(test);
    } catch (error) {
      problems.push(templateErrorMessage(file.file, error));
    }
  }

  const byModel = new Map<string, Map<string, string>>();
  for (const t of tests) {
    const used = byModel.get(t.model) ?? new Map<string, string>();
    const twin = used.get(t.name);
    if (twin) problems.push(`${t.where}: test name '${t.name}' on model ${t.model} is also used at ${twin}; give one a name:`);
    used.set(t.name, t.where);
    byModel.set(t.model, used);
  }

  return {
    tests,
    problems,
    sql(test, partition) {
      const file = singular.get(test);
      if (file) return stripSemicolon(ctx.render(file, partition).sql);
      const node = nodes.get(test.model)!;
      // Days or UTC hours, as the model's own slice is replaced (see slicePredicate).
      const filter =
        partition === null || node.materialized !== 'partitioned' || node.partitionBy === undefined
          ? null
          : slicePredicate(ctx.dialect.quoteIdent(node.partitionBy), partition, ctx.dialect.quoteLiteral);
      return genericTestSql(test, node.relation, filter, ctx.dialect, targets.get(test));
    },
  };
}

function stripSemicolon(sql: string): string {
  return sql.replace(/;\s*$/, '');
}

/** `tests/**\/*.sql` under the models folder, sorted. */
function loadSingularTestFiles(dir: string): ModelFile[] {
  const root = path.join(dir, 'tests');
  const walk = (d: string): string[] => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.isFile() && e.name.endsWith('.sql') ? [path.join(d, e.name)] : []));
  };
  return walk(root)
    .sort()
    .map((full) => ({ name: path.basename(full, '.sql'), file: path.relative(dir, full).split(path.sep).join('/'), schema: 'tests', template: readFileSync(full, 'utf8') }));
}
