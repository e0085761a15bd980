import { DefinitionError, editDistance } from '../core/index.js';
import type { PartitionRange, WarehouseDialect } from '../warehouse/index.js';
import { loadModelFiles } from './load-models.js';
import { materializationStatements } from './materialization.js';
import type { Materialization, ModelFile, ModelNode } from './model.js';
import { renderModel } from './render-model.js';

const MATERIALIZATIONS: readonly Materialization[] = ['view', 'table', 'partitioned'];
const FOLDER_DEFAULTS: Record<string, Materialization> = { staging: 'view', marts: 'table' };

export interface Project {
  dir: string;
  /** Models in a deterministic topological order (dependencies first, then by name). */
  models: readonly ModelNode[];
  /** The compiled SELECT of a model for a partition (or null for the whole model). */
  compile(name: string, partition: PartitionRange | null): string;
  /** The statements that materialize a model for a partition. */
  statements(name: string, partition: PartitionRange | null): string[];
}

export interface LoadProjectOptions {
  dir: string;
  dialect: WarehouseDialect;
  targetName?: string;
  /** `source('rawg', 'games')` → relation; defaults to `raw.<source>_<table>`. */
  resolveSource?: (source: string, table: string) => string;
}

/**
 * Loads and parses every model, collecting all problems (template errors with file and line,
 * unknown refs, bad configs, cycles, duplicate names) into one DefinitionError.
 */
export function loadProject(options: LoadProjectOptions): Project {
  const { dialect } = options;
  const resolveSource = options.resolveSource ?? ((s: string, t: string) => `raw.${s}_${t}`);
  const target = { name: options.targetName ?? 'dev', type: dialect.name };
  const files = loadModelFiles(options.dir);
  const problems: string[] = [];
  const byName = new Map<string, ModelFile>();
  for (const f of files) {
    const twin = byName.get(f.name);
    if (twin) problems.push(`${f.file}: model name "${f.name}" is also defined in ${twin.file}`);
    else byName.set(f.name, f);
  }
  const relationOf = (name: string): string | undefined => {
    const f = byName.get(name);
    return f ? `${f.schema}.${f.name}` : undefined;
  };

  const nodes = new Map<string, ModelNode>();
  for (const file of byName.values()) {
    try {
      const rendered = renderModel(file, {
        dialect,
        target: { ...target, partition: null },
        resolveRef: relationOf,
        resolveSource,
        self: `${file.schema}.${file.name}`,
        materialized: FOLDER_DEFAULTS[file.schema] ?? 'table',
      });
      for (const ref of rendered.refs) {
        if (!byName.has(ref)) problems.push(`${file.file}: unknown ref('${ref}')${suggest(ref, [...byName.keys()])}`);
      }
      const materialized = (rendered.config.materialized ?? FOLDER_DEFAULTS[file.schema] ?? 'table') as Materialization;
      if (!MATERIALIZATIONS.includes(materialized)) {
        problems.push(`${file.file}: config materialized='${String(materialized)}' is not one of ${MATERIALIZATIONS.join(', ')}`);
      }
      const partitionBy = rendered.config.partition_by === undefined ? undefined : String(rendered.config.partition_by);
      if (materialized === 'partitioned' && partitionBy === undefined) {
        problems.push(`${file.file}: materialized='partitioned' needs partition_by='<date column>'`);
      }
      const first = /^\s*--\s*(.+)$/m.exec(file.template.replace(/\{\{[^}]*config\([^)]*\)[^}]*\}\}/, ''));
      nodes.set(file.name, {
        name: file.name,
        file: file.file,
        schema: file.schema,
        relation: `${file.schema}.${file.name}`,
        materialized,
        partitionBy,
        tags: toStringList(rendered.config.tags),
        refs: [...new Set(rendered.refs)].sort(),
        sources: dedupeSources(rendered.sources),
        description: first?.[1]?.trim() ?? '',
      });
    } catch (error) {
      problems.push(`${file.file}: ${templateMessage(error)}`);
    }
  }
  const ordered = topologicalOrder(nodes, problems);
  if (problems.length > 0) throw new DefinitionError(problems);

  const project: Project = {
    dir: options.dir,
    models: ordered,
    compile(name, partition) {
      const node = nodes.get(name);
      const file = byName.get(name);
      if (!node || !file) throw new Error(`unknown model ${name}`);
      return renderModel(file, {
        dialect,
        target: { ...target, partition },
        resolveRef: relationOf,
        resolveSource,
        self: node.relation,
        materialized: node.materialized,
      }).sql;
    },
    statements(name, partition) {
      const node = nodes.get(name);
      if (!node) throw new Error(`unknown model ${name}`);
      return materializationStatements(dialect, node, project.compile(name, partition), partition);
    },
  };
  return project;
}

function topologicalOrder(nodes: Map<string, ModelNode>, problems: string[]): ModelNode[] {
  const out: ModelNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const node = nodes.get(name);
    if (!node) return;
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      problems.push(`${node.file}: ref cycle ${cycle.join(' -> ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const dep of node.refs) visit(dep, [...trail, name]);
    state.set(name, 'done');
    out.push(node);
  };
  for (const name of [...nodes.keys()].sort()) visit(name, []);
  return out;
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => k.includes(name) || name.includes(k) || editDistance(k, name) <= 3);
  return close.length > 0 ? ` (did you mean ${close.slice(0, 3).map((c) => `'${c}'`).join(', ')}?)` : '';
}


function templateMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim();
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function dedupeSources(list: { source: string; table: string }[]): { source: string; table: string }[] {
  const seen = new Map(list.map((s) => [`${s.source}.${s.table}`, s]));
  return [...seen.values()].sort((a, b) => `${a.source}.${a.table}`.localeCompare(`${b.source}.${b.table}`));
}
