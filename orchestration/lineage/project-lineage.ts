import { buildLineageGraph, resolveProjectLineage, type LineageGraph, type Project } from '../../transform/index.js';
import { createDuckDbWarehouse } from '../../warehouse/index.js';

/**
 * The project's lineage graph, with column lineage from each built model's compiled SQL (all
 * partitions). DuckDB only parses: an in-memory instance, never the warehouse file.
 */
export async function projectLineage(
  project: Pick<Project, 'models' | 'nodes' | 'compile' | 'sourceRelation'>,
  sourceRelation: (source: string, table: string) => string = (s, t) => project.sourceRelation(s, t),
): Promise<LineageGraph> {
  const parser = await createDuckDbWarehouse({ path: ':memory:' });
  try {
    const parsed = [];
    for (const m of project.models) {
      const sql = project.compile(m.name, null);
      const [row] = await parser.query(`SELECT json_serialize_sql(${parser.dialect.quoteLiteral(sql)}) AS j`);
      parsed.push({
        relation: m.relation,
        inputs: [...m.refs.map((r) => project.models.find((x) => x.name === r)?.relation ?? r), ...m.sources.map((s) => sourceRelation(s.source, s.table))],
        parsed: JSON.parse(String(row?.j)) as unknown,
      });
    }
    const raw = [...new Set(project.models.flatMap((m) => m.sources.map((s) => sourceRelation(s.source, s.table))))];
    return buildLineageGraph(project, resolveProjectLineage(parsed, raw), sourceRelation);
  } finally {
    await parser.close();
  }
}
