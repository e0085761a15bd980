import { DefinitionError } from '../core/index.js';
import type { PartitionRange, WarehouseDialect } from '../warehouse/index.js';
import { didYouMean } from './did-you-mean.js';
import { formatLocation } from './format-location.js';
import { loadMacros } from './load-macros.js';
import { readModelFiles, sortByName } from './load-models.js';
import { locateCall } from './locate-call.js';
import { materializationStatements } from './materialization.js';
import type { BuiltModelNode, CompileOptions, ModelFile, ModelNode } from './model.js';
import { parseModelConfig } from './parse-model-config.js';
import { openPartialParse, type ParseReport } from './partial-parse/index.js';
import { loadProjectConfig, parseSchemaFiles, prepareDataTests, readSchemaFileTexts, type DataTest, type ModelDoc, type SourceTableDoc } from './project-files/index.js';
import { renderModel, type RenderResult } from './render-model.js';
import { templateErrorMessage } from './template-error-message.js';
import { topologicalOrder } from './topological-order.js';
import { withCtes } from './with-ctes.js';

export interface Project {
  dir: string;
  /**
   * The models that are built (every one but the ephemeral), dependencies first then by name;
   * their `refs` and `sources` see through ephemeral models to what the build really reads.
   */
  models: readonly BuiltModelNode[];
  /** Every model, ephemeral ones included, with `refs` exactly as written; dependencies first. */
  nodes: readonly ModelNode[];
  /** The compiled SELECT of a model for a partition (or null for the whole model), ephemeral refs inlined. */
  compile(name: string, partition: PartitionRange | null, options?: CompileOptions): string;
  /** The statements that materialize a model for a partition, to run in one transaction (`[]` for ephemeral). */
  statements(name: string, partition: PartitionRange | null, options?: CompileOptions): string[];
  /** The data tests (yml generic tests and `tests/*.sql`), each on a built model, in declaration order. */
  tests: readonly DataTest[];
  /** The SELECT of the rows failing a test, over the partition slice of a partitioned model. */
  testSql(test: DataTest, partition: PartitionRange | null): string;
  /** What the yml files document: models (by name) and source tables. */
  docs: { models: ReadonlyMap<string, ModelDoc>; sources: readonly SourceTableDoc[] };
  /** The relation `source(source, table)` names (a yml `schema:`/`identifier:`, else `raw.<source>_<table>`). */
  sourceRelation(source: string, table: string): string;
  /** How many models this load rendered and how many it took from the partial-parse cache. */
  parseReport: ParseReport;
}

export interface LoadProjectOptions {
  dir: string;
  dialect: WarehouseDialect;
  targetName?: string;
  /** `source('rawg', 'games')` → relation; defaults to `raw.<source>_<table>`. */
  resolveSource?: (source: string, table: string) => string;
  /** The target's `var()` values. */
  vars?: Readonly<Record<string, unknown>>;
  /** What `env_var()` reads (pass `process.env` from the edge); empty by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * A partial-parse cache file (dbt's `partial_parse.msgpack`): models whose text and inputs are
   * unchanged reuse their parse and rendered SQL from it, and it is rewritten after a load without
   * problems. Off when unset, or with a custom `resolveSource`.
   */
  partialParse?: string;
}

/** The CTE name an ephemeral model is inlined under. */
export function ephemeralCteName(name: string): string {
  return `__gmp_cte__${name}`;
}

/**
 * Loads and parses every model and macro, collecting all problems (template errors, unknown refs,
 * bad configs, cycles, unset vars, duplicate names — each as `file:line: message`) into one
 * DefinitionError.
 */
export function loadProject(options: LoadProjectOptions): Project {
  const { dialect } = options;
  const target = { name: options.targetName ?? 'dev', type: dialect.name, vars: options.vars ?? {} };
  const { library: macros, problems } = loadMacros(options.dir);
  const projectConfig = loadProjectConfig(options.dir);
  const cache =
    options.partialParse === undefined || options.resolveSource !== undefined
      ? undefined
      : openPartialParse(options.partialParse, { dialect: dialect.name, target: target.name, vars: target.vars }, macros);
  const schemaTexts = readSchemaFileTexts(options.dir);
  const schemaFiles = cache ? cache.schemaFiles(schemaTexts, () => parseSchemaFiles(schemaTexts)) : parseSchemaFiles(schemaTexts);
  // A declared source names its relation (`schema:`/`identifier:` as in dbt); else `raw.<source>_<table>`.
  const declared = new Map(schemaFiles.sources.map((d) => [`${d.source}.${d.table}`, d.relation]));
  const resolveSource = options.resolveSource ?? ((s: string, t: string) => declared.get(`${s}.${t}`) ?? `raw.${s}_${t}`);
  problems.push(...projectConfig.problems, ...schemaFiles.problems);
  const docs = new Map(schemaFiles.models.map((m) => [m.name, m]));
  // Models are rendered in the code-unit order of their names. Problems are listed in the order
  // gmp has always listed them, loadModelFiles's (the locale's collation), but that sort sets up
  // ICU's collator, ~10 ms of a 1,000-model compile: it is done only when there are problems.
  // Both sorts are stable, so of two files with one name the same one comes first.
  const walked = readModelFiles(options.dir);
  const byName = new Map<string, ModelFile>();
  const twins: ModelFile[] = [];
  for (const f of [...walked].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (byName.has(f.name)) twins.push(f);
    else byName.set(f.name, f);
  }
  let listed: ModelFile[] | undefined;
  const listingOrder = (): ModelFile[] => (listed ??= sortByName([...walked]));
  let knownNames: string[] | undefined;
  const known = (): string[] => (knownNames ??= listingOrder().filter((f) => byName.get(f.name) === f).map((f) => f.name));
  const modelProblems = new Map<ModelFile, string[]>();
  const relationOf = (name: string): string | undefined => {
    const f = byName.get(name);
    return f ? `${f.schema}.${f.name}` : undefined;
  };
  const resolvers = { relationOf, resolveSource };

  const nodes = new Map<string, ModelNode>();
  // The parse pass's SQL, which compile() reuses when its render would be the same (see renderBody).
  const parsed = new Map<string, RenderResult>();
  for (const file of byName.values()) {
    const folderDefault = projectConfig.folderDefaults[file.schema] ?? 'table';
    const mine: string[] = [];
    try {
      let rendered = cache?.reuse(file, folderDefault, resolvers);
      if (rendered === undefined) {
        rendered = renderModel(file, {
          dialect,
          target: { ...target, partition: null },
          resolveRef: relationOf,
          resolveSource,
          self: `${file.schema}.${file.name}`,
          materialized: folderDefault,
          env: options.env,
          macros,
        });
        cache?.record(file, folderDefault, rendered, resolvers);
      }
      mine.push(...rendered.problems);
      parsed.set(file.name, rendered);
      for (const ref of rendered.refs) {
        if (byName.has(ref)) continue;
        const where = formatLocation(file.file, locateCall(file.template, 'ref', ref));
        mine.push(`${where}: unknown ref('${ref}')${didYouMean(ref, known())}`);
      }
      const { config, problems: configProblems } = parseModelConfig(file, rendered.config, folderDefault);
      mine.push(...configProblems);
      if (config.materialized === 'incremental' && !dialect.mergeOnKey) {
        mine.push(`${file.file}: materialized='incremental' is not supported on ${dialect.name}`);
      }
      const doc = docs.get(file.name);
      nodes.set(file.name, {
        name: file.name,
        file: file.file,
        schema: file.schema,
        relation: `${file.schema}.${file.name}`,
        ...config,
        refs: [...new Set(rendered.refs)].filter((r) => byName.has(r)).sort(),
        sources: dedupeSources(rendered.sources),
        // The yml description wins over the leading SQL comment.
        description: doc?.description ?? leadingComment(file.template),
        columns: doc?.columns ?? [],
      });
    } catch (error) {
      mine.push(templateErrorMessage(file.file, error));
    }
    if (mine.length > 0) modelProblems.set(file, mine);
  }
  if (twins.length > 0 || modelProblems.size > 0) {
    const twinSet = new Set(twins);
    for (const f of listingOrder()) if (twinSet.has(f)) problems.push(`${f.file}: model name "${f.name}" is also defined in ${byName.get(f.name)!.file}`);
    for (const f of listingOrder()) problems.push(...(modelProblems.get(f) ?? []));
  }
  const ordered = topologicalOrder(nodes, byName, problems);
  const dataTests = prepareDataTests({
    dir: options.dir,
    dialect,
    schemaFiles,
    order: ordered,
    resolveSource,
    render: (file, partition) =>
      renderModel(file, { dialect, target: { ...target, partition }, resolveRef: relationOf, resolveSource, self: `tests.${file.name}`, materialized: 'view', env: options.env, macros }),
  });
  problems.push(...dataTests.problems);
  if (problems.length > 0) throw new DefinitionError(problems, { where: options.dir, hint: 'fix each file at its line; `gmp compile` lists them all again' });
  cache?.save();

  const isEphemeral = (name: string): boolean => nodes.get(name)?.materialized === 'ephemeral';
  // The ephemeral models a model inlines, transitively, dependencies first.
  const collectEphemerals = (name: string, out: string[]): string[] => {
    for (const ref of nodes.get(name)?.refs ?? []) {
      if (!isEphemeral(ref) || out.includes(ref)) continue;
      collectEphemerals(ref, out);
      out.push(ref);
    }
    return out;
  };
  const inlinedBy = new Map<string, readonly string[]>();
  const ephemeralsOf = (name: string): readonly string[] => {
    let list = inlinedBy.get(name);
    if (list === undefined) inlinedBy.set(name, (list = collectEphemerals(name, [])));
    return list;
  };
  const built: BuiltModelNode[] = [];
  for (const node of ordered) {
    if (node.materialized === 'ephemeral') continue;
    const inlined = ephemeralsOf(node.name);
    const refs = inlined.length === 0 ? node.refs : [...new Set([node, ...inlined.map((e) => nodes.get(e)!)].flatMap((n) => n.refs).filter((r) => !isEphemeral(r)))].sort();
    const sources = inlined.length === 0 ? dedupeSources(node.sources) : dedupeSources([node, ...inlined.map((e) => nodes.get(e)!)].flatMap((n) => n.sources));
    // Written out rather than spread from the node: a spread copy got a hidden class of its own per model.
    const { name, file, schema, relation, materialized, partitionBy, uniqueKey, tags, description, columns } = node;
    const grain = node.partitionGrain === undefined ? {} : { partitionGrain: node.partitionGrain };
    built.push({ name, file, schema, relation, materialized, partitionBy, ...grain, uniqueKey, tags, refs: refs.filter((r) => !isEphemeral(r)), sources, description, columns, ephemerals: [...inlined] });
  }

  const renderBody = (name: string, partition: PartitionRange | null, incremental: boolean): string => {
    const node = nodes.get(name);
    const file = byName.get(name);
    if (!node || !file) throw new Error(`unknown model ${name}`);
    // The parse pass rendered the same template with the same globals but `model` (its folder's
    // materialization) and, for ephemeral models and refs, `this` and `ref()`: when the template
    // read none of those (its names are known), its SQL is this render's.
    const early = parsed.get(name);
    if (partition === null && !incremental && early?.names && !early.names.includes('model') && node.materialized !== 'ephemeral' && !early.refs.some(isEphemeral)) {
      return early.sql;
    }
    const rendered = renderModel(file, {
      dialect,
      target: { ...target, partition },
      resolveRef: (ref) => (isEphemeral(ref) ? ephemeralCteName(ref) : relationOf(ref)),
      resolveSource,
      self: node.materialized === 'ephemeral' ? ephemeralCteName(name) : node.relation,
      materialized: node.materialized,
      incremental,
      env: options.env,
      macros,
    });
    // Only a branch the parse pass did not take (e.g. under is_incremental()) can still fail here.
    if (rendered.problems.length > 0) throw new DefinitionError(rendered.problems);
    return rendered.sql;
  };

  const project: Project = {
    dir: options.dir,
    models: built,
    nodes: ordered,
    compile(name, partition, compileOptions = {}) {
      const node = nodes.get(name);
      if (!node) throw new Error(`unknown model ${name}`);
      const incremental = node.materialized === 'incremental' && compileOptions.relationExists === true;
      const ctes = ephemeralsOf(name).map((e) => `${ephemeralCteName(e)} AS (\n${renderBody(e, partition, false)}\n)`);
      return withCtes(ctes, renderBody(name, partition, incremental));
    },
    statements(name, partition, compileOptions = {}) {
      const node = nodes.get(name);
      if (!node) throw new Error(`unknown model ${name}`);
      if (node.materialized === 'ephemeral') return [];
      return materializationStatements(dialect, node, project.compile(name, partition, compileOptions), partition, compileOptions);
    },
    tests: dataTests.tests,
    testSql: (test, partition) => dataTests.sql(test, partition),
    docs: { models: docs, sources: schemaFiles.sources },
    sourceRelation: resolveSource,
    parseReport: cache?.report ?? { cache: 'off', parsed: byName.size, reused: 0 },
  };
  return project;
}

/** The text of the template's first `-- comment` line (a `config(...)` call aside), or ''. */
function leadingComment(template: string): string {
  const first = /^\s*--\s*(.+)$/m.exec(template.replace(/\{\{[^}]*config\([^)]*\)[^}]*\}\}/, ''));
  return first?.[1]?.trim() ?? '';
}

function dedupeSources(list: { source: string; table: string }[]): { source: string; table: string }[] {
  if (list.length <= 1) return [...list];
  const seen = new Map(list.map((s) => [`${s.source}.${s.table}`, s]));
  return [...seen.values()].sort((a, b) => `${a.source}.${a.table}`.localeCompare(`${b.source}.${b.table}`));
}
