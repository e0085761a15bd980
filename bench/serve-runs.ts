// The operations pages and API at scale: 1,000,000 runs and one run of 100,000 events in the state
// store (SQLite, then Postgres), served by the real `gmp serve` app over loopback HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openWorkspace } from '../app/index.js';
import { createLogger, fixedClock } from '../core/index.js';
import { createStateStore } from '../orchestration/index.js';
import { startServer } from '../server/index.js';
import { startPostgresServer } from '../tests/helpers/postgres-server.js';
import type { Benchmark } from './benchmark.js';
import { progress } from './progress.js';
import { summarizeMs, type MsSummary } from './summarize-ms.js';

const RUNS = 1_000_000;
const BIG_RUN_STEPS = 50_000; // two events each: 100,000 events
const T0 = Date.parse('2024-01-01T00:00:00Z');
const BIG = 'big-run';

/** Row generators shared by both engines: the i-th run, and the steps and events of the big run. */
const runRow = (i: number) => ({
  run_id: `r${String(i).padStart(7, '0')}`,
  kind: i % 20 === 0 ? 'backfill' : i % 20 === 1 ? 'schedule:daily_games' : 'materialize',
  status: i % 50 === 0 ? 'failed' : 'succeeded',
  started_at: new Date(T0 + i * 60_000).toISOString(),
});
const stepAsset = (i: number) => `bench/asset_${i % 500}`;
const stepPartition = (i: number) => new Date(T0 + Math.floor(i / 500) * 86_400_000).toISOString().slice(0, 10);

interface Timed {
  runsPage: MsSummary;
  runsApi: MsSummary;
  runsApiFailed: MsSummary;
  runsApiDeep: MsSummary;
  bigRunPage: MsSummary;
  bigRunEventsFailures: MsSummary;
  bigRunEventsText: MsSummary;
  bigRunEventsStep: MsSummary;
}

async function seedSqlite(file: string): Promise<void> {
  await (await createStateStore({ type: 'sqlite', path: file })).close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insertRun = db.prepare(`INSERT INTO runs (run_id, kind, status, selection, partitions, started_at, ended_at) VALUES (?, ?, ?, 'rawg/games+', '2024-01-01', ?, ?)`);
  const insertStep = db.prepare(
    `INSERT INTO materializations (run_id, asset, partition, status, started_at, ended_at, duration_ms, rows, pages, requests) VALUES (?, ?, ?, ?, ?, ?, 5, 10, 1, 1)`,
  );
  const insertEvent = db.prepare(`INSERT INTO run_events (run_id, ts, type, asset, partition, message) VALUES (?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const r = runRow(i);
      insertRun.run(r.run_id, r.kind, r.status, r.started_at, r.started_at);
      // The newest 10,000 runs have steps (what a runs page sums).
      if (i >= RUNS - 10_000) for (const k of [0, 1]) insertStep.run(r.run_id, stepAsset(k), '2024-01-01', 'succeeded', r.started_at, r.started_at);
    }
    const at = new Date(T0 + RUNS * 60_000).toISOString();
    insertRun.run(BIG, 'backfill', 'failed', at, at);
    for (let i = 0; i < BIG_RUN_STEPS; i++) {
      const failed = i % 1000 === 999;
      insertStep.run(BIG, stepAsset(i), stepPartition(i), failed ? 'failed' : 'succeeded', at, at);
      insertEvent.run(BIG, at, 'STEP_START', stepAsset(i), stepPartition(i), null);
      insertEvent.run(BIG, at, failed ? 'STEP_FAILURE' : 'STEP_SUCCESS', stepAsset(i), stepPartition(i), failed ? 'HTTP 503 from the API after 5 attempts' : `${10} rows`);
    }
  })();
  db.close();
}

async function seedPostgres(url: string): Promise<void> {
  await (await createStateStore({ type: 'postgres', url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const iso = (expr: string) => `to_char((timestamptz '2024-01-01T00:00:00Z' + (${expr}) * interval '1 minute') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    await client.query(`
      INSERT INTO runs (run_id, kind, status, selection, partitions, started_at, ended_at)
      SELECT 'r' || lpad(i::text, 7, '0'),
             CASE WHEN i % 20 = 0 THEN 'backfill' WHEN i % 20 = 1 THEN 'schedule:daily_games' ELSE 'materialize' END,
             CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'succeeded' END, 'rawg/games+', '2024-01-01', ${iso('i')}, ${iso('i')}
      FROM generate_series(0, ${RUNS - 1}) AS i`);
    await client.query(`
      INSERT INTO materializations (run_id, asset, partition, status, started_at, ended_at, duration_ms, rows, pages, requests)
      SELECT 'r' || lpad(i::text, 7, '0'), 'bench/asset_' || k, '2024-01-01', 'succeeded', ${iso('i')}, ${iso('i')}, 5, 10, 1, 1
      FROM generate_series(${RUNS - 10_000}, ${RUNS - 1}) AS i, generate_series(0, 1) AS k`);
    const at = new Date(T0 + RUNS * 60_000).toISOString();
    await client.query(`INSERT INTO runs (run_id, kind, status, selection, partitions, started_at, ended_at) VALUES ($1, 'backfill', 'failed', 'rawg/games+', '2024-01-01', $2, $2)`, [BIG, at]);
    const part = `to_char(date '2024-01-01' + (i / 500), 'YYYY-MM-DD')`;
    await client.query(`
      INSERT INTO materializations (run_id, asset, partition, status, started_at, ended_at, duration_ms, rows, pages, requests)
      SELECT $1, 'bench/asset_' || (i % 500), ${part}, CASE WHEN i % 1000 = 999 THEN 'failed' ELSE 'succeeded' END, $2, $2, 5, 10, 1, 1
      FROM generate_series(0, ${BIG_RUN_STEPS - 1}) AS i`, [BIG, at]);
    await client.query(`
      INSERT INTO run_events (run_id, ts, type, asset, partition, message)
      SELECT $1, $2, CASE WHEN e = 0 THEN 'STEP_START' WHEN i % 1000 = 999 THEN 'STEP_FAILURE' ELSE 'STEP_SUCCESS' END,
             'bench/asset_' || (i % 500), ${part},
             CASE WHEN e = 0 THEN NULL WHEN i % 1000 = 999 THEN 'HTTP 503 from the API after 5 attempts' ELSE '10 rows' END
      FROM generate_series(0, ${BIG_RUN_STEPS - 1}) AS i, generate_series(0, 1) AS e ORDER BY i, e`, [BIG, at]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** Times GET requests against a served workspace: two warm-ups, then `n` samples each. */
async function timeServer(env: Record<string, string>, home: string, n = 7): Promise<Timed> {
  const ws = openWorkspace({ env, cwd: home, clock: fixedClock(new Date(T0 + (RUNS + 10) * 60_000).toISOString()) });
  const server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: true, logger: createLogger({ level: 'silent' }) });
  try {
    const time = async (url: string): Promise<MsSummary> => {
      const samples: number[] = [];
      for (let i = 0; i < n + 2; i++) {
        const t = performance.now();
        const res = await fetch(`${server.url}${url}`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        if (i >= 2) samples.push(performance.now() - t);
      }
      return summarizeMs(samples);
    };
    // A cursor 100 pages deep, from the API itself.
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const page = (await (await fetch(`${server.url}/api/v1/runs?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).json()) as { next: string | null };
      cursor = page.next;
    }
    return {
      runsPage: await time('/runs'),
      runsApi: await time('/api/v1/runs?limit=50'),
      runsApiFailed: await time('/api/v1/runs?limit=50&status=failed'),
      runsApiDeep: await time(`/api/v1/runs?limit=50&cursor=${cursor}`),
      bigRunPage: await time(`/runs/${BIG}`),
      bigRunEventsFailures: await time(`/api/v1/runs/${BIG}/events?type=STEP_FAILURE&limit=100`),
      bigRunEventsText: await time(`/api/v1/runs/${BIG}/events?q=503&limit=100`),
      bigRunEventsStep: await time(`/api/v1/runs/${BIG}/events?asset=bench%2Fasset_7&partition=2024-01-02`),
    };
  } finally {
    await server.close();
  }
}

const worst = (t: Timed, keys: (keyof Timed)[]) => Math.max(...keys.map((k) => t[k].median));

export const serveRuns: Benchmark = {
  name: 'serve-runs',
  target: '1,000,000 runs: a runs page of 50 ≤ 300 ms server time (SQLite and Postgres); a run of 100,000 events: first screen ≤ 500 ms, a filtered query ≤ 300 ms',
  async run() {
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-runs-'));
    const postgres = await startPostgresServer();
    try {
      const file = path.join(home, 'state.sqlite');
      let t = performance.now();
      await seedSqlite(file);
      progress(`serve-runs: seeded SQLite with ${RUNS} runs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const sqlite = await timeServer({ GMP_HOME: home, GMP_STATE_URL: file }, home);
      const url = await postgres.createDatabase('bench_runs');
      t = performance.now();
      await seedPostgres(url);
      progress(`serve-runs: seeded Postgres in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      const postgresTimes = await timeServer({ GMP_HOME: home, GMP_STATE_URL: url }, home);
      const runsKeys: (keyof Timed)[] = ['runsPage', 'runsApi', 'runsApiFailed', 'runsApiDeep'];
      const filterKeys: (keyof Timed)[] = ['bigRunEventsFailures', 'bigRunEventsText', 'bigRunEventsStep'];
      const met = [sqlite, postgresTimes].every((x) => worst(x, runsKeys) <= 300 && x.bigRunPage.median <= 500 && worst(x, filterKeys) <= 300);
      return {
        name: this.name,
        figures: { runs: RUNS, bigRunEvents: BIG_RUN_STEPS * 2, note: 'ms per GET over loopback (median of 7 after 2 warm-ups)', sqlite, postgres: postgresTimes },
        target: this.target,
        met,
      };
    } finally {
      await postgres.stop();
      rmSync(home, { recursive: true, force: true });
    }
  },
};
