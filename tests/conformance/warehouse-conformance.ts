import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CanceledError, WarehouseError } from '../../core/index.js';
import { materializationStatements } from '../../transform/index.js';
import type { Warehouse, WarehouseDialect } from '../../warehouse/index.js';
import { describeDependentsConformance } from './warehouse-dependents-conformance.js';
import { describeLoadConformance } from './warehouse-load-conformance.js';
import { describeMacroConformance } from './warehouse-macros-conformance.js';
import { describeMaterializationConformance } from './warehouse-materializations-conformance.js';
import { model } from './warehouse-model.js';
import { removeLakeDirs, seedItems, seedRawRecords } from './warehouse-seed.js';

/** An engine under test: what is known before connecting, and a fresh database per test. */
export interface WarehouseEngine {
  dialect: WarehouseDialect;
  open(): Promise<OpenedWarehouse>;
  /** How many statements one warehouse runs at once (its connections). */
  parallelStatements: number;
  /** Other connections read while one writes (MVCC): `reader` and `gate` are there and the reader cases run. */
  concurrentReaders?: boolean;
  /** Users with roles and grants: `otherUser` is there and the BI-user cases run. */
  roles?: boolean;
  /** The warehouse loads lake files into tables (`loadCommittedFiles`): the load cases run. */
  loadsCommittedFiles?: boolean;
}

/** A warehouse on a fresh, empty database, with what the engine offers beyond the Warehouse interface. */
export interface OpenedWarehouse {
  warehouse: Warehouse;
  /** A second connection to the same database. */
  reader?: Warehouse;
  /** Makes model SQL wait where the test chooses. */
  gate?(): Promise<Gate>;
  /** Another user on the same database (its own connection), e.g. a BI tool's login. */
  otherUser?(name: string): Promise<{ role: string; warehouse: Warehouse }>;
  /** Resolves once exactly `sessions` sessions wait for a lock while running a statement that contains `marker`. */
  waitingForLock?(marker: string, sessions: number): Promise<void>;
  /** A statement that runs for minutes unless canceled; each call gives a new one. */
  longStatement(): Promise<LongStatement>;
  /** The SQLSTATE the engine reports for a missing table, where its errors carry one. */
  missingTableSqlstate?: string;
  /** A credential the warehouse was opened with, which no error may show. */
  secret?: string;
  close(): Promise<void>;
}

export interface Gate {
  /** A boolean SQL expression, true once the gate is open; a statement evaluating it waits until then. */
  sql: string;
  /** Resolves once a statement waits at the gate. */
  waiting(): Promise<void>;
  open(): Promise<void>;
}

export interface LongStatement {
  sql: string;
  /** Resolves once the engine is running the statement (not merely sent it). */
  running(): Promise<void>;
}

/** A fresh database for one test; the suite closes it after the test. */
export type FreshWarehouse = () => Promise<OpenedWarehouse>;

const HOSTILE = "x'; drop table src.items; --";

/**
 * The contract every warehouse engine honours on a real database: materializations, names and
 * literals, the models' macros, errors, cancellation and bound parameters; and, where the engine
 * has them, concurrent readers, other users' views and grants, and loading lake files.
 */
export function describeWarehouseConformance(name: string, engine: WarehouseEngine): void {
  describe(`Warehouse conformance: ${name}`, () => {
    const opened: OpenedWarehouse[] = [];
    const fresh: FreshWarehouse = async () => {
      const target = await engine.open();
      opened.push(target);
      return target;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((t) => t.close()));
    });
    afterAll(removeLakeDirs);

    it('declares truthfully what it offers beyond the Warehouse interface', async () => {
      const { warehouse, reader, gate, otherUser } = await fresh();
      expect(warehouse.dialect).toBe(engine.dialect);
      expect({ reader: reader !== undefined, gate: gate !== undefined }).toEqual({ reader: !!engine.concurrentReaders, gate: !!engine.concurrentReaders });
      expect(otherUser !== undefined).toBe(!!engine.roles);
      expect(typeof warehouse.loadCommittedFiles === 'function').toBe(!!engine.loadsCommittedFiles);
    });

    describeMaterializationConformance(fresh, engine);
    describeIdentifierConformance(fresh);
    describeMacroConformance(fresh, engine.dialect);
    describeErrorConformance(fresh, engine);
    describeDependentsConformance(fresh, engine);
    if (engine.loadsCommittedFiles) describeLoadConformance(fresh, engine);
  });
}

function describeIdentifierConformance(fresh: FreshWarehouse): void {
  describe('names and literals', () => {
    const tables = ['order', 'MixedCase', 'say "hi"', "it's"];
    const columns = ['select', 'Total', 'a"b', "it's", 'with space'];

    it('builds and reads relations and columns named with reserved words, mixed case and quote characters', async () => {
      const { warehouse } = await fresh();
      const { quoteIdent: q, quoteLiteral: lit } = warehouse.dialect;
      const select = columns.map((c, i) => `${i} AS ${q(c)}`).join(', ');
      for (const table of tables) {
        await warehouse.execute(materializationStatements(warehouse.dialect, model(`marts.${table}`, 'table'), `SELECT ${select}`, null), { transaction: true });
        const rows = await warehouse.query(`SELECT ${columns.map(q).join(', ')} FROM ${q('marts')}.${q(table)} WHERE ${q('Total')} = 1`);
        expect(rows, table).toEqual([Object.fromEntries(columns.map((c, i) => [c, i]))]);
      }
      // A view, and an incremental model merged on a reserved-word key.
      await warehouse.execute(materializationStatements(warehouse.dialect, model('marts.Select', 'view'), `SELECT ${q('select')} FROM ${q('marts')}.${q('order')}`, null), { transaction: true });
      const key = model('marts.from', 'incremental', { uniqueKey: ['order'] });
      await warehouse.execute(materializationStatements(warehouse.dialect, key, `SELECT 1 AS ${q('order')}, ${lit('old')} AS ${q('Value')}`, null), { transaction: true });
      await warehouse.execute(materializationStatements(warehouse.dialect, key, `SELECT 1 AS ${q('order')}, ${lit('new')} AS ${q('Value')}`, null, { relationExists: true }), { transaction: true });
      expect(await warehouse.query(`SELECT * FROM ${q('marts')}.${q('from')}`)).toEqual([{ order: 1, Value: 'new' }]);
      expect(await warehouse.query(`SELECT * FROM ${q('marts')}.${q('Select')}`)).toEqual([{ select: 0 }]);
      const listed = (await warehouse.listRelations()).filter((r) => r.schema === 'marts');
      expect(listed.map((r) => `${r.name}:${r.type}`).sort()).toEqual([...tables.map((t) => `${t}:table`), 'Select:view', 'from:table'].sort());
    });

    it('keeps literals with quotes, backslashes, line breaks and unicode exactly', async () => {
      const { warehouse } = await fresh();
      const { quoteLiteral: lit } = warehouse.dialect;
      const values = ["it's", "''", 'back\\slash', "\\'", 'ends with \\', 'line\nbreak\ttab', 'ünïcödé ☃ 日本語 😀', '$$ $gmp_swap$ -- /* ? %s'];
      const union = values.map((v, i) => `SELECT ${i} AS i, ${lit(v)} AS v`).join(' UNION ALL ');
      expect(await warehouse.query(`SELECT i, v FROM (${union}) AS t ORDER BY i`)).toEqual(values.map((v, i) => ({ i, v })));
      await warehouse.execute([warehouse.dialect.createSchema('lit'), `CREATE TABLE lit.vals AS ${union}`]);
      for (const [i, v] of values.entries()) expect(await warehouse.query(`SELECT i FROM lit.vals WHERE v = ${lit(v)}`), v).toEqual([{ i }]);
    });

    it('binds ? parameters as values, never as SQL', async () => {
      const { warehouse } = await fresh();
      await seedItems(warehouse);
      expect(await warehouse.query('SELECT count(*) AS n FROM src.items WHERE name = ?', { params: [HOSTILE] })).toEqual([{ n: 0 }]);
      // A `?` inside a string literal is text, not a placeholder.
      expect(await warehouse.query("SELECT '?' AS q, CAST(? AS VARCHAR) AS v", { params: [HOSTILE] })).toEqual([{ q: '?', v: HOSTILE }]);
      expect(await warehouse.query('SELECT name FROM src.items WHERE id = ? OR name = ? ORDER BY name', { params: [2, 'c'] })).toEqual([{ name: 'b' }, { name: 'c' }]);
      expect(await warehouse.query('SELECT CAST(? AS VARCHAR) IS NULL AS missing', { params: [null] })).toEqual([{ missing: true }]);
      expect(await warehouse.query('SELECT count(*) AS n FROM src.items')).toEqual([{ n: 3 }]);
    });
  });
}

function describeErrorConformance(fresh: FreshWarehouse, engine: WarehouseEngine): void {
  describe('errors and cancellation', () => {
    it('fails a bad statement with a WarehouseError carrying its SQL, and rolls back the transaction it was in', async () => {
      const { warehouse, missingTableSqlstate, secret } = await fresh();
      const bad = 'SELECT * FROM src.no_such_table';
      const error = await warehouse.query(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      const context = (error as WarehouseError).context;
      expect(context.sql).toBe(bad);
      if (missingTableSqlstate !== undefined) expect(context.sqlstate).toBe(missingTableSqlstate);
      if (secret !== undefined) {
        expect(JSON.stringify((error as WarehouseError).toJSON())).not.toContain(secret);
        if ('describe' in warehouse && typeof warehouse.describe === 'function') expect(warehouse.describe()).not.toContain(secret);
      }

      const { dialect } = warehouse;
      const failing = [dialect.createSchema('tx'), 'CREATE TABLE tx.made AS SELECT 1 AS id', bad];
      const inTransaction = await warehouse.execute(failing, { transaction: true }).catch((e: unknown) => e);
      expect(inTransaction).toBeInstanceOf(WarehouseError);
      expect((inTransaction as WarehouseError).context.sql).toBe(bad);
      expect((await warehouse.listRelations()).filter((r) => r.schema === 'tx')).toEqual([]);
      expect(await warehouse.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    });

    it('cancels a long-running statement when its signal aborts, and stays usable', async () => {
      const { warehouse, longStatement } = await fresh();
      const long = await longStatement();
      const controller = new AbortController();
      const result = warehouse.query(long.sql, { signal: controller.signal });
      await long.running();
      controller.abort();
      await expect(result).rejects.toBeInstanceOf(CanceledError);
      expect(await warehouse.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    });

    it('cancels a transaction at its long statement: nothing of it stays, and every connection stays usable', async () => {
      const { warehouse, longStatement } = await fresh();
      const long = await longStatement();
      const controller = new AbortController();
      const statements = [warehouse.dialect.createSchema('tx'), 'CREATE TABLE tx.half AS SELECT 1 AS id', long.sql];
      const result = warehouse.execute(statements, { transaction: true, signal: controller.signal });
      await long.running();
      controller.abort();
      await expect(result).rejects.toBeInstanceOf(CanceledError);
      // As many at once as the warehouse has connections, so the one that was canceled serves one.
      const counts = await Promise.all(
        Array.from({ length: engine.parallelStatements }, () => warehouse.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'tx'")),
      );
      expect(counts).toEqual(Array.from({ length: engine.parallelStatements }, () => [{ n: 0 }]));
    });

    if (engine.parallelStatements > 1) {
      it('cancels long-running statements even while they hold every connection', async () => {
        const { warehouse, longStatement } = await fresh();
        const controller = new AbortController();
        const longs = await Promise.all(Array.from({ length: engine.parallelStatements }, () => longStatement()));
        const results = longs.map((l) => warehouse.query(l.sql, { signal: controller.signal }).then(() => 'finished', (e: unknown) => e));
        await Promise.all(longs.map((l) => l.running()));
        controller.abort();
        for (const result of await Promise.all(results)) expect(result).toBeInstanceOf(CanceledError);
        expect(await warehouse.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      });
    }

    it('names the columns of a result that has no rows', async () => {
      const { warehouse } = await fresh();
      await seedItems(warehouse);
      expect(warehouse.queryTable).toBeTypeOf('function');
      expect(await warehouse.queryTable!('SELECT id, name AS "Label" FROM src.items WHERE id < 0')).toEqual({ columns: ['id', 'Label'], rows: [] });
    });

    it('lists the models and raw tables it holds, never its own machinery', async () => {
      const { warehouse } = await fresh();
      await seedItems(warehouse);
      await seedRawRecords(warehouse, 'raw.games', [{ id: 1 }]);
      const build = (m: Parameters<typeof model>, sql: string, exists = false) =>
        warehouse.execute(materializationStatements(warehouse.dialect, model(...m), sql, null, { relationExists: exists }), { transaction: true });
      await build(['staging.v', 'view'], 'SELECT id, name FROM src.items');
      await build(['marts.t', 'table'], 'SELECT id, name FROM staging.v');
      await build(['marts.t', 'table'], 'SELECT id, name FROM staging.v');
      await build(['marts.inc', 'incremental', { uniqueKey: ['id'] }], 'SELECT id, name FROM staging.v');
      await build(['marts.inc', 'incremental', { uniqueKey: ['id'] }], 'SELECT id, name FROM staging.v', true);
      await warehouse.execute(materializationStatements(warehouse.dialect, model('marts.p', 'partitioned'), "SELECT CAST('2024-05-01' AS DATE) AS dt, id FROM src.items", { start: '2024-05-01', end: '2024-05-01' }), { transaction: true });
      const listed = (await warehouse.listRelations()).map((r) => `${r.schema}.${r.name}`).sort();
      expect(listed).toEqual(['marts.inc', 'marts.p', 'marts.t', 'raw.games', 'src.items', 'staging.v']);
      expect((await warehouse.listRelations()).find((r) => r.name === 'v')?.type).toBe('view');
    });
  });
}
