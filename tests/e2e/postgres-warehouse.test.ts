import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { biClients, type BiClient } from '../helpers/bi-clients.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { runGmpAsync } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

// The Postgres warehouse as a team runs it: an admin creates the database and gmp's role, `gmp
// warehouse setup` makes the read-only BI role, `gmp demo` builds everything, and BI clients
// (PgJDBC as Metabase, DBeaver and Tableau use it; SQLAlchemy + psycopg2 as Superset does) log in
// as the reader, see the marts, get gmp's numbers, are refused writes, and keep querying while gmp
// rebuilds the marts under them.
const READER_PASSWORD = 'bi-reader-pw-5d1e';
let server: PostgresServer;
let gmpUrl: string;
let readerUrl: string;
const cwd = tempDir('gmp-pg-e2e-');
let env: Record<string, string>;

beforeAll(async () => {
  server = await startPostgresServer();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    // gmp's own role owns its database and may create the reader role, as USER_MANUAL.md describes.
    await admin.query('CREATE ROLE gmp LOGIN CREATEROLE');
    await admin.query('CREATE DATABASE analytics OWNER gmp');
  } finally {
    await admin.end();
  }
  const base = new URL(server.url);
  gmpUrl = `postgres://gmp@${base.host}/analytics`;
  readerUrl = `postgres://gmp_reader:${READER_PASSWORD}@${base.host}/analytics`;
  env = { GMP_HOME: `${cwd}/.gmp`, GMP_WAREHOUSE_URL: gmpUrl, GMP_WAREHOUSE_READER_PASSWORD: READER_PASSWORD };
  const setup = await runGmpAsync(['warehouse', 'setup'], { cwd, env });
  expect(setup.status, setup.stderr).toBe(0);
  expect(setup.stdout).toContain('role gmp_reader');
  expect(setup.stdout + setup.stderr).not.toContain(READER_PASSWORD);
  const demo = await runGmpAsync(['demo'], { cwd, env });
  expect(demo.status, demo.stdout.slice(-3000) + demo.stderr).toBe(0);
  expect(demo.stdout).toContain('Warehouse: postgres://gmp@');
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

async function gmpQuery(sql: string): Promise<Record<string, unknown>[]> {
  const result = await runGmpAsync(['query', '--json', sql], { cwd, env });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>[];
}

const MARTS = ['dim_games', 'fct_game_daily_snapshot', 'mart_genre_trends', 'mart_engagement_daily', 'mart_monetization'];

describe('GMP_WAREHOUSE_URL=postgres://… gmp demo', () => {
  it('builds every mart, and gmp query reads them', async () => {
    const rows = await gmpQuery("select table_name from information_schema.tables where table_schema = 'marts' order by 1");
    const names = rows.map((r) => r.table_name);
    for (const mart of MARTS) expect(names).toContain(mart);
    const [games] = await gmpQuery('select count(*) as n from marts.dim_games');
    expect(Number(games!.n)).toBeGreaterThan(100);
  });

  it('prints the setup SQL without the reader password', async () => {
    const printed = await runGmpAsync(['warehouse', 'setup', '--print'], { cwd, env });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain("WITH LOGIN PASSWORD '***'");
    expect(printed.stdout).toContain('default_transaction_read_only');
    expect(printed.stdout).not.toContain(READER_PASSWORD);
  });
});

describe.each(biClients)('$label as gmp_reader', (client: BiClient) => {
  it('lists the marts and their columns, and gets the numbers gmp query gets', async () => {
    const queries = MARTS.map((m) => `select count(*) as n from marts.${m}`);
    const result = await client.probe({ url: readerUrl, schema: 'marts', queries });
    expect(result.metadataError).toBeUndefined();
    const tables = new Map((result.tables ?? []).map((t) => [t.name, t]));
    for (const mart of MARTS) expect(tables.has(mart), mart).toBe(true);
    expect(tables.get('dim_games')!.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['game_id', 'name', 'released']));
    for (const [i, mart] of MARTS.entries()) {
      const [expected] = await gmpQuery(`select count(*) as n from marts.${mart}`);
      expect(result.queries[i]!.error, mart).toBeUndefined();
      expect(Number(result.queries[i]!.rows![0]![0]), mart).toBe(Number(expected!.n));
    }
    const sums = await client.probe({ url: readerUrl, queries: ['select sum(ratings_count) as s, round(avg(rating)::numeric, 6) as a from marts.dim_games'] });
    const [expected] = await gmpQuery('select sum(ratings_count) as s, round(avg(rating)::numeric, 6) as a from marts.dim_games');
    expect(Number(sums.queries[0]!.rows![0]![0])).toBe(Number(expected!.s));
    expect(Number(sums.queries[0]!.rows![0]![1])).toBeCloseTo(Number(expected!.a), 6);
  });

  it('is refused any write', async () => {
    const result = await client.probe({
      url: readerUrl,
      writes: ['delete from marts.dim_games', 'create table marts.scratch (x int)', 'drop table marts.dim_games', 'insert into raw.rawg_genres select * from raw.rawg_genres'],
    });
    for (const write of result.writes) {
      expect(write.refused, write.sql).toBe(true);
      expect(['25006', '42501']).toContain(write.error?.sqlState);
    }
    const [games] = await gmpQuery('select count(*) as n from marts.dim_games');
    expect(Number(games!.n)).toBeGreaterThan(100);
  });
});

describe('a BI query during a gmp rebuild', () => {
  it('neither fails nor waits more than a second, on either client', async () => {
    const sql = 'select count(*), sum(g.ratings_count) from marts.dim_games as g join marts.bridge_game_genres as b using (game_id)';
    const oid = async () => (await gmpQuery("select 'marts.dim_games'::regclass::oid as oid"))[0]!.oid;
    const before = await oid();
    const loops = await Promise.all(biClients.map((c) => c.startLoop({ url: readerUrl, sql, everyMs: 10, maxMs: 600_000 })));
    // Every table of the marts rebuilt and swapped in while the clients query.
    const rebuild = await runGmpAsync(['materialize', '--select', 'group:marts', '--partition', 'yesterday'], { cwd, env });
    expect(rebuild.status, rebuild.stdout.slice(-2000) + rebuild.stderr).toBe(0);
    const summaries = await Promise.all(loops.map((l) => l.stop()));
    // The tables the clients read were really replaced under them (a new relation swapped in).
    expect(await oid()).not.toBe(before);
    for (const [i, summary] of summaries.entries()) {
      const label = biClients[i]!.label;
      expect(summary.failed, `${label}: ${JSON.stringify(summary.runs.find((r) => r.error))}`).toBe(0);
      expect(summary.runs.length, label).toBeGreaterThan(5);
      // The first run includes the client's warm-up (a JVM's first query): the rest are what users see.
      const slowest = Math.max(...summary.runs.slice(1).map((r) => r.ms));
      expect(slowest, label).toBeLessThanOrEqual(1000);
    }
  });
});
