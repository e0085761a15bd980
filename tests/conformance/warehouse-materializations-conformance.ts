import { describe, expect, it } from 'vitest';
import { WarehouseError } from '../../core/index.js';
import type { Warehouse } from '../../warehouse/index.js';
import type { FreshWarehouse, WarehouseEngine } from './warehouse-conformance.js';
import { build, model } from './warehouse-model.js';
import { seedItems } from './warehouse-seed.js';

const day = (d: string) => `CAST('${d}' AS DATE)`;
const at = (t: string) => `CAST('${t}' AS TIMESTAMP)`;

export function describeMaterializationConformance(fresh: FreshWarehouse, engine: WarehouseEngine): void {
  describe('materializations', () => {
    it('view: shows its sources as they are now, and a rebuild replaces its query', async () => {
      const { warehouse } = await fresh();
      await seedItems(warehouse);
      const v = model('staging.items_v', 'view');
      await build(warehouse, v, 'SELECT id, name FROM src.items WHERE id < 3');
      expect(await warehouse.query('SELECT * FROM staging.items_v ORDER BY id')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
      await warehouse.execute(["INSERT INTO src.items VALUES (0, 'z')"]);
      expect(await warehouse.query('SELECT * FROM staging.items_v ORDER BY id')).toEqual([{ id: 0, name: 'z' }, { id: 1, name: 'a' }, { id: 2, name: 'b' }]);
      await build(warehouse, v, 'SELECT id, upper(name) AS name FROM src.items WHERE id >= 2');
      expect(await warehouse.query('SELECT * FROM staging.items_v ORDER BY id')).toEqual([{ id: 2, name: 'B' }, { id: 3, name: 'C' }]);
      expect((await warehouse.listRelations()).filter((r) => r.schema === 'staging')).toEqual([{ schema: 'staging', name: 'items_v', type: 'view' }]);
    });

    it('table: a rebuild replaces every row, columns included', async () => {
      const { warehouse } = await fresh();
      await seedItems(warehouse);
      const t = model('marts.items_t', 'table');
      await build(warehouse, t, 'SELECT id, name FROM src.items');
      await warehouse.execute(["INSERT INTO src.items VALUES (4, 'd')"]);
      // A table is a copy: its rows stay until it is rebuilt.
      expect(await warehouse.query('SELECT count(*) AS n FROM marts.items_t')).toEqual([{ n: 3 }]);
      await build(warehouse, t, "SELECT id, name || '!' AS label FROM src.items WHERE id > 2");
      expect(await warehouse.query('SELECT * FROM marts.items_t ORDER BY id')).toEqual([{ id: 3, label: 'c!' }, { id: 4, label: 'd!' }]);
    });

    if (engine.concurrentReaders) {
      it('table: a reader sees the old rows while a rebuild runs, without waiting for it, and the new rows once it commits', async () => {
        const { warehouse, reader, gate } = await fresh();
        await seedItems(warehouse);
        const t = model('marts.items_t', 'table');
        await build(warehouse, t, 'SELECT id, name FROM src.items WHERE id = 1');
        const g = await gate!();
        const rebuilding = build(warehouse, t, `SELECT id, name FROM src.items WHERE ${g.sql}`);
        await Promise.race([g.waiting(), rebuilding.then(() => Promise.reject(new Error('the rebuild never waited at the gate')))]);
        expect(await reader!.query('SELECT * FROM marts.items_t ORDER BY id')).toEqual([{ id: 1, name: 'a' }]);
        expect(await reader!.listRelations()).toContainEqual({ schema: 'marts', name: 'items_t', type: 'table' });
        await g.open();
        await rebuilding;
        expect(await reader!.query('SELECT * FROM marts.items_t ORDER BY id')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }]);
      });
    }

    if (engine.concurrentReaders) {
      it('table: two rebuilds side by side both succeed, the later one last, leaving no sibling behind', async () => {
        const { warehouse, reader, gate, waitingForLock } = await fresh();
        await seedItems(warehouse);
        const t = model('marts.items_t', 'table');
        await build(warehouse, t, 'SELECT id, name FROM src.items WHERE id = 1');
        const g = await gate!();
        const first = build(warehouse, t, `SELECT id, name FROM src.items WHERE id < 3 AND ${g.sql}`);
        await Promise.race([g.waiting(), first.then(() => Promise.reject(new Error('the first rebuild never waited at the gate')))]);
        const second = build(warehouse, t, 'SELECT id, name FROM src.items WHERE id = 3');
        // The second waits for the lock of the relation's rebuilds, which the first holds.
        await waitingForLock!('gmp:marts.items_t', 1);
        await g.open();
        await Promise.all([first, second]);
        expect(await reader!.query('SELECT * FROM marts.items_t ORDER BY id')).toEqual([{ id: 3, name: 'c' }]);
        expect((await reader!.listRelations()).filter((r) => r.schema === 'marts')).toEqual([{ schema: 'marts', name: 'items_t', type: 'table' }]);
        // Nothing of the lock stays with a pooled session: a third build goes through.
        await build(warehouse, t, 'SELECT id, name FROM src.items WHERE id = 2');
        expect(await reader!.query('SELECT * FROM marts.items_t ORDER BY id')).toEqual([{ id: 2, name: 'b' }]);
      });
    }

    it('nothing half-built: a failing rebuild of a table, a merge or a partition leaves the old rows intact', async () => {
      const { warehouse } = await fresh();
      // `n` casts to an integer for every row but the last: the failure comes mid-build.
      await warehouse.execute([
        warehouse.dialect.createSchema('src'),
        "CREATE TABLE src.raw_n AS SELECT * FROM (VALUES (1, '10'), (2, '20'), (3, 'x')) AS v(id, n)",
      ]);
      const failing = (columns: string) => `SELECT ${columns} FROM src.raw_n`;
      const t = model('marts.t', 'table');
      const inc = model('marts.inc', 'incremental', { uniqueKey: ['id'] });
      const p = model('marts.p', 'partitioned');
      await build(warehouse, t, 'SELECT id, n FROM src.raw_n');
      await build(warehouse, inc, 'SELECT id, n FROM src.raw_n');
      await build(warehouse, p, `SELECT ${day('2024-05-01')} AS dt, id, n FROM src.raw_n`, { range: { start: '2024-05-01', end: '2024-05-01' } });
      const before = await snapshot(warehouse);
      const listed = await warehouse.listRelations();

      await expect(build(warehouse, t, failing('id, CAST(n AS INTEGER) AS n'))).rejects.toBeInstanceOf(WarehouseError);
      await expect(build(warehouse, inc, failing("id, CAST(CAST(n AS INTEGER) AS VARCHAR) || '' AS n"), { exists: true })).rejects.toBeInstanceOf(WarehouseError);
      await expect(
        build(warehouse, p, failing(`${day('2024-05-01')} AS dt, id, CAST(CAST(n AS INTEGER) AS VARCHAR) AS n`), { range: { start: '2024-05-01', end: '2024-05-01' } }),
      ).rejects.toBeInstanceOf(WarehouseError);

      expect(await snapshot(warehouse)).toEqual(before);
      expect(await warehouse.listRelations()).toEqual(listed);
    });

    it('incremental: the first build creates the table; later builds merge on unique_key (matches replaced, new keys added, others kept)', async () => {
      const { warehouse } = await fresh();
      const inc = model('marts.scores', 'incremental', { uniqueKey: ['game_id'] });
      await build(warehouse, inc, "SELECT * FROM (VALUES (1, 'old', 10), (2, 'old', 20), (3, 'old', 30)) AS v(game_id, version, score)");
      await build(warehouse, inc, "SELECT * FROM (VALUES (2, 'new', 21), (4, 'new', 40)) AS v(game_id, version, score)", { exists: true });
      expect(await warehouse.query('SELECT * FROM marts.scores ORDER BY game_id')).toEqual([
        { game_id: 1, version: 'old', score: 10 },
        { game_id: 2, version: 'new', score: 21 },
        { game_id: 3, version: 'old', score: 30 },
        { game_id: 4, version: 'new', score: 40 },
      ]);

      // A composite key matches on every column of it.
      const daily = model('marts.daily', 'incremental', { uniqueKey: ['dt', 'game_id'] });
      const rows = (values: string) => `SELECT CAST(d AS DATE) AS dt, game_id, score FROM (VALUES ${values}) AS v(d, game_id, score)`;
      await build(warehouse, daily, rows("('2024-05-01', 1, 1), ('2024-05-02', 1, 2)"));
      await build(warehouse, daily, rows("('2024-05-02', 1, 22), ('2024-05-02', 2, 5)"), { exists: true });
      expect(await warehouse.query('SELECT CAST(dt AS VARCHAR) AS dt, game_id, score FROM marts.daily ORDER BY 1, 2')).toEqual([
        { dt: '2024-05-01', game_id: 1, score: 1 },
        { dt: '2024-05-02', game_id: 1, score: 22 },
        { dt: '2024-05-02', game_id: 2, score: 5 },
      ]);
    });

    it('partitioned by day: replacing a day range replaces exactly those days and leaves the others', async () => {
      const { warehouse } = await fresh();
      const p = model('marts.daily_events', 'partitioned', { partitionBy: 'dt' });
      const source = (version: string, extra = '') =>
        `SELECT CAST(d AS DATE) AS dt, id, '${version}' AS version FROM (VALUES ('2024-05-01', 1), ('2024-05-02', 1), ('2024-05-03', 1), ('2024-05-04', 1)${extra}) AS v(d, id)`;
      await build(warehouse, p, source('v1'), { range: { start: '2024-05-01', end: '2024-05-04' } });
      await build(warehouse, p, source('v2', ", ('2024-05-02', 2), ('2024-05-03', 2)"), { range: { start: '2024-05-02', end: '2024-05-03' } });
      await build(warehouse, p, source('v3'), { range: { start: '2024-05-04', end: '2024-05-04' } });
      expect(await warehouse.query('SELECT CAST(dt AS VARCHAR) AS dt, id, version FROM marts.daily_events ORDER BY 1, 2')).toEqual([
        { dt: '2024-05-01', id: 1, version: 'v1' },
        { dt: '2024-05-02', id: 1, version: 'v2' },
        { dt: '2024-05-02', id: 2, version: 'v2' },
        { dt: '2024-05-03', id: 1, version: 'v2' },
        { dt: '2024-05-03', id: 2, version: 'v2' },
        { dt: '2024-05-04', id: 1, version: 'v3' },
      ]);
    });

    it('partitioned and incremental: a model whose columns come in another order still fills each column by name', async () => {
      const { warehouse } = await fresh();
      const p = model('marts.by_name_p', 'partitioned');
      const inc = model('marts.by_name_inc', 'incremental', { uniqueKey: ['id'] });
      const day = (d: string) => ({ start: d, end: d });
      await build(warehouse, p, "SELECT CAST('2024-05-01' AS DATE) AS dt, 1 AS id, 10 AS rating, 100 AS votes", { range: day('2024-05-01') });
      await build(warehouse, p, "SELECT 200 AS votes, 20 AS rating, 2 AS id, CAST('2024-05-02' AS DATE) AS dt", { range: day('2024-05-02') });
      expect(await warehouse.query('SELECT id, rating, votes FROM marts.by_name_p ORDER BY id')).toEqual([
        { id: 1, rating: 10, votes: 100 },
        { id: 2, rating: 20, votes: 200 },
      ]);
      await build(warehouse, inc, 'SELECT 1 AS id, 10 AS rating, 100 AS votes');
      await build(warehouse, inc, 'SELECT 200 AS votes, 20 AS rating, 2 AS id UNION ALL SELECT 110, 11, 1', { exists: true });
      expect(await warehouse.query('SELECT id, rating, votes FROM marts.by_name_inc ORDER BY id')).toEqual([
        { id: 1, rating: 11, votes: 110 },
        { id: 2, rating: 20, votes: 200 },
      ]);
    });

    it('partitioned by hour: replacing an hour range (YYYY-MM-DDTHH keys) replaces exactly those hours, across midnight too', async () => {
      const { warehouse } = await fresh();
      const p = model('marts.hourly_events', 'partitioned', { partitionBy: 'event_hour', partitionGrain: 'hour' });
      const times = ['2024-05-01 09:59:59', '2024-05-01 10:00:00', '2024-05-01 11:59:59', '2024-05-01 12:00:00', '2024-05-01 23:30:00', '2024-05-02 00:15:00', '2024-05-02 01:00:00'];
      const source = (version: string) => `SELECT ${times.map((t) => `${at(t)} AS event_hour, '${version}' AS version`).join(' UNION ALL SELECT ')}`;
      await build(warehouse, p, source('v1'), { range: { start: '2024-05-01T09', end: '2024-05-02T01' } });
      await build(warehouse, p, source('v2'), { range: { start: '2024-05-01T10', end: '2024-05-01T11' } });
      await build(warehouse, p, source('v3'), { range: { start: '2024-05-01T23', end: '2024-05-02T00' } });
      expect(await warehouse.query('SELECT CAST(event_hour AS VARCHAR) AS event_hour, version FROM marts.hourly_events ORDER BY 1')).toEqual([
        { event_hour: '2024-05-01 09:59:59', version: 'v1' },
        { event_hour: '2024-05-01 10:00:00', version: 'v2' },
        { event_hour: '2024-05-01 11:59:59', version: 'v2' },
        { event_hour: '2024-05-01 12:00:00', version: 'v1' },
        { event_hour: '2024-05-01 23:30:00', version: 'v3' },
        { event_hour: '2024-05-02 00:15:00', version: 'v3' },
        { event_hour: '2024-05-02 01:00:00', version: 'v1' },
      ]);
    });
  });
}

/** Every row of the three models of the failing-rebuild case, as text. */
async function snapshot(warehouse: Warehouse): Promise<unknown> {
  return {
    t: await warehouse.query('SELECT id, CAST(n AS VARCHAR) AS n FROM marts.t ORDER BY id'),
    inc: await warehouse.query('SELECT id, CAST(n AS VARCHAR) AS n FROM marts.inc ORDER BY id'),
    p: await warehouse.query('SELECT CAST(dt AS VARCHAR) AS dt, id, CAST(n AS VARCHAR) AS n FROM marts.p ORDER BY id'),
  };
}
