import { columnNodeId, traceColumn, type LineageGraph, type Project } from '../../transform/index.js';
import type { AssetSummary } from '../list-assets.js';
import type { DocsCheck, DocsColumn, DocsData, DocsModel, DocsSource } from './docs-data.js';

export interface CollectDocsInput {
  /** Every asset of the graph (checks included), as `listAssets` returns them, with their tags (a check's severity). */
  assets: readonly AssetSummary[];
  project: Pick<Project, 'nodes' | 'tests' | 'docs' | 'compile'>;
  lineage: LineageGraph;
  generatedAt: string;
}

/** Gathers assets, models (compiled SQL, columns, column lineage, tests), sources, checks and the asset graph. */
export function collectDocs(input: CollectDocsInput): DocsData {
  const { project, lineage } = input;
  const checkKeys = new Set(input.assets.filter((a) => a.kind === 'check').map((a) => a.key));
  const assets = input.assets.filter((a) => !checkKeys.has(a.key)).map(({ tags: _tags, ...a }) => a);
  const relationOf = new Map(project.nodes.map((n) => [n.name, n.relation]));
  const models: DocsModel[] = project.nodes.map((n) => {
    const key = `${n.schema}/${n.name}`;
    const lineageOf = lineage.models.find((m) => m.relation === n.relation);
    const documented = new Map((n.columns ?? []).map((c) => [c.name.toLowerCase(), c.description]));
    const columns: DocsColumn[] = (lineageOf?.columns ?? []).map((c) => ({
      name: c.column,
      description: documented.get(c.column.toLowerCase()) ?? '',
      sources: [...c.sources.map((s) => columnNodeId(s.relation, s.column, s.path)), ...(c.resolved ? [] : (c.modelSources ?? []).map((r) => `${r}.*`))],
      origins: origins(lineage, n.relation, c.column),
      resolved: c.resolved,
      ...(c.reason ? { reason: c.reason } : {}),
    }));
    const seen = new Set(columns.map((c) => c.name.toLowerCase()));
    for (const c of n.columns ?? []) {
      if (!seen.has(c.name.toLowerCase())) columns.push({ name: c.name, description: c.description, sources: [], origins: [], resolved: false, reason: 'not in the parsed output' });
    }
    let compiledSql: string | null = null;
    let compileError: string | undefined;
    try {
      compiledSql = project.compile(n.name, null);
    } catch (error) {
      compileError = error instanceof Error ? error.message : String(error);
    }
    return {
      name: n.name,
      key,
      relation: n.relation,
      schema: n.schema,
      file: n.file,
      materialized: n.materialized,
      ...(n.partitionBy ? { partitionBy: n.partitionBy } : {}),
      ...(n.uniqueKey ? { uniqueKey: n.uniqueKey } : {}),
      tags: [...n.tags],
      refs: n.refs.map((r) => relationOf.get(r) ?? r),
      sources: n.sources.map((s) => `${s.source}/${s.table}`),
      description: n.description,
      compiledSql,
      ...(compileError ? { compileError } : {}),
      columnLineage: lineageOf
        ? { resolved: lineageOf.resolved, ...(lineageOf.reason ? { reason: lineageOf.reason } : {}) }
        : { resolved: false, reason: n.materialized === 'ephemeral' ? 'ephemeral: inlined into the models that read it' : 'no lineage' },
      columns,
      tests: project.tests
        .filter((t) => t.model === n.name)
        .map((t) => ({
          name: t.name,
          kind: t.kind,
          ...(t.column !== undefined ? { column: t.column } : {}),
          severity: t.severity,
          description: t.description,
          where: t.where,
        })),
    };
  });
  const sources = new Map<string, DocsSource>();
  for (const a of lineage.assets) if (a.kind === 'source') sources.set(a.key, { key: a.key, relation: a.relation, description: '' });
  for (const s of project.docs.sources) {
    const key = `${s.source}/${s.table}`;
    sources.set(key, {
      key,
      relation: sources.get(key)?.relation ?? `raw.${s.source}_${s.table}`,
      description: s.description,
      ...(s.freshness ? { freshness: s.freshness } : {}),
      where: s.where,
    });
  }
  const checks: DocsCheck[] = input.assets
    .filter((a) => checkKeys.has(a.key))
    .map((a) => ({
      key: a.key,
      asset: a.deps[0] ?? '',
      description: a.description,
      severity: a.tags.includes('warn') ? 'warn' : 'error',
      blocking: a.tags.includes('blocking'),
      partitions: a.partitions,
    }));
  return {
    generatedAt: input.generatedAt,
    assets: [...assets],
    models,
    sources: [...sources.values()].sort((a, b) => a.key.localeCompare(b.key)),
    checks,
    lineage: {
      nodes: assets.map((a) => a.key),
      edges: assets.flatMap((a) => a.deps.filter((d) => !checkKeys.has(d)).map((from) => ({ from, to: a.key }))),
    },
  };
}

// The ends of a column's upstream chain (the raw JSON fields it comes from), as column ids.
function origins(lineage: LineageGraph, relation: string, column: string): string[] {
  const trace = traceColumn(lineage, relation, column, 'upstream');
  const start = columnNodeId(relation, column);
  return trace.nodes.filter((n) => n.id !== start && !trace.edges.some((e) => e.to === n.id)).map((n) => n.id);
}
