import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSetupStatements } from '../../warehouse/index.js';
import { BiClientError, biClients, type BiValue } from '../helpers/bi-clients.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';

// The BI tools' side of the Postgres warehouse, with their real client libraries: after
// `gmp warehouse setup`'s statements, the read-only role browses and queries the marts gmp built
// and is refused every write, through PgJDBC and through SQLAlchemy + psycopg2.
let server: PostgresServer;
let gmp: pg.Client;
let readerUrl: string;

const GENRE_TOTALS = `
  SELECT g.genre, count(DISTINCT g.game_id) AS games, sum(s.units) AS units, sum(s.revenue) AS revenue,
         round(avg(g.rating), 2) AS avg_rating, min(g.released) AS first_release
  FROM marts.dim_games g JOIN marts.fct_sales s USING (game_id)
  GROUP BY g.genre ORDER BY g.genre`;
const NAMES = "SELECT name, genre LIKE 'R%' AS rpg FROM staging.stg_games ORDER BY game_id";
const WRITES = [
  "INSERT INTO marts.dim_games VALUES (9, 'Hades', 'Roguelike', 4.9, '2020-09-17')",
  'UPDATE marts.fct_sales SET units = 0',
  'DELETE FROM marts.dim_games',
  'TRUNCATE marts.fct_sales',
  'CREATE TABLE marts.scratch (x int)',
  'DROP TABLE marts.dim_games',
];

function withUser(url: string, user: string, password?: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = password === undefined ? '' : encodeURIComponent(password);
  return u.toString();
}

/** pg returns bigint and numeric as strings; the BI clients return numbers. Compare values. */
function normalize(rows: readonly (readonly BiValue[])[]): BiValue[][] {
  return rows.map((row) => row.map((v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v)));
}

async function direct(sql: string): Promise<BiValue[][]> {
  const { rows } = await gmp.query({ text: sql, rowMode: 'array' });
  return normalize((rows as unknown[][]).map((row) => row.map((v) => (v instanceof Date ? v.toISOString() : (v as BiValue)))));
}

beforeAll(async () => {
  server = await startPostgresServer();
  const url = await server.createDatabase('warehouse');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('CREATE ROLE gmp LOGIN');
    const setup = postgresSetupStatements({
      database: 'warehouse',
      transformer: 'gmp',
      reader: 'gmp_reader',
      readerPassword: 'bi-secret',
      schemas: ['raw', 'staging', 'marts'],
      readerSchemas: ['marts', 'staging'],
      readerStatementTimeoutS: 300,
    });
    for (const { sql } of setup) await admin.query(sql);
  } finally {
    await admin.end();
  }
  readerUrl = withUser(url, 'gmp_reader', 'bi-secret');

  // What a gmp run leaves behind, built by gmp after setup.
  gmp = new pg.Client({ connectionString: withUser(url, 'gmp') });
  await gmp.connect();
  await gmp.query('CREATE TABLE raw.rawg_games (id int, payload jsonb)');
  await gmp.query(`CREATE TABLE marts.dim_games (game_id int PRIMARY KEY, name text NOT NULL, genre text, rating numeric(3, 2), released date)`);
  await gmp.query(`INSERT INTO marts.dim_games VALUES
    (1, 'Portal 2', 'Puzzle', 4.61, '2011-04-18'),
    (2, 'Baldur''s Gate 3', 'RPG', 4.72, '2023-08-03'),
    (3, 'Pokémon Scarlet', 'RPG', 3.55, '2022-11-18'),
    (4, 'Celeste', 'Platformer', 4.40, '2018-01-25')`);
  await gmp.query(`CREATE TABLE marts.fct_sales (game_id int NOT NULL, day date NOT NULL, units bigint NOT NULL, revenue numeric(12, 2) NOT NULL)`);
  await gmp.query(`INSERT INTO marts.fct_sales
    SELECT g, date '2024-01-01' + d, (g * 37 + d * 11) % 500, round(((g * 37 + d * 11) % 500) * 19.99, 2)
    FROM generate_series(1, 4) g, generate_series(0, 99) d`);
  await gmp.query('CREATE VIEW staging.stg_games AS SELECT game_id, name, genre FROM marts.dim_games');
});

afterAll(async () => {
  await gmp?.end();
  await server?.stop();
});

describe.each(biClients.map((client) => [client.label, client] as const))('%s', (_, client) => {
  it('browses the marts and staging schemas: tables, views and their columns', async () => {
    const marts = await client.probe({ url: readerUrl, schema: 'marts' });
    expect(marts.metadataError).toBeUndefined();
    expect(marts.tables?.map((t) => [t.name, t.type])).toEqual([
      ['dim_games', 'TABLE'],
      ['fct_sales', 'TABLE'],
    ]);
    const dim = marts.tables?.find((t) => t.name === 'dim_games');
    expect(dim?.columns.map((c) => [c.name, c.nullable])).toEqual([
      ['game_id', false],
      ['name', false],
      ['genre', true],
      ['rating', true],
      ['released', true],
    ]);
    expect(dim?.columns.map((c) => c.type.toLowerCase())).toEqual(
      client.name === 'jdbc' ? ['int4', 'text', 'text', 'numeric', 'date'] : ['integer', 'text', 'text', 'numeric(3, 2)', 'date'],
    );
    const staging = await client.probe({ url: readerUrl, schema: 'staging' });
    expect(staging.tables?.map((t) => [t.name, t.type, t.columns.map((c) => c.name)])).toEqual([['stg_games', 'VIEW', ['game_id', 'name', 'genre']]]);
  });

  it('returns the same aggregates and text as a direct query', async () => {
    const result = await client.probe({ url: readerUrl, queries: [GENRE_TOTALS, NAMES] });
    const [totals, names] = result.queries;
    expect(totals?.error).toBeUndefined();
    expect(totals?.columns).toEqual(['genre', 'games', 'units', 'revenue', 'avg_rating', 'first_release']);
    // Dates come back as text in each client's format; compare the day.
    const day = (rows: BiValue[][]) => rows.map((r) => [...r.slice(0, 5), String(r[5]).slice(0, 10)]);
    expect(day(normalize(totals!.rows!))).toEqual(day(await direct(GENRE_TOTALS)));
    expect(names?.rows).toEqual(await direct(NAMES));
    expect(names?.rows?.map((r) => r[0])).toContain("Baldur's Gate 3");
  });

  it('is refused every write, and raw, with the SQLSTATE a BI tool shows', async () => {
    const result = await client.probe({ url: readerUrl, queries: ['SELECT * FROM raw.rawg_games'], writes: WRITES });
    expect(result.queries[0]?.error?.sqlState).toBe('42501');
    expect(result.writes.map((w) => w.sql)).toEqual(WRITES);
    for (const write of result.writes) {
      expect(write.refused, write.sql).toBe(true);
      expect(['25006', '42501'], write.sql).toContain(write.error?.sqlState);
      expect(write.error?.message).toMatch(/read-only transaction|permission denied|must be owner/);
    }
    expect(await direct('SELECT count(*) FROM marts.dim_games')).toEqual([[4]]);
  });

  it('reports a role that cannot log in instead of crashing', async () => {
    const refused = client.probe({ url: withUser(readerUrl, 'nobody'), queries: ['SELECT 1'] });
    await expect(refused).rejects.toThrow(BiClientError);
    await expect(refused).rejects.toThrow(/role "nobody" does not exist/);
    await expect(client.startLoop({ url: withUser(readerUrl, 'nobody'), sql: 'SELECT 1' })).rejects.toThrow(BiClientError);
  });

  it('keeps querying through a change to the mart, and sees it once committed', async () => {
    const sql = 'SELECT count(*) AS rows, sum(units) AS units FROM marts.fct_sales';
    const [before] = await direct(sql);
    const loop = await client.startLoop({ url: readerUrl, sql, maxMs: 30_000 });
    await gmp.query("INSERT INTO marts.fct_sales VALUES (1, '2024-06-01', 1000, 19990.00)");
    // The run in flight may have started before the commit; the one after it cannot have.
    await loop.waitForRuns(loop.runs.length + 2);
    const summary = await loop.stop();
    await gmp.query("DELETE FROM marts.fct_sales WHERE day = '2024-06-01'");

    expect(summary.ended).toBe('stdin');
    expect(summary.failed).toBe(0);
    expect(summary.runs.every((r) => r.error === undefined && r.rowCount === 1 && r.ms >= 0)).toBe(true);
    expect(normalize([summary.runs[0]!.firstRow!])).toEqual([before]);
    expect(normalize([summary.runs.at(-1)!.firstRow!])).toEqual([[before![0] as number + 1, before![1] as number + 1000]]);
  });

  it('records a run that fails (a mart dropped and rebuilt in two steps) and goes on', async () => {
    await gmp.query(`CREATE TABLE marts.top_games_${client.name} AS SELECT game_id FROM marts.dim_games`);
    const loop = await client.startLoop({ url: readerUrl, sql: `SELECT count(*) FROM marts.top_games_${client.name}`, maxMs: 30_000 });
    await gmp.query(`DROP TABLE marts.top_games_${client.name}`);
    await loop.waitForRuns(loop.runs.length + 2);
    await gmp.query(`CREATE TABLE marts.top_games_${client.name} AS SELECT game_id FROM marts.dim_games WHERE rating > 4`);
    await loop.waitForRuns(loop.runs.length + 2);
    const summary = await loop.stop();
    await gmp.query(`DROP TABLE marts.top_games_${client.name}`);

    const failed = summary.runs.filter((r) => r.error !== undefined);
    expect(summary.failed).toBe(failed.length);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.error?.sqlState === '42P01')).toBe(true);
    expect(normalize([summary.runs.at(-1)!.firstRow!])).toEqual([[3]]);
  });
});
