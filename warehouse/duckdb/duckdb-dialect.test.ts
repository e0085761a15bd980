import { describe, expect, it } from 'vitest';
import { duckDbDialect } from './duckdb-dialect.js';
import { createDuckDbWarehouse } from './duckdb-driver.js';

const hourly = { hourly: true, columns: ['event_id'] } as const;
const hourFile = '/lake/raw/events/events/dt=2026-12-07T01/run=log1-3/part-00000.jsonl.gz';
const dayFile = '/lake/raw/events/events/dt=2026-12-05/run=compact-1/part-00000.parquet';
const JSON_SELECT =
  "SELECT dt, run AS run_id, json ->> '$.event_id' AS event_id, json AS value " +
  `FROM read_ndjson_objects(['${hourFile}'], hive_partitioning = true, hive_types = {'dt': VARCHAR, 'run': VARCHAR})`;
const PARQUET_SELECT =
  "SELECT hour AS dt, run_id, CAST(value AS JSON) ->> '$.event_id' AS event_id, CAST(value AS JSON) AS value " +
  `FROM read_parquet(['${dayFile}'], hive_partitioning = false)`;

describe('duckDbDialect.rawTableView over hourly partitions and compacted days', () => {
  it('reads hourly JSON files alone as before', () => {
    expect(duckDbDialect.rawTableView('raw.events', [hourFile], hourly)).toBe(`CREATE OR REPLACE VIEW raw.events AS ${JSON_SELECT}`);
  });

  it('unions the compacted days’ Parquet with the same columns, dt the stored hour', () => {
    expect(duckDbDialect.rawTableView('raw.events', [dayFile, hourFile], hourly)).toBe(`CREATE OR REPLACE VIEW raw.events AS ${JSON_SELECT} UNION ALL ${PARQUET_SELECT}`);
    expect(duckDbDialect.rawTableView('raw.events', [dayFile], hourly)).toBe(`CREATE OR REPLACE VIEW raw.events AS ${PARQUET_SELECT}`);
  });

  it('leaves daily entities to read_ndjson_objects whatever their file names', () => {
    expect(duckDbDialect.rawTableView('raw.rawg_games', ['/lake/raw/rawg/games/dt=2025-06-28/run=r1/part-00000.jsonl.gz'])).toBe(
      "CREATE OR REPLACE VIEW raw.rawg_games AS SELECT dt, run AS run_id, json AS value FROM read_ndjson_objects(['/lake/raw/rawg/games/dt=2025-06-28/run=r1/part-00000.jsonl.gz'], hive_partitioning = true, hive_types = {'dt': DATE, 'run': VARCHAR})",
    );
  });
});

describe('duckDbDialect.macros.round_float', () => {
  it('rounds an average to the given decimals and keeps it a DOUBLE', async () => {
    const warehouse = await createDuckDbWarehouse({ path: ':memory:' });
    try {
      const rounded = duckDbDialect.macros.round_float!('avg(x)', '2');
      const rows = await warehouse.query(`SELECT ${rounded} AS v, typeof(${rounded}) AS t FROM (VALUES (1), (2), (2)) AS s(x)`);
      expect(rows).toEqual([{ v: 1.67, t: 'DOUBLE' }]);
    } finally {
      await warehouse.close();
    }
  });
});
