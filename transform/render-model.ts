import type nunjucks from 'nunjucks';
import { isHourKey } from '../core/index.js';
import { slicePredicate, type WarehouseDialect } from '../warehouse/index.js';
import { formatLocation } from './format-location.js';
import type { MacroLibrary } from './load-macros.js';
import { locateCall } from './locate-call.js';
import type { CompileTarget, Materialization, ModelFile } from './model.js';
import { parseTemplate, renderTemplate, TemplateUnsupported, type TemplateAst } from './template/index.js';
import { nunjucksEngine } from './template-environment.js';

export interface RenderResult {
  sql: string;
  refs: string[];
  sources: { source: string; table: string }[];
  config: Record<string, unknown>;
  /** `file:line: message` problems found while rendering (bad `ref`, unset `var`/`env_var`). */
  problems: string[];
  /**
   * The names the render read from its globals, its macros' reads included (sorted): another render
   * whose globals agree on these names gives the same result. Null when nunjucks rendered it.
   */
  names: string[] | null;
  /** Whether it called `env_var()` (its SQL then depends on the environment). */
  usedEnv: boolean;
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
  /** What `is_incremental()` returns: only for the merge run of an incremental model. */
  incremental?: boolean;
  /** What `env_var()` reads; never `process.env` implicitly, so compiling stays reproducible. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The project's `models/macros`, callable from the model without an import. */
  macros?: MacroLibrary;
}

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
 * Renders one model template with dbt's globals (`ref`, `source`, `config`, `var`, `env_var`,
 * `this`, `target`, `is_incremental`), the project's macros, the dialect's macros and
 * `in_partition(column)`. Unknown refs render as a placeholder and are reported in `refs`, other
 * misuse in `problems`, so the caller can collect every problem at once. Throws nunjucks' template
 * error (with file and line) for syntax problems.
 *
 * The template engine of transform/template renders it; a template (or macro library) it does not
 * cover, and any error, goes to nunjucks, which then gives the same output or its own error.
 */
export function renderModel(model: ModelFile, options: RenderOptions): RenderResult {
  const ast = engineTemplate(model);
  if (ast !== null && engineMacros(options) !== undefined) {
    try {
      return renderWithEngine(model, options, ast);
    } catch {
      // Rendered again by nunjucks, from fresh state: its output, or its error with file and line.
    }
  }
  return renderModelWithNunjucks(model, options);
}

/**
 * renderModel on the engine only (for the differential tests): throws TemplateUnsupported when the
 * template or the macros are outside what it covers, and any error the render meets.
 */
export function renderModelWithEngine(model: ModelFile, options: RenderOptions): RenderResult {
  return renderWithEngine(model, options, parseTemplate(model.template));
}

/** renderModel on nunjucks only, as before the engine (names are then not tracked: null). */
export function renderModelWithNunjucks(model: ModelFile, options: RenderOptions): RenderResult {
  return render(model, options, undefined);
}

function engineMacros(options: RenderOptions): MacroLibrary['engineExports'] {
  return options.macros === undefined ? noMacros : options.macros.engineExports;
}

function renderWithEngine(model: ModelFile, options: RenderOptions, ast: TemplateAst): RenderResult {
  const macros = engineMacros(options);
  if (macros === undefined) throw new TemplateUnsupported('the macro files need nunjucks');
  return render(model, options, (globals, names) => {
    // As nunjucks' context: the project's macros over the globals over the dialect's macros.
    const exported = macros([globals, options.dialect.macros], names);
    return renderTemplate(ast, [exported, globals, options.dialect.macros], names);
  });
}

const noMacros = (): Record<string, unknown> => ({});

type Engine = (globals: Readonly<Record<string, unknown>>, names: Set<string>) => string;

/** One render of `model` with fresh globals: by `engine`, or by nunjucks when undefined. */
function render(model: ModelFile, options: RenderOptions, engine: Engine | undefined): RenderResult {
  const refs: string[] = [];
  const sources: { source: string; table: string }[] = [];
  const config: Record<string, unknown> = {};
  const problems = new Set<string>();
  let usedEnv = false;
  const problem = (fn: string, firstArg: string | undefined, message: string): void => {
    problems.add(`${formatLocation(model.file, locateCall(model.template, fn, firstArg))}: ${message}`);
  };
  const { dialect, target } = options;
  // Relations render through the dialect's quoting, exactly as its DDL names them (a plain name stays bare).
  const relation = (name: string): string => name.split('.').map(dialect.quoteIdent).join('.');
  const dot = options.self.indexOf('.');
  const identifier = options.self.slice(dot + 1);
  const globals: Record<string, unknown> = {
    ref: (...args: unknown[]) => {
      const { positional } = splitKwargs(args);
      if (positional.length !== 1) {
        const written = positional.map((p) => `'${String(p)}'`).join(', ');
        problem('ref', positional.length > 0 ? String(positional[0]) : undefined, `ref(${written}): packages are not supported, write ref('<model>')`);
        return `__unsupported_ref__`;
      }
      const name = String(positional[0]);
      refs.push(name);
      const resolved = options.resolveRef(name);
      return resolved === undefined ? `__unknown_ref__${name}` : relation(resolved);
    },
    source: (source: unknown, table: unknown) => {
      sources.push({ source: String(source), table: String(table) });
      return relation(options.resolveSource(String(source), String(table)));
    },
    config: (...args: unknown[]) => {
      Object.assign(config, splitKwargs(args).kwargs);
      return '';
    },
    var: (...args: unknown[]) => {
      const name = String(args[0]);
      const vars = target.vars ?? {};
      if (Object.prototype.hasOwnProperty.call(vars, name)) return vars[name];
      if (args.length > 1) return args[1];
      problem('var', name, `var('${name}') is not set and has no default (set it in the target's vars or write var('${name}', <default>))`);
      return '';
    },
    env_var: (...args: unknown[]) => {
      usedEnv = true;
      const name = String(args[0]);
      const value = options.env?.[name];
      if (value !== undefined) return value;
      if (args.length > 1) return args[1];
      problem('env_var', name, `env_var('${name}') is not set and has no default (write env_var('${name}', <default>))`);
      return '';
    },
    is_incremental: () => options.incremental === true,
    in_partition: (column: unknown) => {
      const range = target.partition;
      if (range === null) return 'true';
      const q = dialect.quoteLiteral;
      // An hourly slice is a half-open window of timestamps: [first hour, last hour + 1h).
      if (isHourKey(range.start)) return slicePredicate(String(column), range, q);
      return `${String(column)} between date ${q(range.start)} and date ${q(range.end)}`;
    },
    // A relation like dbt's: renders as `schema.name`, with `.schema` and `.identifier`/`.name`.
    this: { schema: dot < 0 ? undefined : options.self.slice(0, dot), name: identifier, identifier, toString: () => relation(options.self) },
    target: { name: target.name, type: target.type },
    model: { name: model.name, schema: model.schema, materialized: options.materialized },
  };
  let sql: string;
  let names: string[] | null = null;
  if (engine === undefined) {
    const context: Record<string, unknown> = { ...dialect.macros, ...globals };
    Object.assign(context, options.macros?.exports(context));
    sql = compiledTemplate(model).render(context).trim();
  } else {
    const read = new Set<string>();
    sql = engine(globals, read).trim();
    names = Array.from(read).sort();
  }
  return { sql, refs, sources, config, problems: [...problems], names, usedEnv };
}

// Parsing costs more than rendering: a template rendered again (every partition, ephemeral
// inlining) is parsed once per process. Only from its second render, so the parse pass over a
// large project does not keep a tree per model. Keyed by the model file object and its text.
const seenOnce = new WeakSet<ModelFile>();
const parsedTemplates = new WeakMap<ModelFile, { template: string; ast: TemplateAst | null }>();

/** The engine's parse of the model, or null when it needs nunjucks. */
function engineTemplate(model: ModelFile): TemplateAst | null {
  const cached = parsedTemplates.get(model);
  if (cached !== undefined && cached.template === model.template) return cached.ast;
  let ast: TemplateAst | null;
  try {
    ast = parseTemplate(model.template);
  } catch {
    ast = null;
  }
  if (seenOnce.has(model)) parsedTemplates.set(model, { template: model.template, ast });
  else seenOnce.add(model);
  return ast;
}

// Compiling a template with nunjucks (parse, code generation, V8 compile) costs ~100x rendering
// it: a template rendered again is compiled once per process. Keyed by file and text, so an edited
// file recompiles.
const nunjucksTemplates = new Map<string, nunjucks.Template>();

function compiledTemplate(model: { file: string; template: string }): nunjucks.Template {
  const key = `${model.file}\u0000${model.template}`;
  let template = nunjucksTemplates.get(key);
  if (template === undefined) {
    const { nunjucks, environment } = nunjucksEngine();
    template = new nunjucks.Template(model.template, environment, model.file, true);
    nunjucksTemplates.set(key, template);
  }
  return template;
}
