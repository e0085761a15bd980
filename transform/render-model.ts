import nunjucks from 'nunjucks';
import type { WarehouseDialect } from '../warehouse/index.js';
import type { CompileTarget, Materialization, ModelFile } from './model.js';

export interface RenderResult {
  sql: string;
  refs: string[];
  sources: { source: string; table: string }[];
  config: Record<string, unknown>;
}

export interface RenderOptions {
  dialect: WarehouseDialect;
  target: CompileTarget;
  /** Maps a referenced model name to its relation; undefined marks an unknown ref (collected). */
  resolveRef: (name: string) => string | undefined;
  resolveSource: (source: string, table: string) => string;
  /** The relation of the model being rendered (`this`). */
  self: string;
  materialized: Materialization;
}

const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

type Kwargs = Record<string, unknown> & { __keywords?: true };

/** Python-style keyword arguments arrive as a trailing object marked `__keywords`. */
function splitKwargs(args: unknown[]): { positional: unknown[]; kwargs: Record<string, unknown> } {
  const last = args[args.length - 1] as Kwargs | undefined;
  if (last !== null && typeof last === 'object' && last.__keywords === true) {
    const { __keywords: _ignored, ...kwargs } = last;
    return { positional: args.slice(0, -1), kwargs };
  }
  return { positional: args, kwargs: {} };
}

/**
 * Renders one model template with dbt's globals (`ref`, `source`, `config`, `this`, `target`,
 * `is_incremental`) plus the dialect's macros and `in_partition(column)`. Unknown refs render as a
 * placeholder and are reported in `refs` so the caller can collect every problem at once.
 * Throws nunjucks' template error (with file and line) for syntax problems.
 */
export function renderModel(model: ModelFile, options: RenderOptions): RenderResult {
  const refs: string[] = [];
  const sources: { source: string; table: string }[] = [];
  const config: Record<string, unknown> = {};
  const { dialect, target } = options;
  const context: Record<string, unknown> = {
    ...dialect.macros,
    ref: (...args: unknown[]) => {
      const { positional } = splitKwargs(args);
      const name = String(positional[positional.length - 1]);
      refs.push(name);
      return options.resolveRef(name) ?? `__unknown_ref__${name}`;
    },
    source: (source: unknown, table: unknown) => {
      sources.push({ source: String(source), table: String(table) });
      return options.resolveSource(String(source), String(table));
    },
    config: (...args: unknown[]) => {
      Object.assign(config, splitKwargs(args).kwargs);
      return '';
    },
    is_incremental: () => false,
    in_partition: (column: unknown) => {
      const range = target.partition;
      if (range === null) return 'true';
      const q = dialect.quoteLiteral;
      return `${String(column)} between date ${q(range.start)} and date ${q(range.end)}`;
    },
    this: options.self,
    target: { name: target.name, type: target.type },
    model: { name: model.name, schema: model.schema, materialized: options.materialized },
  };
  const template = new nunjucks.Template(model.template, env, model.file, true);
  const sql = template.render(context).trim();
  return { sql, refs, sources, config };
}
