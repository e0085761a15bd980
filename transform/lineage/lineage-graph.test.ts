import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { createDuckDbWarehouse, duckDbDialect, type Warehouse } from '../../warehouse/index.js';
import { loadProject, type Project } from '../compile-project.js';
import type { LineageGraph } from './lineage-graph.js';
import { buildLineageGraph } from './lineage-graph.js';
import { assetLineageView, columnLineageView } from './lineage-view.js';
import { resolveProjectLineage } from './resolve-project-lineage.js';
import { toDot } from './to-dot.js';
import { toMermaid } from './to-mermaid.js';
import { traceColumn } from './trace-column.js';
import { walkAssets } from './walk-assets.js';

let parser: Warehouse;
let project: Project;
let graph: LineageGraph;

async function parse(sql: string): Promise<unknown> {
  const [row] = await parser.query(`SELECT json_serialize_sql(${parser.dialect.quoteLiteral(sql)}) AS j`);
  return JSON.parse(String(row?.j));
}

// The shipped models, parsed the way `gmp lineage` does (orchestration/lineage does the same IO).
beforeAll(async () => {
  parser = await createDuckDbWarehouse({ path: ':memory:' });
  project = loadProject({ dir: path.join(packageRoot(), 'models'), dialect: duckDbDialect });
  const relationOf = new Map(project.models.map((m) => [m.name, m.relation]));
  const parsed = [];
  for (const m of project.models) {
    parsed.push({
      relation: m.relation,
      inputs: [...m.refs.map((r) => relationOf.get(r)!), ...m.sources.map((s) => project.sourceRelation(s.source, s.table))],
      parsed: await parse(project.compile(m.name, null)),
    });
  }
  graph = buildLineageGraph(project, resolveProjectLineage(parsed, ['raw.rawg_games', 'raw.rawg_genres', 'raw.rawg_platforms', 'raw.events']), (s, t) => project.sourceRelation(s, t));
});
afterAll(() => parser.close());

describe('lineage of the shipped models', () => {
  it('marts.dim_games.metacritic leads back to the raw metacritic field through both staging models', () => {
    const trace = traceColumn(graph, 'marts.dim_games', 'metacritic', 'upstream');
    expect(trace.edges).toEqual([
      { from: 'staging.stg_rawg__games.metacritic', to: 'marts.dim_games.metacritic' },
      { from: 'staging.stg_rawg__games_daily.metacritic', to: 'staging.stg_rawg__games.metacritic' },
      { from: 'raw.rawg_games.value→metacritic', to: 'staging.stg_rawg__games_daily.metacritic' },
    ]);
    expect(trace.nodes.at(-1)).toEqual({
      id: 'raw.rawg_games.value→metacritic',
      relation: 'raw.rawg_games',
      asset: 'rawg/games',
      column: 'value',
      path: 'metacritic',
      resolved: true,
    });
  });

  it('a bridge key leads back to the nested array it came from', () => {
    const trace = traceColumn(graph, 'marts.bridge_game_genres', 'genre_id', 'upstream');
    expect(trace.nodes.map((n) => n.id)).toEqual([
      'marts.bridge_game_genres.genre_id',
      'staging.stg_rawg__game_genres_daily.genre_id',
      // The list the games' record was parsed into, once.
      'staging.stg_rawg__games_daily.genres→[*].id',
      'raw.rawg_games.value→genres[*].id',
    ]);
    const platform = traceColumn(graph, 'marts.bridge_game_platforms', 'platform_id', 'upstream');
    expect(platform.nodes.at(-1)?.id).toBe('raw.rawg_games.value→platforms[*].platform.id');
    // Developer and publisher links exist only in the game details.
    const developer = traceColumn(graph, 'marts.bridge_game_developers', 'developer_id', 'upstream');
    expect(developer.nodes.map((n) => n.id)).toEqual([
      'marts.bridge_game_developers.developer_id',
      'staging.stg_rawg__game_developers_daily.developer_id',
      'staging.stg_rawg__game_details_daily.developers→[*].id',
      'raw.rawg_game_details.value→developers[*].id',
    ]);
  });

  it('resolves every column of every shipped model, full outer joins of CTEs included', () => {
    for (const m of graph.models) expect({ model: m.relation, resolved: m.resolved, reason: m.reason }).toEqual({ model: m.relation, resolved: true, reason: undefined });
    const genreId = graph.models.find((m) => m.relation === 'marts.dim_genres')?.columns.find((c) => c.column === 'genre_id');
    expect(genreId?.sources).toEqual([
      { relation: 'staging.stg_rawg__game_genres_daily', column: 'genre_id' },
      { relation: 'staging.stg_rawg__genres', column: 'genre_id' },
    ]);
  });

  it('walks downstream from a raw field to every mart column that reads it', () => {
    const trace = traceColumn(graph, 'staging.stg_rawg__games_daily', 'metacritic', 'downstream');
    expect(trace.nodes.map((n) => n.id).sort()).toEqual([
      'marts.dim_games.metacritic',
      'marts.fct_game_daily_snapshot.metacritic',
      'marts.mart_platform_year.avg_metacritic',
      'marts.mart_publisher_portfolio.avg_metacritic',
      'marts.ml_game_features.metacritic',
      'staging.stg_rawg__games.metacritic',
      'staging.stg_rawg__games_daily.metacritic',
    ]);
  });

  it('has asset- and model-level edges from refs and sources', () => {
    expect(graph.assetEdges).toContainEqual({ from: 'rawg/games', to: 'staging/stg_rawg__games_daily' });
    expect(graph.modelEdges).toContainEqual({ from: 'staging.stg_rawg__games', to: 'marts.dim_games' });
    const up = walkAssets(graph, 'marts/dim_games', 'upstream');
    expect(up.assets.map((a) => a.key)).toEqual(['marts/dim_games', 'rawg/games', 'staging/stg_rawg__games', 'staging/stg_rawg__games_daily']);
    expect(walkAssets(graph, 'marts/dim_games', 'downstream').assets.map((a) => a.key).sort()).toEqual([
      'marts/dim_games',
      'marts/fct_game_predictions',
      'marts/fct_releases',
      'marts/mart_game_interest_daily',
      'marts/mart_genre_trends',
      'marts/mart_platform_year',
      'marts/mart_publisher_portfolio',
      'marts/mart_store_funnel',
      'marts/ml_game_features',
    ]);
  });

  it('falls back to model-level lineage, with the reason, for a column it cannot resolve', async () => {
    const models = resolveProjectLineage(
      [
        { relation: 'staging.s', inputs: ['raw.rawg_games'], parsed: await parse(`select value ->> '$.id' as id from raw.rawg_games`) },
        { relation: 'marts.m', inputs: ['staging.s'], parsed: await parse('select id, (select max(id) from staging.s) as top from staging.s') },
        { relation: 'marts.n', inputs: ['staging.s'], parsed: await parse(`select * from read_parquet('x')`) },
      ],
      ['raw.rawg_games'],
    );
    const top = models[1]?.columns[1];
    expect(top).toMatchObject({ column: 'top', resolved: false, modelSources: ['staging.s'] });
    expect(top?.reason).toMatch(/scalar subquery is not followed/);
    expect(models[2]).toMatchObject({ relation: 'marts.n', resolved: false, columns: [], reason: 'table function read_parquet() in FROM' });

    const fake = buildLineageGraph({ models: [], nodes: [] }, models);
    const trace = traceColumn(fake, 'marts.m', 'top', 'upstream');
    expect(trace.nodes[0]).toMatchObject({ id: 'marts.m.top', resolved: false });
    expect(trace.edges).toContainEqual({ from: 'staging.s.*', to: 'marts.m.top' });
  });
});

describe('drawing lineage', () => {
  it('writes a well-formed Mermaid flowchart: one node line per node, one edge line per edge', () => {
    const trace = traceColumn(graph, 'marts.bridge_game_genres', 'genre_id', 'upstream');
    const lines = toMermaid(columnLineageView([trace])).trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const nodes = lines.filter((l) => /^ {2}n\d+\["[^"]*"\]$/.test(l));
    const edges = lines.filter((l) => /^ {2}n\d+ -->(\|"[^"]*"\|)? n\d+$/.test(l));
    expect(nodes).toHaveLength(4);
    expect(edges).toHaveLength(3);
    expect(nodes.length + edges.length + 1).toBe(lines.length);
    expect(lines).toContain('  n3["raw.rawg_games.value→genres[*].id"]');
    for (const e of edges) for (const id of e.match(/n\d+/g)!) expect(nodes.some((n) => n.startsWith(`  ${id}[`))).toBe(true);
  });

  it('writes a well-formed DOT digraph with quoted ids and dashed unresolved nodes', () => {
    const dot = toDot(assetLineageView(walkAssets(graph, 'marts/dim_games', 'upstream')));
    const lines = dot.trimEnd().split('\n');
    expect(lines[0]).toBe('digraph lineage {');
    expect(lines.at(-1)).toBe('}');
    expect(lines.filter((l) => /^ {2}"[^"]+" \[label="[^"]+"\];$/.test(l))).toHaveLength(4);
    expect(lines.filter((l) => /^ {2}"[^"]+" -> "[^"]+";$/.test(l)).sort()).toEqual([
      '  "rawg/games" -> "staging/stg_rawg__games_daily";',
      '  "staging/stg_rawg__games" -> "marts/dim_games";',
      '  "staging/stg_rawg__games_daily" -> "staging/stg_rawg__games";',
    ]);
    const dashed = toDot({ nodes: [{ id: 'a "b"', label: 'a "b"', resolved: false }], edges: [] });
    expect(dashed).toContain('  "a \\"b\\"" [label="a \\"b\\"", style=dashed];');
  });
});
