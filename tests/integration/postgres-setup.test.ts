import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresSetupStatements,
  quotePostgresIdent as quoteIdent,
  quotePostgresLiteral as quoteLiteral,
  type PostgresSetupOptions,
} from '../../warehouse/index.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';

// The real-server half of warehouse/postgres/postgres-setup.test.ts: a superuser runs the setup,
// gmp builds as an ordinary role, and a BI tool's role reads what it built and nothing more.
let server: PostgresServer;
let warehouseUrl: string;
const clients: pg.Client[] = [];

const withoutPassword: PostgresSetupOptions = {
  database: 'warehouse',
  transformer: 'gmp',
  reader: 'gmp_reader',
  schemas: ['raw', 'staging', 'marts'],
  readerSchemas: ['marts', 'staging'],
  readerStatementTimeoutS: 300,
};
const options: PostgresSetupOptions = { ...withoutPassword, readerPassword: 'reader-secret' };

/** A connection to `url`'s database as `user` (trust auth: the password is not checked). */
async function connect(user: string, url = warehouseUrl): Promise<pg.Client> {
  const target = new URL(url);
  target.username = encodeURIComponent(user);
  const client = new pg.Client({ connectionString: target.toString() });
  clients.push(client);
  await client.connect();
  return client;
}

async function runSetup(o: PostgresSetupOptions, url = warehouseUrl): Promise<void> {
  const admin = await connect('postgres', url);
  for (const { sql } of postgresSetupStatements(o)) await admin.query(sql);
}

async function sqlState(client: pg.Client, sql: string): Promise<string> {
  const error = await client.query(sql).then(
    () => undefined,
    (e: unknown) => e as { code?: string },
  );
  if (error === undefined) throw new Error(`expected ${sql} to be refused`);
  return String(error.code);
}

beforeAll(async () => {
  server = await startPostgresServer();
  warehouseUrl = await server.createDatabase('warehouse');
  const admin = await connect('postgres');
  await admin.query('CREATE ROLE gmp LOGIN');
  // A schema someone else already owns, holding a table from before gmp.
  await admin.query('CREATE SCHEMA staging');
  await admin.query("CREATE TABLE staging.legacy_platforms AS SELECT 'pc' AS platform");
  await runSetup(options);

  // gmp builds after setup, as an ordinary role: what it creates must still be readable.
  const gmp = await connect('gmp');
  await gmp.query('CREATE TABLE raw.rawg_games (id int, payload jsonb)');
  await gmp.query("INSERT INTO raw.rawg_games VALUES (1, '{}')");
  await gmp.query('CREATE TABLE marts.dim_games (game_id int PRIMARY KEY, name text, rating numeric)');
  await gmp.query("INSERT INTO marts.dim_games VALUES (1, 'Portal', 4.5), (2, 'Celeste', 4.7)");
  await gmp.query('CREATE VIEW staging.stg_games AS SELECT game_id, upper(name) AS name FROM marts.dim_games');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await server?.stop();
});

describe('Postgres warehouse setup on a real server', () => {
  it('lets the reader log in and read the tables and views gmp built after setup', async () => {
    const reader = await connect('gmp_reader');
    const games = await reader.query('SELECT name FROM marts.dim_games ORDER BY game_id');
    expect(games.rows).toEqual([{ name: 'Portal' }, { name: 'Celeste' }]);
    const staged = await reader.query('SELECT name FROM staging.stg_games ORDER BY game_id');
    expect(staged.rows).toEqual([{ name: 'PORTAL' }, { name: 'CELESTE' }]);
    // Tables that were there before setup, in a schema another role owns.
    expect((await reader.query('SELECT platform FROM staging.legacy_platforms')).rows).toEqual([{ platform: 'pc' }]);
  });

  it('keeps the reader out of schemas it was not given', async () => {
    const reader = await connect('gmp_reader');
    expect(await sqlState(reader, 'SELECT * FROM raw.rawg_games')).toBe('42501');
  });

  it('refuses every write the reader tries', async () => {
    const reader = await connect('gmp_reader');
    const refused = ['25006', '42501'];
    for (const sql of [
      "INSERT INTO marts.dim_games VALUES (3, 'Hades', 4.9)",
      'UPDATE marts.dim_games SET rating = 0',
      'DELETE FROM marts.dim_games',
      'CREATE TABLE marts.scratch (x int)',
      'DROP TABLE marts.dim_games',
      'DROP VIEW staging.stg_games',
    ]) {
      expect(refused, sql).toContain(await sqlState(reader, sql));
    }
    // Read-only is only a session default: the grants are the wall when a client turns it off.
    await reader.query('SET default_transaction_read_only = off');
    expect(await sqlState(reader, "INSERT INTO marts.dim_games VALUES (3, 'Hades', 4.9)")).toBe('42501');
    expect(await sqlState(reader, 'CREATE TABLE marts.scratch (x int)')).toBe('42501');
    const gmp = await connect('gmp');
    expect((await gmp.query('SELECT count(*)::int AS n FROM marts.dim_games')).rows).toEqual([{ n: 2 }]);
  });

  it("applies the reader's session settings", async () => {
    const reader = await connect('gmp_reader');
    expect((await reader.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '5min' }]);
    expect((await reader.query('SHOW default_transaction_read_only')).rows).toEqual([{ default_transaction_read_only: 'on' }]);
  });

  it('runs again without error and changes nothing the reader sees', async () => {
    await runSetup(options);
    await runSetup(options);
    const reader = await connect('gmp_reader');
    expect((await reader.query('SELECT count(*)::int AS n FROM marts.dim_games')).rows).toEqual([{ n: 2 }]);
    expect(await sqlState(reader, 'SELECT * FROM raw.rawg_games')).toBe('42501');
  });

  it('makes a reader without a password a group: it cannot log in, its members read', async () => {
    await runSetup({ ...withoutPassword, reader: 'bi_readers' });
    expect(await connect('bi_readers').then(() => 'connected', (e: { code?: string }) => e.code)).toBe('28000');
    const admin = await connect('postgres');
    await admin.query('CREATE ROLE metabase LOGIN IN ROLE bi_readers');
    const metabase = await connect('metabase');
    expect((await metabase.query('SELECT count(*)::int AS n FROM marts.dim_games')).rows).toEqual([{ n: 2 }]);
  });

  it('works with names that need quoting', async () => {
    const url = await server.createDatabase('hostile');
    const admin = await connect('postgres', url);
    await admin.query('CREATE ROLE "user" LOGIN');
    await runSetup(
      { database: 'hostile', transformer: 'user', reader: 'bi"reader', readerPassword: "it's\\here", schemas: ['Marts', 'select'], readerSchemas: ['Marts'], readerStatementTimeoutS: 7 },
      url,
    );
    const builder = await connect('user', url);
    await builder.query('CREATE TABLE "Marts"."Dim Games" (id int)');
    await builder.query('INSERT INTO "Marts"."Dim Games" VALUES (42)');
    await builder.query('CREATE TABLE "select"."from" (id int)');
    const reader = await connect('bi"reader', url);
    expect((await reader.query('SELECT id FROM "Marts"."Dim Games"')).rows).toEqual([{ id: 42 }]);
    expect(await sqlState(reader, 'SELECT * FROM "select"."from"')).toBe('42501');
    expect((await reader.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '7s' }]);
  });
});

describe('Postgres quoting agrees with the server', () => {
  it('quotes every keyword the server will not take as a bare name', async () => {
    const admin = await connect('postgres');
    const { rows } = await admin.query<{ word: string }>("SELECT word FROM pg_get_keywords() WHERE catcode <> 'U'");
    expect(rows.length).toBeGreaterThan(50);
    const bare = rows.map((r) => r.word).filter((word) => quoteIdent(word) === word);
    expect(bare).toEqual([]);
  });

  it("writes names as the server's quote_ident does", async () => {
    const admin = await connect('postgres');
    for (const name of ['marts', 'Marts', 'a"b', 'select', 'name', 'my schema', '9lives', 'a$b', 'jeux_vidéo', '_x']) {
      const { rows } = await admin.query<{ q: string }>('SELECT quote_ident($1) AS q', [name]);
      expect(quoteIdent(name), name).toBe(rows[0]!.q);
    }
  });

  it('writes literals that read back as the value, whatever standard_conforming_strings is', async () => {
    const admin = await connect('postgres');
    for (const setting of ['on', 'off']) {
      await admin.query(`SET standard_conforming_strings = ${setting}`);
      for (const value of ["o'brien", 'a\\b', "\\'; SELECT 1; --", 'E\'x\'', '', 'é\\\\n']) {
        const { rows } = await admin.query<{ v: string }>(`SELECT ${quoteLiteral(value)} AS v`);
        expect(rows[0]!.v, `${value} with standard_conforming_strings ${setting}`).toBe(value);
      }
    }
  });
});
