import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import type { CommittedPartition, Row } from '../warehouse.js';
import type { SnowflakeDriver } from './snowflake-driver.js';
import { createSnowflakeWarehouse } from './snowflake-warehouse.js';

type Committed = Map<string, { runId: string; generation: number | null }>;

/**
 * A driver that records statements and plays the Snowflake side of file registration in memory.
 * Its MERGE does what the generated MERGE's WHEN MATCHED condition says (pinned in lake-files.sql):
 * switch to a higher generation (NULL read as 0), or to a greater run id at an equal one.
 */
function fakeDriver(state: { nowMs: number; registered: { file: string; ms: number }[]; committed: Committed }) {
  const log: string[] = [];
  const answer = async (sql: string): Promise<Row[]> => {
    log.push(sql);
    if (sql.startsWith('SELECT DATE_PART(epoch_millisecond, CURRENT_TIMESTAMP())')) return [{ now_ms: state.nowMs }];
    if (sql.startsWith('SELECT file_name')) return state.registered.map((f) => ({ file_name: f.file, registered_ms: f.ms }));
    if (sql.startsWith('SELECT TO_VARCHAR(dt')) return [...state.committed].map(([dt, c]) => ({ dt, run_id: c.runId, generation: c.generation ?? 0 }));
    if (sql.startsWith('ALTER EXTERNAL TABLE raw.rawg_games__lake ADD FILES')) {
      for (const [, f] of sql.matchAll(/'([^']+)'/g)) state.registered.push({ file: `raw/rawg/games/${f}`, ms: state.nowMs + 1 });
    }
    if (sql.startsWith('ALTER EXTERNAL TABLE raw.rawg_games__lake REMOVE FILES')) {
      const gone = new Set([...sql.matchAll(/'([^']+)'/g)].map((m) => `raw/rawg/games/${m[1]}`));
      state.registered = state.registered.filter((f) => !gone.has(f.file));
    }
    if (sql.startsWith('MERGE INTO raw.gmp_committed_partitions')) {
      expect(sql).toContain('WHEN MATCHED AND (m.generation > COALESCE(c.generation, 0) OR (m.generation = COALESCE(c.generation, 0) AND m.run_id > c.run_id))');
      for (const [, dt = '', runId = '', g = ''] of sql.matchAll(/DATE '([^']+)', '([^']+)', '[^']+'::TIMESTAMP_TZ, (\d+)\)/g)) {
        const before = state.committed.get(dt);
        const generation = Number(g);
        const stored = before?.generation ?? 0;
        if (before === undefined || generation > stored || (generation === stored && runId > before.runId)) state.committed.set(dt, { runId, generation });
      }
    }
    if (sql.startsWith('SELECT table_schema')) {
      return [
        { table_schema: 'MARTS', table_name: 'DIM_GAMES', table_type: 'BASE TABLE' },
        { table_schema: 'RAW', table_name: 'RAWG_GAMES', table_type: 'VIEW' },
        { table_schema: 'RAW', table_name: 'RAWG_GAMES__LAKE', table_type: 'EXTERNAL TABLE' },
        { table_schema: 'MARTS', table_name: 'Quoted', table_type: 'BASE TABLE' },
      ];
    }
    return [];
  };
  const driver: SnowflakeDriver = {
    run: (sql) => answer(sql),
    withSession: (work) => {
      log.push('<session>');
      return work({ run: (sql) => answer(sql) }).finally(() => log.push('</session>'));
    },
    close: async () => undefined,
  };
  return { driver, log };
}

const files = (dt: string, run: string, n = 1) => Array.from({ length: n }, (_, i) => `raw/rawg/games/dt=${dt}/run=${run}/part-0000${i}.jsonl.gz`);
/** The writing statements in order: ADD FILES, MERGE (the switch), REMOVE FILES. */
const writes = (log: string[]) =>
  log.filter((s) => /^(ALTER|MERGE)/.test(s)).map((s) => (s.includes('ADD FILES') ? 'add' : s.includes('REMOVE FILES') ? 'remove' : 'merge'));
const entity = { relation: 'raw.rawg_games', entityPath: 'raw/rawg/games/' };
const partition = (dt: string, runId: string, generation: number | undefined, committedAt: string, n = 1): CommittedPartition => ({
  dt,
  runId,
  committedAt,
  ...(generation === undefined ? {} : { generation }),
  keys: files(dt, runId, n),
});
/** A logger whose warnings the test reads. */
function warnings() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } as never });
  return { logger, lines };
}

describe('Snowflake warehouse: statements and transactions', () => {
  const options = { account: 'xy12345', database: 'DB', credentials: { user: 'u', type: 'password' as const, password: 'p' }, statementTimeoutS: 60 };

  it('runs leading DDL on its own, then the rest as one transaction on one session', async () => {
    const { driver, log } = fakeDriver({ nowMs: 0, registered: [], committed: new Map() });
    const w = createSnowflakeWarehouse({ ...options, driver });
    await w.execute(['CREATE SCHEMA IF NOT EXISTS marts', 'CREATE TABLE IF NOT EXISTS marts.f AS SELECT 1 AS dt WHERE false', 'DELETE FROM marts.f', 'INSERT INTO marts.f SELECT 1'], { transaction: true });
    expect(log).toEqual([
      'CREATE SCHEMA IF NOT EXISTS marts',
      'CREATE TABLE IF NOT EXISTS marts.f AS SELECT 1 AS dt WHERE false',
      '<session>',
      'BEGIN TRANSACTION',
      'DELETE FROM marts.f',
      'INSERT INTO marts.f SELECT 1',
      'COMMIT',
      '</session>',
    ]);
    expect(w.capabilities).toEqual({ readsLocalFiles: false, transactionalDdl: false });
    expect(w.describe()).toBe('snowflake://xy12345');
  });

  it('refuses DDL after DML in a transaction (Snowflake would commit half of it) before running anything', async () => {
    const { driver, log } = fakeDriver({ nowMs: 0, registered: [], committed: new Map() });
    const w = createSnowflakeWarehouse({ ...options, driver });
    await expect(w.execute(['DELETE FROM t', 'CREATE TABLE u (a INT)'], { transaction: true })).rejects.toThrow(/cannot run DDL inside a transaction/);
    expect(log).toEqual([]);
  });

  it('rolls back when a statement of the transaction fails', async () => {
    const { driver, log } = fakeDriver({ nowMs: 0, registered: [], committed: new Map() });
    const failing: SnowflakeDriver = {
      ...driver,
      withSession: (work) =>
        driver.withSession((s) =>
          work({
            run: async (sql, o) => {
              if (sql.startsWith('INSERT')) throw new Error('boom');
              return s.run(sql, o);
            },
          }),
        ),
    };
    const w = createSnowflakeWarehouse({ ...options, driver: failing });
    await expect(w.execute(['DELETE FROM t', 'INSERT INTO t SELECT 1'], { transaction: true })).rejects.toThrow('boom');
    expect(log).toEqual(['<session>', 'BEGIN TRANSACTION', 'DELETE FROM t', 'ROLLBACK', '</session>']);
  });

  it('lists relations in lower case as gmp names them (quoted names kept), external tables as tables', async () => {
    const { driver } = fakeDriver({ nowMs: 0, registered: [], committed: new Map() });
    const w = createSnowflakeWarehouse({ ...options, driver });
    expect(await w.listRelations()).toEqual([
      { schema: 'marts', name: 'dim_games', type: 'table' },
      { schema: 'raw', name: 'rawg_games', type: 'view' },
      { schema: 'raw', name: 'rawg_games__lake', type: 'table' },
      { schema: 'marts', name: 'Quoted', type: 'table' },
    ]);
  });
});

describe('Snowflake warehouse: exposing committed lake files', () => {
  const options = { account: 'xy12345', database: 'DB', credentials: { user: 'u', type: 'password' as const, password: 'p' }, statementTimeoutS: 60 };
  const setup = (state: Parameters<typeof fakeDriver>[0]) => {
    const fake = fakeDriver(state);
    const log = warnings();
    return { ...fake, warned: log.lines, w: createSnowflakeWarehouse({ ...options, driver: fake.driver, logger: log.logger }) };
  };

  it('first commit: reads the clock before listing, adds the files, then switches the partition', async () => {
    const state = { nowMs: 1_000, registered: [], committed: new Map() };
    const { w, log, warned } = setup(state);
    let listedAfter = -1;
    await w.exposeCommittedFiles!(entity, async () => {
      listedAfter = log.length;
      return [partition('2024-05-01', 'r1', 1, '2024-05-02T03:00:00.000Z', 2)];
    });
    expect(log[0]).toMatch(/^SELECT DATE_PART\(epoch_millisecond, CURRENT_TIMESTAMP\(\)\)/);
    expect(listedAfter).toBe(1);
    expect(writes(log)).toEqual(['add', 'merge']);
    expect(log.find((s) => s.includes('ADD FILES'))).toBe(
      "ALTER EXTERNAL TABLE raw.rawg_games__lake ADD FILES ('dt=2024-05-01/run=r1/part-00000.jsonl.gz', 'dt=2024-05-01/run=r1/part-00001.jsonl.gz')",
    );
    expect(state.committed.get('2024-05-01')).toEqual({ runId: 'r1', generation: 1 });
    expect(log.some((s) => s.includes('REMOVE FILES'))).toBe(false);
    expect(warned).toEqual([]);
  });

  it('re-run of a partition: adds the new run, switches, then removes the superseded run (and only it)', async () => {
    const state = {
      nowMs: 5_000,
      registered: [...files('2024-05-01', 'r1', 2), ...files('2024-05-02', 'r7')].map((file) => ({ file, ms: 100 })),
      committed: new Map([
        ['2024-05-01', { runId: 'r1', generation: 1 }],
        ['2024-05-02', { runId: 'r7', generation: 1 }],
      ]),
    };
    const { w, log, warned } = setup(state);
    await w.exposeCommittedFiles!(entity, async () => [
      partition('2024-05-01', 'r2', 2, '2024-05-09T03:00:00.000Z'),
      partition('2024-05-02', 'r7', 1, '2024-05-03T03:00:00.000Z'),
    ]);
    expect(writes(log)).toEqual(['add', 'merge', 'remove']);
    expect(log.find((s) => s.includes('REMOVE FILES'))).toBe(
      "ALTER EXTERNAL TABLE raw.rawg_games__lake REMOVE FILES ('dt=2024-05-01/run=r1/part-00000.jsonl.gz', 'dt=2024-05-01/run=r1/part-00001.jsonl.gz')",
    );
    expect(state.registered.map((f) => f.file).sort()).toEqual([...files('2024-05-01', 'r2'), ...files('2024-05-02', 'r7')].sort());
    expect(state.committed.get('2024-05-01')?.runId).toBe('r2');
    expect(warned).toEqual([]);
  });

  it('switches to a newer commit whose writer\'s clock is behind, or equal (ordered by generation, not committed_at)', async () => {
    const state = {
      nowMs: 5_000,
      registered: [...files('2024-05-01', 'r1'), ...files('2024-05-02', 'r5')].map((file) => ({ file, ms: 100 })),
      committed: new Map([
        ['2024-05-01', { runId: 'r1', generation: 1 }],
        ['2024-05-02', { runId: 'r5', generation: 4 }],
      ]),
    };
    const { w, log, warned } = setup(state);
    // r2 was committed after r1 (generation 2) by a host whose clock is a week behind; r6 at the same instant as r5.
    await w.exposeCommittedFiles!(entity, async () => [
      partition('2024-05-01', 'r2', 2, '2024-05-01T03:00:00.000Z'),
      partition('2024-05-02', 'r6', 5, '2024-05-09T03:00:00.000Z'),
    ]);
    expect(state.committed.get('2024-05-01')).toEqual({ runId: 'r2', generation: 2 });
    expect(state.committed.get('2024-05-02')).toEqual({ runId: 'r6', generation: 5 });
    expect(log.find((s) => s.includes('REMOVE FILES'))).toBe(
      "ALTER EXTERNAL TABLE raw.rawg_games__lake REMOVE FILES ('dt=2024-05-01/run=r1/part-00000.jsonl.gz', 'dt=2024-05-02/run=r5/part-00000.jsonl.gz')",
    );
    expect(warned).toEqual([]);
  });

  it('a stale listing (an older generation than what is shown) changes nothing, removes nothing, and warns', async () => {
    const state = {
      nowMs: 5_000,
      registered: [...files('2024-05-01', 'r1'), ...files('2024-05-01', 'r2')].map((file) => ({ file, ms: 100 })),
      committed: new Map([['2024-05-01', { runId: 'r2', generation: 2 }]]),
    };
    const { w, log, warned } = setup(state);
    // Its committed_at is later (a clock ahead): it must not matter.
    await w.exposeCommittedFiles!(entity, async () => [partition('2024-05-01', 'r1', 1, '2024-05-30T03:00:00.000Z')]);
    expect(log.some((s) => /ADD FILES|REMOVE FILES|^MERGE/.test(s))).toBe(false);
    expect(state.committed.get('2024-05-01')?.runId).toBe('r2');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ relation: 'raw.rawg_games', dt: '2024-05-01', listedRunId: 'r1', listedGeneration: 1, shownRunId: 'r2', shownGeneration: 2 });
    expect(String(warned[0]!.msg)).toMatch(/did not switch/);
  });

  it('orders manifests written before generations (all 0, rows without one) by run id', async () => {
    const state = {
      nowMs: 5_000,
      registered: [...files('2024-05-01', '20240502T030000Z-aaaaaa'), ...files('2024-05-02', '20240503T030000Z-cccccc')].map((file) => ({ file, ms: 100 })),
      committed: new Map<string, { runId: string; generation: number | null }>([
        ['2024-05-01', { runId: '20240502T030000Z-aaaaaa', generation: null }],
        ['2024-05-02', { runId: '20240503T030000Z-cccccc', generation: null }],
      ]),
    };
    const { w, warned } = setup(state);
    await w.exposeCommittedFiles!(entity, async () => [
      partition('2024-05-01', '20240509T030000Z-bbbbbb', undefined, '2024-05-09T03:00:00.000Z'),
      partition('2024-05-02', '20240503T020000Z-dddddd', undefined, '2024-05-03T02:00:00.000Z'),
    ]);
    expect(state.committed.get('2024-05-01')?.runId).toBe('20240509T030000Z-bbbbbb');
    expect(state.committed.get('2024-05-02')?.runId).toBe('20240503T030000Z-cccccc');
    expect(warned.map((l) => l.dt)).toEqual(['2024-05-02']);
  });

  it('never removes a file registered after it started (a newer commit whose switch is still to come)', async () => {
    const state = {
      nowMs: 5_000,
      registered: [
        { file: files('2024-05-01', 'r1')[0]!, ms: 100 },
        { file: files('2024-05-01', 'r9')[0]!, ms: 6_000 },
      ],
      committed: new Map([['2024-05-01', { runId: 'r1', generation: 1 }]]),
    };
    const { w, log } = setup(state);
    await w.exposeCommittedFiles!(entity, async () => [partition('2024-05-01', 'r1', 1, '2024-05-02T03:00:00.000Z')]);
    expect(log.some((s) => s.includes('REMOVE FILES'))).toBe(false);
  });

  it('re-adds a committed file that went missing from the registration (self-healing)', async () => {
    const state = {
      nowMs: 5_000,
      registered: [] as { file: string; ms: number }[],
      committed: new Map([['2024-05-01', { runId: 'r1', generation: 1 }]]),
    };
    const { w, log } = setup(state);
    await w.exposeCommittedFiles!(entity, async () => [partition('2024-05-01', 'r1', 1, '2024-05-02T03:00:00.000Z')]);
    expect(log.find((s) => s.includes('ADD FILES'))).toContain('dt=2024-05-01/run=r1/part-00000.jsonl.gz');
  });
});
