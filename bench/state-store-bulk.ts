import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteDriver, createStateStore, type SqlDriver, type StateStore } from '../orchestration/index.js';
import { createPostgresDriver } from '../orchestration/state/postgres-driver.js';
import { startPostgresServer } from '../tests/helpers/postgres-server.js';
import type { Benchmark } from './benchmark.js';
import { progress } from './progress.js';
import { summarizeMs, type MsSummary } from './summarize-ms.js';

const ROUNDS = 3;
const AT = '2024-05-01T00:00:01.000Z';
const TARGET_MS = { createBackfill: 3_000, updateBackfillPartitions: 2_000, listBackfillPartitions: 500, latestByPartition: 1_000 };

type Engine = 'sqlite' | 'postgres';
type Figures = Record<keyof typeof TARGET_MS, MsSummary>;

/**
 * The state store's bulk paths on both engines (the conformance suite checks they are right; this
 * says how fast): a 40,000-partition backfill created in one batch, 10,000 of its partitions updated
 * and then listed, and latestByPartition over 100,000 recorded partitions. SQLite is a file; Postgres
 * is the tests' throwaway server (fsync off). Each figure is min/median/max over fresh databases.
 */
export const stateStoreBulk: Benchmark = {
  name: 'state-store-bulk',
  target:
    `per engine: createBackfill of 40,000 partitions < ${TARGET_MS.createBackfill} ms, updateBackfillPartitions of 10,000 < ${TARGET_MS.updateBackfillPartitions} ms, ` +
    `listBackfillPartitions of 10,000 < ${TARGET_MS.listBackfillPartitions} ms, latestByPartition of 100,000 < ${TARGET_MS.latestByPartition} ms (medians)`,
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmp-bench-state-'));
    const postgres = await startPostgresServer();
    let databases = 0;
    try {
      const targets: Record<Engine, () => Promise<{ store: StateStore; driver: SqlDriver }>> = {
        sqlite: async () => {
          const file = path.join(dir, `state-${++databases}.sqlite`);
          return { store: await createStateStore({ type: 'sqlite', path: file }), driver: createSqliteDriver(file) };
        },
        postgres: async () => {
          const url = await postgres.createDatabase(`gmp_bench_${++databases}`);
          return { store: await createStateStore({ type: 'postgres', url }), driver: createPostgresDriver(url) };
        },
      };
      const figures = {} as Record<Engine, Figures>;
      for (const engine of ['sqlite', 'postgres'] as const) {
        const samples: Record<keyof typeof TARGET_MS, number[]> = { createBackfill: [], updateBackfillPartitions: [], listBackfillPartitions: [], latestByPartition: [] };
        for (let round = 0; round < ROUNDS; round++) {
          progress(`state-store-bulk: ${engine}, round ${round + 1} of ${ROUNDS}`);
          const { store, driver } = await targets[engine]();
          try {
            for (const [name, ms] of Object.entries(await measureRound(store, driver))) samples[name as keyof typeof TARGET_MS].push(ms);
          } finally {
            await store.close();
            await driver.close();
          }
        }
        figures[engine] = Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, summarizeMs(ms)])) as Figures;
      }
      const met = Object.values(figures).every((f) => (Object.keys(TARGET_MS) as (keyof typeof TARGET_MS)[]).every((name) => f[name].median < TARGET_MS[name]));
      return { name: this.name, figures: { rounds: ROUNDS, ...figures }, target: this.target, met };
    } finally {
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** One round on a fresh database: the four bulk operations, each timed alone. */
async function measureRound(store: StateStore, driver: SqlDriver): Promise<Record<keyof typeof TARGET_MS, number>> {
  const days = Array.from({ length: 10_000 }, (_, i) => new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  const parts = ['a/one', 'a/two', 'a/three', 'a/four'].flatMap((asset) => days.map((partition) => ({ asset, partition })));
  const timed = async (fn: () => Promise<unknown>): Promise<number> => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const createBackfill = await timed(() =>
    store.createBackfill({ backfillId: 'big', selection: 'a/*', fromKey: days[0]!, toKey: days.at(-1)!, status: 'running', createdAt: AT, options: {} }, parts),
  );
  const updateBackfillPartitions = await timed(() =>
    store.updateBackfillPartitions('big', parts.slice(0, 10_000).map((p) => ({ ...p, status: 'running' as const, runId: 'r' })), AT),
  );
  let listed = 0;
  const listBackfillPartitions = await timed(async () => (listed = (await store.listBackfillPartitions('big', { status: ['running'] })).length));
  if (listed !== 10_000) throw new Error(`listed ${listed} running partitions, expected 10,000`);

  const keys = Array.from({ length: 100_000 }, (_, i) => `p${String(i).padStart(6, '0')}`);
  await driver.transaction(async (tx) => {
    for (let i = 0; i < keys.length; i += 2_000) {
      const chunk = keys.slice(i, i + 2_000);
      await tx.execute(
        `INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES ${chunk.map(() => `('big/asset', ?, 'succeeded', 'r', ?)`).join(', ')}`,
        chunk.flatMap((k) => [k, AT]),
      );
    }
  });
  await store.latestByPartition('warm-up');
  let latest = 0;
  const latestByPartition = await timed(async () => (latest = (await store.latestByPartition('big/asset')).length));
  if (latest !== 100_000) throw new Error(`latestByPartition returned ${latest} partitions, expected 100,000`);
  return { createBackfill, updateBackfillPartitions, listBackfillPartitions, latestByPartition };
}
