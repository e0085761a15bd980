import { afterEach, describe, expect, it } from 'vitest';
import { holdDuckDbFile } from '../../tests/helpers/hold-duckdb-file.js';
import { testWorkspace } from '../../tests/helpers/workspace.js';
import { createDuckDbWarehouse, createSharedWarehouse, isUnpublishedRelationError } from '../../warehouse/index.js';
import { readersPublication } from '../query.js';
import type { Workspace } from '../workspace.js';
import { withReader } from './market.js';
import { closePinnedSnapshots } from './pinned-reader.js';

const AT = '2025-06-30T06:00:00.000Z';

/** A workspace whose DuckDB warehouse has a mart and a staging table, and a publication of the marts. */
async function publishedWorkspace(): Promise<{ ws: Workspace; file: string }> {
  const ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9/api', key: 'readers-test-key', now: AT });
  if (ws.config.warehouse.type !== 'duckdb') throw new Error('expected the default DuckDB warehouse');
  const file = ws.config.warehouse.path;
  const w = await createDuckDbWarehouse({ path: file });
  await w.execute([
    'CREATE SCHEMA staging', 'CREATE SCHEMA marts',
    `CREATE TABLE staging.stg_rawg__game_details AS SELECT range AS game_id, '{"description": "<p>hi</p>"}' AS record FROM range(10)`,
    `CREATE TABLE marts.dim_games AS SELECT range AS game_id, 'game ' || range AS name FROM range(10)`,
  ]);
  await w.close();
  const shared = createSharedWarehouse(ws.config.warehouse);
  await shared.publishSnapshot({ runId: 'run-1', publishedAt: AT });
  await shared.close();
  return { ws, file };
}

const stagingCount = (ws: Workspace) => withReader(ws, (w) => w.query('SELECT count(*) AS n FROM staging.stg_rawg__game_details'));
const martCount = (ws: Workspace) => withReader(ws, (w) => w.query('SELECT count(*) AS n FROM marts.dim_games'));

afterEach(async () => {
  await closePinnedSnapshots();
});

describe('the readers of gmp serve', () => {
  it('say which run published the marts readers get, when, how big, and what they hold', async () => {
    const { ws } = await publishedWorkspace();
    const publication = await readersPublication(ws);
    expect(publication).toEqual({ runId: 'run-1', publishedAt: AT, relations: ['marts.dim_games'], path: expect.stringMatching(/warehouse\.snapshot\.duckdb$/), bytes: expect.any(Number) });
    expect(publication!.bytes).toBeGreaterThan(0);
  });

  it('read staging in the warehouse itself when no run holds it, and get the marts from the publication', async () => {
    const { ws } = await publishedWorkspace();
    expect(await martCount(ws)).toEqual([{ n: 10 }]);
    expect(await stagingCount(ws)).toEqual([{ n: 10 }]);
  });

  it('while a run holds the warehouse, answer from the published marts and say staging is not published', async () => {
    const { ws, file } = await publishedWorkspace();
    const holder = await holdDuckDbFile(file);
    try {
      expect(await martCount(ws)).toEqual([{ n: 10 }]);
      const error = await stagingCount(ws).catch((e: unknown) => e);
      expect(isUnpublishedRelationError(error)).toBe(true);
      expect((error as Error).message).toContain('staging.stg_rawg__game_details is not published for readers while a run holds the warehouse');
    } finally {
      await holder.release();
    }
  });
});
