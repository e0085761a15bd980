import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanceledError, WarehouseError } from '../../core/index.js';
import { holdDuckDbFile } from '../../tests/helpers/hold-duckdb-file.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import type { PublicationNotice } from '../warehouse.js';
import { createDuckDbWarehouse } from './duckdb-driver.js';
import { isUnpublishedRelationError, openPublication, readPublishedFile } from './open-publication.js';
import { createSharedDuckDbWarehouse } from './shared-duckdb-warehouse.js';

const AT = '2025-06-30T12:00:00.000Z';

/** A warehouse with a big staging table (raw JSON, as the pipeline keeps), a view over it, and small marts. */
async function buildWarehouse(): Promise<{ file: string; published: string }> {
  const dir = tempDir('gmp-publish-');
  const file = path.join(dir, 'warehouse.duckdb');
  const w = await createDuckDbWarehouse({ path: file });
  try {
    await w.execute([
      'CREATE SCHEMA raw', 'CREATE SCHEMA staging', 'CREATE SCHEMA marts', 'CREATE SCHEMA checks',
      `CREATE VIEW raw.rawg_games AS SELECT range AS id FROM range(3)`,
      `CREATE TABLE staging.stg_rawg__game_details AS SELECT range AS game_id, repeat(md5(range::VARCHAR), 40) AS record FROM range(200000)`,
      `CREATE TABLE marts.dim_games AS SELECT range AS game_id, 'game ' || range AS name, DATE '2025-01-01' + (range % 365)::INTEGER AS released FROM range(1000)`,
      `CREATE TABLE marts.bridge_game_genres AS SELECT range AS game_id, range % 19 AS genre_id FROM range(1000)`,
      `CREATE VIEW marts.recent_games AS SELECT * FROM marts.dim_games WHERE released >= DATE '2025-06-01'`,
      `CREATE VIEW marts.games_with_details AS SELECT g.name, d.record FROM marts.dim_games g JOIN staging.stg_rawg__game_details d USING (game_id)`,
      `CREATE TABLE checks.audit AS SELECT 'ok' AS outcome`,
    ]);
  } finally {
    await w.close();
  }
  return { file, published: path.join(dir, 'warehouse.snapshot.duckdb') };
}

async function publish(file: string, runId: string, signal?: AbortSignal) {
  const shared = createSharedDuckDbWarehouse({ path: file, waitMs: 0 });
  try {
    return await shared.publishSnapshot({ runId, publishedAt: AT, ...(signal ? { signal } : {}) });
  } finally {
    await shared.close();
  }
}

describe('publishing the marts for readers', () => {
  it('publishes the marts and checks, not the pipeline’s raw and staging, at a fraction of the warehouse’s size, with a record', async () => {
    const { file, published } = await buildWarehouse();
    const publication = await publish(file, 'run-1');

    expect(publication).toEqual({
      runId: 'run-1',
      publishedAt: AT,
      relations: ['checks.audit', 'marts.bridge_game_genres', 'marts.dim_games', 'marts.recent_games'],
      path: published,
      bytes: statSync(published).size,
      ms: expect.any(Number),
    });
    expect(publication!.bytes).toBeLessThan(statSync(file).size / 4);
    expect(await readPublishedFile(published)).toEqual({ runId: 'run-1', publishedAt: AT, relations: publication!.relations, path: published, bytes: publication!.bytes });
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['warehouse.duckdb', 'warehouse.snapshot.duckdb']);

    const { warehouse } = await openPublication(published);
    try {
      expect(await warehouse.query('SELECT count(*) AS n, max(name) AS last FROM marts.dim_games')).toEqual([{ n: 1000, last: 'game 999' }]);
      expect(await warehouse.query('SELECT count(*) AS n FROM marts.recent_games')).toEqual([{ n: 547 }]);
      expect((await warehouse.listRelations()).map((r) => `${r.schema}.${r.name}`)).toEqual([
        'checks.audit', 'main.gmp_publication', 'marts.bridge_game_genres', 'marts.dim_games', 'marts.recent_games',
      ]);
      const error = (await warehouse.query('SELECT * FROM staging.stg_rawg__game_details LIMIT 1').catch((e: unknown) => e)) as WarehouseError;
      expect(isUnpublishedRelationError(error)).toBe(true);
      expect(error.message).toBe('staging.stg_rawg__game_details is not published for readers while a run holds the warehouse; query marts.*, or retry when the run ends');
      expect(error.retryable).toBe(true);
    } finally {
      await warehouse.close();
    }
  });

  it('swaps the file: a reader that has the previous publication open keeps reading it, a new one sees the new', async () => {
    const { file, published } = await buildWarehouse();
    await publish(file, 'run-1');
    const { warehouse: before } = await openPublication(published);
    try {
      const w = await createDuckDbWarehouse({ path: file });
      await w.execute(['INSERT INTO marts.dim_games VALUES (5000, $$new game$$, DATE $$2025-06-30$$)']);
      await w.close();
      await publish(file, 'run-2');

      expect(await before.query('SELECT count(*) AS n FROM marts.dim_games')).toEqual([{ n: 1000 }]);
      const after = await openPublication(published);
      try {
        expect(after.record?.runId).toBe('run-2');
        expect(await after.warehouse.query('SELECT count(*) AS n FROM marts.dim_games')).toEqual([{ n: 1001 }]);
      } finally {
        await after.warehouse.close();
      }
    } finally {
      await before.close();
    }
  });

  it('a failed publish leaves the previous publication and no temp file; a killed one’s temp file goes at the next publish', async () => {
    const { file, published } = await buildWarehouse();
    await publish(file, 'run-1');
    const controller = new AbortController();
    controller.abort();
    const failed = await publish(file, 'run-2', controller.signal).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WarehouseError);
    expect((failed as WarehouseError).cause).toBeInstanceOf(CanceledError);
    expect((await readPublishedFile(published))?.runId).toBe('run-1');
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['warehouse.duckdb', 'warehouse.snapshot.duckdb']);

    // What a process killed in the middle of a publish leaves behind.
    writeFileSync(`${published}.tmp-999999`, 'half a database');
    writeFileSync(`${published}.tmp-999999.wal`, 'half a log');
    expect((await readPublishedFile(published))?.runId).toBe('run-1');
    await publish(file, 'run-3');
    expect((await readPublishedFile(published))?.runId).toBe('run-3');
    expect(readdirSync(path.dirname(file)).sort()).toEqual(['warehouse.duckdb', 'warehouse.snapshot.duckdb']);
  });
});

describe('a reader while another process holds the warehouse', () => {
  it('reads the publication, is told which run published it when, and is told staging is not published', async () => {
    const { file, published } = await buildWarehouse();
    await publish(file, 'run-7');
    const holder = await holdDuckDbFile(file);
    const notices: PublicationNotice[] = [];
    const reader = createSharedDuckDbWarehouse({ path: file, waitMs: 0, readOnly: true, onSnapshot: (n) => notices.push(n) });
    try {
      expect(await reader.query('SELECT count(*) AS n FROM marts.bridge_game_genres')).toEqual([{ n: 1000 }]);
      expect(notices).toEqual([{ path: published, publishedAt: AT, runId: 'run-7' }]);
      const error = (await reader.query('SELECT count(*) FROM raw.rawg_games').catch((e: unknown) => e)) as WarehouseError;
      expect(error.code).toBe('WAREHOUSE_BUSY');
      expect(error.message).toBe('raw.rawg_games is not published for readers while a run holds the warehouse; query marts.*, or retry when the run ends');
    } finally {
      await reader.close();
      await holder.release();
    }
  });

  it('with untrusted SQL, reaches no file beyond the publication', async () => {
    const { file } = await buildWarehouse();
    await publish(file, 'run-8');
    const holder = await holdDuckDbFile(file);
    const reader = createSharedDuckDbWarehouse({ path: file, waitMs: 0, readOnly: true, untrusted: true });
    try {
      expect(await reader.query('SELECT count(*) AS n FROM marts.dim_games')).toEqual([{ n: 1000 }]);
      await expect(reader.query(`SELECT * FROM read_text('/etc/hostname')`)).rejects.toThrow(/disabled|external access/i);
      await expect(reader.query(`SET enable_external_access = true`)).rejects.toThrow(/lock|configuration/i);
    } finally {
      await reader.close();
      await holder.release();
    }
  });
});
