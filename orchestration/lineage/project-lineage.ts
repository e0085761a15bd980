import { buildLineageGraph, resolveProjectLineage, type LineageGraph, type Project } from '../../transform/index.js';
import { createSqlParser } from '../../warehouse/index.js';

/**
 * The project's lineage graph, with column lineage from each built model's compiled SQL (all
 * partitions), read by the SQL parser (never a warehouse): `project` must be compiled in the
 * parser's dialect (`sqlParserDialect`), whatever engine builds the models.
 */
export async function projectLineage(
  project: Pick<Project, 'models' | 'nodes' | 'compile' | 'sourceRelation'>,
  sourceRelation: (source: string, table: string) => string = (s, t) => project.sourceRelation(s, t),
): Promise<LineageGraph> {
  const parser = await createSqlParser();
  try {
    const parsed = [];
    for (const m of project.models) {
      const sql = project.compile(m.name, null);
      parsed.push({
        relation: m.relation,
        inputs: [...m.refs.map((r) => project.models.find((x) => x.name === r)?.relation ?? r), ...m.sources.map((s) => sourceRelation(s.source, s.table))],
        parsed: await parser.parse(sql),
      });
    }
    const raw = [...new Set(project.models.flatMap((m) => m.sources.map((s) => sourceRelation(s.source, s.table))))];
    return buildLineageGraph(project, resolveProjectLineage(parsed, raw), sourceRelation);
  } finally {
    await parser.close();
  }
}
