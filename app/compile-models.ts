import { createHash } from 'node:crypto';
import path from 'node:path';
import { UsageError, findProjectRoot, loadConfig, packageRoot, type Config } from '../core/index.js';
import { loadProject, type ParseReport } from '../transform/index.js';
import { WAREHOUSE_TYPES, dialectFor } from '../warehouse/index.js';

export interface CompileRequest {
  /** Model names or globs (`stg_*`, `marts/*`), comma or space separated; default every model. */
  select?: string;
  /** The warehouse type to compile for (`duckdb`, `snowflake`, `postgres`). */
  target: string;
  /** The models folder (default: GMP_MODELS_DIR, else gmp's own). */
  projectDir?: string;
  vars?: Readonly<Record<string, unknown>>;
  /** Use (and refresh) the partial-parse cache under GMP_HOME/partial-parse; default true (dbt's --no-partial-parse turns it off). */
  partialParse?: boolean;
}

export interface CompiledModel {
  name: string;
  schema: string;
  relation: string;
  materialized: string;
  file: string;
  sql: string;
}

/**
 * The compiled SQL of the selected models for a target (all partitions; incremental models as
 * their first run), touching no warehouse. Throws UsageError for an unknown target or selection,
 * DefinitionError (every problem, file:line) when the models do not load.
 */
export async function compileModels(request: CompileRequest): Promise<{ models: CompiledModel[]; parseReport: ParseReport }> {
  const target = WAREHOUSE_TYPES.find((t) => t === request.target);
  if (target === undefined) throw new UsageError(`unknown --target "${request.target}": expected ${WAREHOUSE_TYPES.slice(0, -1).join(', ')} or ${WAREHOUSE_TYPES[WAREHOUSE_TYPES.length - 1]}`);
  // As modelsDirFor, without importing the workspace (and the orchestration it loads): `gmp
  // compile` loads only what compiling needs. The configuration is read leniently, and only
  // needed when no --project-dir is given (then its errors are the command's).
  let config: Config | undefined;
  let configError: unknown;
  try {
    config = loadConfig(process.env, findProjectRoot(process.cwd()), { requireWarehouseCredentials: false });
  } catch (error) {
    configError = error;
  }
  if (request.projectDir === undefined && config === undefined) throw configError;
  const dir = request.projectDir !== undefined ? path.resolve(request.projectDir) : (config!.modelsDir ?? path.join(packageRoot(), 'models'));
  const partialParse = request.partialParse === false || config === undefined ? undefined : partialParseFile(config.home, dir, target);
  const project = loadProject({ dir, dialect: dialectFor(target), targetName: target, vars: request.vars ?? {}, env: process.env, ...(partialParse ? { partialParse } : {}) });
  const models = selectModels(project.nodes, request.select).map((node) => ({
    name: node.name,
    schema: node.schema,
    relation: node.relation,
    materialized: node.materialized,
    file: node.file,
    sql: project.compile(node.name, null),
  }));
  return { models, parseReport: project.parseReport };
}

// One cache per models folder and target, in GMP_HOME (as dbt keeps target/partial_parse.msgpack).
function partialParseFile(home: string, modelsDir: string, target: string): string {
  const key = createHash('sha1').update(modelsDir).digest('hex').slice(0, 16);
  return path.join(home, 'partial-parse', `${key}-${target}.json`);
}

function selectModels<N extends { name: string; schema: string }>(nodes: readonly N[], select: string | undefined): N[] {
  if (select === undefined) return [...nodes];
  const patterns = select.split(/[\s,]+/).filter((p) => p !== '');
  for (const p of patterns) {
    if (!nodes.some((n) => matches(p, n))) {
      throw new UsageError(`no model matches "${p}" (models: ${nodes.map((n) => n.name).slice(0, 8).join(', ')}${nodes.length > 8 ? ', …' : ''})`);
    }
  }
  return nodes.filter((n) => patterns.some((p) => matches(p, n)));
}

// A pattern matches the bare name or `schema/name`, so `stg_*` and `marts/*` both work.
function matches(pattern: string, node: { name: string; schema: string }): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(node.name) || re.test(`${node.schema}/${node.name}`);
}
