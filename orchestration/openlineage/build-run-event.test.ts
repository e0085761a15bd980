import { describe, expect, it } from 'vitest';
import type { LineageGraph } from '../../transform/index.js';
import { buildRunEvent } from './build-run-event.js';
import { lineageUuid } from './lineage-uuid.js';
import { GMP_PRODUCER, OPENLINEAGE_SCHEMA_URL } from './openlineage-event.js';
import { stepDatasets } from './step-datasets.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NS = 'duckdb:///tmp/warehouse.duckdb';

const graph: LineageGraph = {
  assets: [
    { key: 'rawg/games', relation: 'raw.rawg_games', kind: 'source' },
    { key: 'staging/stg_games', relation: 'staging.stg_games', kind: 'model', materialized: 'view' },
    { key: 'marts/dim_games', relation: 'marts.dim_games', kind: 'model', materialized: 'table' },
  ],
  assetEdges: [],
  modelEdges: [],
  models: [
    {
      relation: 'staging.stg_games',
      inputs: ['raw.rawg_games'],
      resolved: true,
      columns: [
        { column: 'game_id', sources: [{ relation: 'raw.rawg_games', column: 'value', path: 'id' }], resolved: true },
        { column: 'metacritic', sources: [{ relation: 'raw.rawg_games', column: 'value', path: 'metacritic' }], resolved: true },
      ],
    },
    {
      relation: 'marts.dim_games',
      inputs: ['staging.stg_games'],
      resolved: false,
      columns: [
        { column: 'game_id', sources: [{ relation: 'staging.stg_games', column: 'game_id' }], resolved: true },
        { column: 'metacritic', sources: [{ relation: 'staging.stg_games', column: 'metacritic' }], resolved: true },
        { column: 'score', sources: [], resolved: false, reason: 'a scalar subquery', modelSources: ['staging.stg_games'] },
      ],
    },
  ],
};

describe('lineageUuid', () => {
  it('is a deterministic UUIDv5 per (run, step)', () => {
    expect(lineageUuid('20250630T120000Z-abc123', 'marts/dim_games')).toMatch(UUID);
    expect(lineageUuid('20250630T120000Z-abc123', 'marts/dim_games')).toBe(lineageUuid('20250630T120000Z-abc123', 'marts/dim_games'));
    expect(lineageUuid('20250630T120000Z-abc123', 'marts/dim_games')).not.toBe(lineageUuid('20250630T120000Z-abc123', 'marts/dim_genres'));
    expect(lineageUuid('20250630T120000Z-abc123')).not.toBe(lineageUuid('20250630T120000Z-abc124'));
  });
});

describe('buildRunEvent', () => {
  it('builds a 2-0-2 RunEvent with the gmp run as parent', () => {
    const event = buildRunEvent({
      eventType: 'START',
      eventTime: '2025-06-30T12:00:00.000Z',
      runId: 'r1',
      stepId: 'rawg/games[2025-06-28]',
      asset: 'rawg/games',
      parentJob: 'materialize',
      ...stepDatasets({ kind: 'ingestion', endpoint: '/games', relation: 'raw.rawg_games' }, undefined, NS, false),
    });
    expect(event).toMatchObject({
      eventType: 'START',
      eventTime: '2025-06-30T12:00:00.000Z',
      run: {
        runId: lineageUuid('r1', 'rawg/games[2025-06-28]'),
        facets: { parent: { run: { runId: lineageUuid('r1') }, job: { namespace: 'gmp', name: 'materialize' }, _producer: GMP_PRODUCER } },
      },
      job: { namespace: 'gmp', name: 'rawg/games' },
      inputs: [{ namespace: 'rawg', name: '/games' }],
      outputs: [{ namespace: NS, name: 'raw.rawg_games', facets: { schema: { fields: [{ name: 'dt' }, { name: 'run_id' }, { name: 'value' }] } } }],
      producer: GMP_PRODUCER,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
    });
    expect(event.run.facets?.errorMessage).toBeUndefined();
  });

  it('carries the error message on FAIL', () => {
    const event = buildRunEvent({ eventType: 'FAIL', eventTime: 't', runId: 'r1', stepId: 's', asset: 's', parentJob: 'backfill', errorMessage: 'boom' });
    expect(event.run.facets?.errorMessage).toMatchObject({ message: 'boom', programmingLanguage: 'TypeScript' });
    expect(event).toMatchObject({ inputs: [], outputs: [] });
  });
});

describe('stepDatasets', () => {
  it('gives a model its inputs, schema and column lineage traced to the raw JSON field', () => {
    const { inputs, outputs } = stepDatasets({ kind: 'model', relation: 'marts.dim_games' }, graph, NS, true);
    expect(inputs).toEqual([
      { namespace: NS, name: 'staging.stg_games', facets: { schema: expect.objectContaining({ fields: [{ name: 'game_id' }, { name: 'metacritic' }] }) } },
    ]);
    const [out] = outputs;
    expect(out?.facets?.schema?.fields.map((f) => f.name)).toEqual(['game_id', 'metacritic', 'score']);
    const fields = out?.facets?.columnLineage?.fields;
    expect(fields?.metacritic?.inputFields).toEqual([
      { namespace: NS, name: 'staging.stg_games', field: 'metacritic', transformations: [{ type: 'DIRECT', description: 'direct input' }] },
      { namespace: NS, name: 'raw.rawg_games', field: 'value', transformations: [{ type: 'DIRECT', description: 'raw origin, JSON path metacritic' }] },
    ]);
    // A column nothing could be resolved for has no input fields to name.
    expect(fields?.score).toBeUndefined();
  });

  it('leaves column lineage out unless asked, and degrades without a lineage graph', () => {
    expect(stepDatasets({ kind: 'model', relation: 'marts.dim_games' }, graph, NS, false).outputs[0]?.facets?.columnLineage).toBeUndefined();
    expect(stepDatasets({ kind: 'model', relation: 'marts.dim_games' }, undefined, NS, true)).toEqual({
      inputs: [],
      outputs: [{ namespace: NS, name: 'marts.dim_games' }],
    });
    expect(stepDatasets({ kind: 'other' }, graph, NS, true)).toEqual({ inputs: [], outputs: [] });
  });
});
