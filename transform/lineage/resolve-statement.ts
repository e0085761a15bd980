import type { ColumnSource } from './column-lineage.js';
import { formatJsonPath, parseJsonPath } from './json-path.js';

/** What a statement's output columns derive from, or why its output could not be worked out. */
export interface StatementLineage {
  /** Null when the output columns themselves are unknown (a parse error, `*` over an unknown relation). */
  columns: { column: string; sources: ColumnSource[]; resolved: boolean; reason?: string }[] | null;
  reason?: string;
}

/** The columns of an input relation (`raw.rawg_games`, `staging.stg_x`), or undefined when unknown. */
export type InputColumns = (relation: string) => readonly string[] | undefined;

type Json = Record<string, unknown>;
interface Src {
  relation: string;
  column: string;
  path: string[];
}
interface Lin {
  sources: Src[];
  problems: string[];
}
interface Col {
  name: string;
  lin: Lin;
}
interface Binding {
  alias: string;
  /** The relation a base table reads (for columns of an unknown relation). */
  relation: string | null;
  /** Null when the relation's columns are unknown. */
  columns: Col[] | null;
}
interface Scope {
  bindings: Binding[];
  /** Earlier select-list aliases: DuckDB lets later expressions (and QUALIFY) use them. */
  aliases: Col[];
  parent: Scope | null;
}
type Ctes = ReadonlyMap<string, Col[] | Unresolvable>;

class Unresolvable extends Error {}

// Functions whose second argument, a constant, names a field inside the first (a JSON document or a struct).
const JSON_EXTRACT = new Set(['->>', '->', 'json_extract', 'json_extract_string', 'json_extract_path', 'json_extract_path_text', 'json_value', 'struct_extract']);
const EMPTY: Lin = { sources: [], problems: [] };

/**
 * Resolves one statement parsed by DuckDB's `json_serialize_sql` to column lineage. Pure: the columns
 * of its inputs come from `inputColumns`; JSON extraction with a constant path becomes a field path.
 */
export function resolveStatement(parsed: unknown, inputColumns: InputColumns): StatementLineage {
  const root = parsed as Json;
  if (root.error === true) return { columns: null, reason: `DuckDB could not parse the SQL: ${String(root.error_message ?? 'unknown error')}` };
  const statements = Array.isArray(root.statements) ? (root.statements as Json[]) : [];
  if (statements.length !== 1) return { columns: null, reason: `expected one statement, found ${statements.length}` };
  try {
    const columns = queryColumns(obj(statements[0]!.node), new Map(), null, inputColumns);
    return {
      columns: columns.map(({ name, lin }) => ({
        column: name,
        sources: dedupe(lin.sources),
        resolved: lin.problems.length === 0,
        ...(lin.problems.length > 0 ? { reason: [...new Set(lin.problems)].join('; ') } : {}),
      })),
    };
  } catch (error) {
    if (error instanceof Unresolvable) return { columns: null, reason: error.message };
    throw error;
  }
}

function queryColumns(node: Json, outerCtes: Ctes, outer: Scope | null, inputs: InputColumns): Col[] {
  const ctes = withCtes(node, outerCtes, outer, inputs);
  if (node.type === 'SET_OPERATION_NODE') {
    const branches = Array.isArray(node.children) ? (node.children as Json[]) : [obj(node.left), obj(node.right)];
    const [first, ...rest] = branches.map((b) => queryColumns(b, ctes, outer, inputs));
    if (!first) throw new Unresolvable('an empty set operation');
    // Columns are named by the first branch and matched by position.
    return first.map((col, i) => ({ name: col.name, lin: merge([col.lin, ...rest.map((r) => r[i]?.lin ?? EMPTY)]) }));
  }
  if (node.type !== 'SELECT_NODE') throw new Unresolvable(`unsupported query node ${String(node.type)}`);
  const scope: Scope = { bindings: node.from_table ? bindFrom(obj(node.from_table), ctes, null, outer, inputs) : [], aliases: [], parent: outer };
  const out: Col[] = [];
  for (const [i, item] of (node.select_list as Json[]).entries()) {
    if (item.class === 'STAR') {
      out.push(...expandStar(item, scope, ctes, inputs));
      continue;
    }
    const lin = exprLin(item, scope, ctes, inputs);
    const name = str(item.alias) || (item.class === 'COLUMN_REF' ? (item.column_names as string[]).at(-1)! : '');
    const col = name ? { name, lin } : { name: `#${i + 1}`, lin: { ...lin, problems: [...lin.problems, 'an unnamed expression'] } };
    out.push(col);
    scope.aliases.push(col);
  }
  return out;
}

// CTEs resolve lazily-failing: an unusable CTE only matters if something reads it.
function withCtes(node: Json, outerCtes: Ctes, outer: Scope | null, inputs: InputColumns): Ctes {
  const entries = (obj(node.cte_map).map as Json[] | undefined) ?? [];
  if (entries.length === 0) return outerCtes;
  const ctes = new Map(outerCtes);
  for (const entry of entries) {
    const value = obj(entry.value);
    const name = str(entry.key).toLowerCase();
    try {
      const cols = queryColumns(obj(obj(value.query).node), ctes, outer, inputs);
      ctes.set(name, renamed(cols, value.aliases));
    } catch (error) {
      if (!(error instanceof Unresolvable)) throw error;
      ctes.set(name, new Unresolvable(`CTE ${name}: ${error.message}`));
    }
  }
  return ctes;
}

function bindFrom(ref: Json, ctes: Ctes, lateral: Scope | null, outer: Scope | null, inputs: InputColumns): Binding[] {
  const alias = str(ref.alias);
  switch (ref.type) {
    case 'EMPTY':
      return [];
    case 'BASE_TABLE': {
      const schema = str(ref.schema_name);
      const table = str(ref.table_name);
      const cte = schema ? undefined : ctes.get(table.toLowerCase());
      if (cte instanceof Unresolvable) throw cte;
      if (cte) return [{ alias: alias || table, relation: null, columns: renamed(cte, ref.column_name_alias) }];
      const relation = schema ? `${schema}.${table}` : table;
      const known = inputs(relation);
      const columns = known?.map((column) => ({ name: column, lin: { sources: [{ relation, column, path: [] }], problems: [] } })) ?? null;
      return [{ alias: alias || table, relation, columns: columns && renamed(columns, ref.column_name_alias) }];
    }
    case 'SUBQUERY': {
      const cols = queryColumns(obj(obj(ref.subquery).node), ctes, lateral ?? outer, inputs);
      return [{ alias, relation: null, columns: renamed(cols, ref.column_name_alias) }];
    }
    case 'JOIN': {
      const left = bindFrom(obj(ref.left), ctes, lateral, outer, inputs);
      // The right side of a join may be LATERAL: it sees the left side's columns.
      const seen: Scope = { bindings: [...(lateral?.bindings ?? []), ...left], aliases: [], parent: outer };
      return [...left, ...bindFrom(obj(ref.right), ctes, seen, outer, inputs)];
    }
    case 'TABLE_FUNCTION': {
      const fn = obj(ref.function);
      const name = str(fn.function_name).toLowerCase();
      const names = (ref.column_name_alias as string[] | undefined) ?? [];
      if (name === 'unnest' && Array.isArray(fn.children) && fn.children.length === 1) {
        const scope: Scope = lateral ?? { bindings: [], aliases: [], parent: outer };
        const lin = element(exprLin(obj(fn.children[0]), scope, ctes, inputs));
        return [{ alias: alias || 'unnest', relation: null, columns: [{ name: names[0] ?? 'unnest', lin }] }];
      }
      throw new Unresolvable(`table function ${name}() in FROM`);
    }
    default:
      throw new Unresolvable(`unsupported FROM clause ${String(ref.type)}`);
  }
}

function expandStar(item: Json, scope: Scope, ctes: Ctes, inputs: InputColumns): Col[] {
  if (item.columns === true || (item.rename_list as unknown[] | undefined)?.length) throw new Unresolvable('COLUMNS(…) or * RENAME');
  const qualifier = str(item.relation_name).toLowerCase();
  const bindings = qualifier ? scope.bindings.filter((b) => b.alias.toLowerCase() === qualifier) : scope.bindings;
  if (qualifier && bindings.length === 0) throw new Unresolvable(`${qualifier}.* names no relation in FROM`);
  const excluded = new Set(((item.exclude_list as unknown[] | undefined) ?? []).map((e) => (typeof e === 'string' ? e : '').toLowerCase()));
  const replaced = new Map(((item.replace_list as Json[] | undefined) ?? []).map((r) => [str(r.key).toLowerCase(), obj(r.value)]));
  const out: Col[] = [];
  for (const b of bindings) {
    if (b.columns === null) throw new Unresolvable(`cannot expand * over ${b.relation ?? b.alias}: its columns are unknown`);
    for (const col of b.columns) {
      const key = col.name.toLowerCase();
      if (excluded.has(key)) continue;
      const replacement = replaced.get(key);
      out.push(replacement ? { name: col.name, lin: exprLin(replacement, scope, ctes, inputs) } : col);
    }
  }
  return out;
}

function exprLin(e: Json, scope: Scope, ctes: Ctes, inputs: InputColumns): Lin {
  switch (e.class) {
    case 'COLUMN_REF':
      return lookup(e.column_names as string[], scope);
    case 'CONSTANT':
      return EMPTY;
    case 'CAST':
      return exprLin(obj(e.child), scope, ctes, inputs);
    case 'SUBQUERY': {
      const child = e.child ? exprLin(obj(e.child), scope, ctes, inputs) : EMPTY;
      return { sources: child.sources, problems: [...child.problems, `a ${String(e.subquery_type ?? '').toLowerCase() || 'scalar'} subquery is not followed`] };
    }
    case 'FUNCTION': {
      const name = str(e.function_name).toLowerCase();
      const args = (e.children as Json[] | undefined) ?? [];
      if (JSON_EXTRACT.has(name) && args.length === 2) {
        const path = constantPath(args[1]!);
        if (path) return extend(exprLin(args[0]!, scope, ctes, inputs), path);
      }
      if (name === 'unnest' && args.length === 1) return element(exprLin(args[0]!, scope, ctes, inputs));
      return walk(e, scope, ctes, inputs);
    }
    default:
      return walk(e, scope, ctes, inputs);
  }
}

// Any other expression derives from every expression inside it (operands, window partitions, CASE arms…).
function walk(e: Json, scope: Scope, ctes: Ctes, inputs: InputColumns): Lin {
  const parts: Lin[] = [];
  for (const [key, v] of Object.entries(e)) if (key !== 'cast_type') parts.push(visit(v, scope, ctes, inputs));
  return merge(parts);
}

function visit(value: unknown, scope: Scope, ctes: Ctes, inputs: InputColumns): Lin {
  if (Array.isArray(value)) return merge(value.map((v) => visit(v, scope, ctes, inputs)));
  if (value === null || typeof value !== 'object') return EMPTY;
  const e = value as Json;
  return typeof e.class === 'string' ? exprLin(e, scope, ctes, inputs) : walk(e, scope, ctes, inputs);
}

const SPECIAL_VALUES = new Set(['current_timestamp', 'current_date', 'current_time', 'localtimestamp', 'localtime']);

function lookup(names: string[], scope: Scope): Lin {
  const lower = names.map((n) => n.toLowerCase());
  for (let s: Scope | null = scope; s; s = s.parent) {
    const found = lookupIn(lower, s);
    if (found) return found;
  }
  // SQL's special values parse as column names where no table has such a column: they read no column.
  if (names.length === 1 && SPECIAL_VALUES.has(lower[0]!)) return EMPTY;
  return { sources: [], problems: [`unknown column ${names.join('.')}`] };
}

function lookupIn(names: string[], scope: Scope): Lin | null {
  const [first] = names;
  if (names.length >= 2) {
    // `t.c.field…` (a column of a FROM item, then fields of a struct column), `schema.t.c.field…`,
    // else `c.field…` of a struct column.
    const binding = (at: number) => scope.bindings.find((b) => b.alias.toLowerCase() === names[at]);
    const table = binding(0);
    if (table) return extend(columnOf(table, names[1]!), names.slice(2));
    const qualified = names.length >= 3 ? binding(1) : undefined;
    if (qualified) return extend(columnOf(qualified, names[2]!), names.slice(3));
    const base = lookupIn([first!], scope);
    return base && extend(base, names.slice(1));
  }
  const matches = scope.bindings.flatMap((b) => {
    const c = b.columns?.find((col) => col.name.toLowerCase() === first);
    return c ? [c.lin] : [];
  });
  // Several matches only parse for USING/NATURAL joins, where the column is both sides.
  if (matches.length > 0) return merge(matches);
  const alias = scope.aliases.find((a) => a.name.toLowerCase() === first);
  if (alias) return alias.lin;
  const whole = scope.bindings.find((b) => b.alias.toLowerCase() === first);
  if (whole) return whole.columns ? merge(whole.columns.map((c) => c.lin)) : { sources: [], problems: [`the whole row of ${whole.relation ?? whole.alias}`] };
  const unknown = scope.bindings.filter((b) => b.columns === null);
  if (unknown.length === 1) return columnOf(unknown[0]!, first!);
  if (unknown.length > 1) return { sources: [], problems: [`column ${first} may come from ${unknown.map((b) => b.relation ?? b.alias).join(' or ')}`] };
  return null;
}

function columnOf(binding: Binding, column: string): Lin {
  if (binding.columns === null) {
    return binding.relation
      ? { sources: [{ relation: binding.relation, column, path: [] }], problems: [] }
      : { sources: [], problems: [`unknown column ${binding.alias}.${column}`] };
  }
  const col = binding.columns.find((c) => c.name.toLowerCase() === column);
  return col ? col.lin : { sources: [], problems: [`${binding.alias} has no column ${column}`] };
}

function constantPath(arg: Json): string[] | null {
  if (arg.class !== 'CONSTANT') return null;
  const value = obj(arg.value).value;
  return typeof value === 'string' || typeof value === 'number' ? parseJsonPath(value) : null;
}

function extend(lin: Lin, path: readonly string[]): Lin {
  return { sources: lin.sources.map((s) => ({ ...s, path: [...s.path, ...path] })), problems: lin.problems };
}

function element(lin: Lin): Lin {
  return extend(lin, ['[*]']);
}

function merge(parts: readonly Lin[]): Lin {
  if (parts.length === 1) return parts[0]!;
  if (parts.length === 0) return EMPTY;
  return { sources: parts.flatMap((p) => p.sources), problems: parts.flatMap((p) => p.problems) };
}

function renamed(cols: Col[], aliases: unknown): Col[] {
  const names = Array.isArray(aliases) ? (aliases as string[]) : [];
  return names.length === 0 ? cols : cols.map((c, i) => ({ name: names[i] ?? c.name, lin: c.lin }));
}

function dedupe(sources: Src[]): ColumnSource[] {
  const out = new Map<string, ColumnSource>();
  for (const s of sources) {
    const path = formatJsonPath(s.path);
    out.set(`${s.relation}\0${s.column}\0${path ?? ''}`, { relation: s.relation, column: s.column, ...(path ? { path } : {}) });
  }
  return [...out.values()].sort((a, b) => `${a.relation}.${a.column}.${a.path ?? ''}`.localeCompare(`${b.relation}.${b.column}.${b.path ?? ''}`));
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' ? (value as Json) : {};
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
