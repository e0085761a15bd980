import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { materialize, type Workspace } from '../app/index.js';
import { snapshotPathFor } from '../warehouse/index.js';
import { progress } from './progress.js';
import { benchWorkspace, LAKE_FIRST_DAY, LAKE_LAST_DAY } from './synthetic-lake.js';

/** Every model; the model tests (checks) are left out on both sides. */
const SELECT_MODELS = 'group:staging group:marts';

export interface EngineBuildFigures {
  models: number;
  duckdbSeconds: number;
  postgresSeconds: number;
  postgresOverDuckdb: number;
  note: string;
  duckdbMegabytes: { warehouse: number; readersSnapshot: number };
  postgresMegabytes: number;
  tablesCompared: number;
  rowCountMismatches: { relation: string; duckdb: number | undefined; postgres: number | undefined }[];
}

export interface EngineBuilds {
  figures: EngineBuildFigures;
  /** The Postgres workspace, its warehouse holding every model. */
  postgres: Workspace;
}

/**
 * Builds every model through `gmp materialize` over the lake's days on a fresh DuckDB warehouse,
 * then on the fresh Postgres database `postgresUrl`, and compares the tables' row counts. The DuckDB
 * files are deleted after (unless `keep`): the Postgres build may need their disk. Throws with
 * the failed steps of a failed build.
 */
export async function buildOnBothEngines(home: string, lakeDir: string, postgresUrl: string, keep: boolean): Promise<EngineBuilds> {
  progress('postgres-warehouse: every model through gmp materialize on DuckDB');
  const duck = benchWorkspace({ home, lakeDir, name: 'duckdb' });
  const duckMs = await build(duck);
  const duckFile = path.join(home, 'duckdb.duckdb');
  const snapshot = snapshotPathFor(duckFile);
  const duckBytes = { warehouse: statSync(duckFile).size, snapshot: existsSync(snapshot) ? statSync(snapshot).size : 0 };
  const duckRows = await duckDbRowCounts(duckFile, tableRelations(duck));
  if (!keep) dropFiles(home, 'duckdb');

  progress('postgres-warehouse: every model through gmp materialize on Postgres (raw load included)');
  const postgres = benchWorkspace({ home, lakeDir, name: 'postgres', warehouseUrl: postgresUrl });
  const pgMs = await build(postgres);
  const pgBytes = await withClient(postgresUrl, async (c) => Number((await c.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n')).rows[0]!.n));
  const pgRows = await postgresRowCounts(postgresUrl, tableRelations(postgres));
  const mismatched = Object.keys(duckRows).filter((relation) => duckRows[relation] !== pgRows[relation]);
  return {
    postgres,
    figures: {
      models: postgres.project.models.length,
      duckdbSeconds: round1(duckMs / 1000),
      postgresSeconds: round1(pgMs / 1000),
      postgresOverDuckdb: Math.round((pgMs / duckMs) * 100) / 100,
      note: "wall time of `gmp materialize` of every model on a fresh warehouse; on Postgres it includes the raw load (COPY), on DuckDB the raw views and the readers' snapshot",
      duckdbMegabytes: { warehouse: Math.round(duckBytes.warehouse / 1e6), readersSnapshot: Math.round(duckBytes.snapshot / 1e6) },
      postgresMegabytes: Math.round(pgBytes / 1e6),
      tablesCompared: Object.keys(duckRows).length,
      rowCountMismatches: mismatched.map((relation) => ({ relation, duckdb: duckRows[relation], postgres: pgRows[relation] })),
    },
  };
}

/** Opens a client on `url` for `work`, and closes it. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function build(ws: Workspace): Promise<number> {
  const t0 = performance.now();
  const run = await materialize(ws, { select: SELECT_MODELS, from: LAKE_FIRST_DAY, to: LAKE_LAST_DAY });
  const ms = performance.now() - t0;
  const failed = run.steps.filter((s) => s.status !== 'succeeded');
  if (failed.length > 0) throw new Error(`build on ${ws.config.warehouse.type} failed: ${failed.map((s) => `${s.step.asset}: ${s.error?.message}`).join('; ')}`);
  return ms;
}

function tableRelations(ws: Workspace): string[] {
  return ws.project.models.filter((m) => m.materialized !== 'view').map((m) => m.relation);
}

async function duckDbRowCounts(file: string, relations: readonly string[]): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const rows: Record<string, number> = {};
    for (const relation of relations) {
      const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${relation}`);
      rows[relation] = Number(reader.getRowObjects()[0]!.n);
    }
    return rows;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function postgresRowCounts(url: string, relations: readonly string[]): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const rows: Record<string, number> = {};
    for (const relation of relations) rows[relation] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${relation}`)).rows[0]!.n);
    return rows;
  });
}

/** Deletes a workspace's state folder and warehouse files (`<name>`, `<name>.*`). */
function dropFiles(home: string, name: string): void {
  for (const entry of readdirSync(home)) {
    if (entry === name || entry.startsWith(`${name}.`)) rmSync(path.join(home, entry), { recursive: true, force: true });
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
