import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/test-server.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { runGmpAsync } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

// What a user sees when the Postgres warehouse cannot be used: one line saying what is wrong and
// a hint, a non-zero exit, the password nowhere, and nothing half-built in the warehouse.
const PASSWORD = 'admin-pw-93b7';
let server: PostgresServer;
let host: string;

beforeAll(async () => {
  server = await startPostgresServer({ password: PASSWORD });
  host = new URL(server.url).host;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query("CREATE ROLE weak LOGIN PASSWORD 'weak-pw-1'");
    await admin.query('CREATE DATABASE empty_db');
    await admin.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  } finally {
    await admin.end();
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function gmp(args: string[], url: string) {
  const result = await runGmpAsync(args, { cwd: tempDir('gmp-pg-err-'), env: { GMP_WAREHOUSE_URL: url } });
  const errorLines = result.stderr.split('\n').filter((l) => l.startsWith('error:') || l.startsWith('✗'));
  expect(result.stdout + result.stderr).not.toContain(PASSWORD);
  expect(result.stdout + result.stderr).not.toContain('weak-pw-1');
  return { ...result, errorLines };
}

describe('a Postgres warehouse gmp cannot use', () => {
  it('unreachable: says where it tried and what to check, exit 1', async () => {
    const result = await gmp(['query', 'select 1'], `postgres://postgres:${PASSWORD}@127.0.0.1:${await freePort()}/postgres`);
    expect(result.status).toBe(1);
    expect(result.errorLines).toHaveLength(1);
    expect(result.errorLines[0]).toMatch(/cannot reach the Postgres warehouse postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres: connect ECONNREFUSED.*check the host and port/);
  });

  it('a wrong password: names the user, not the password, exit 1', async () => {
    const result = await gmp(['query', 'select 1'], `postgres://postgres:not-${PASSWORD}@${host}/postgres`);
    expect(result.status).toBe(1);
    expect(result.errorLines).toHaveLength(1);
    expect(result.errorLines[0]).toMatch(/Postgres refused the login of "postgres".*password authentication failed.*check the user and password/);
    expect(result.stderr).not.toContain(`not-${PASSWORD}`);
  });

  it('a missing database: says so and how to create it, exit 1', async () => {
    const result = await gmp(['query', 'select 1'], `postgres://postgres:${PASSWORD}@${host}/no_such_db`);
    expect(result.status).toBe(1);
    expect(result.errorLines[0]).toMatch(/the database "no_such_db" does not exist.*createdb no_such_db/);
  });

  it('a role without CREATE: the build fails on its first step with the setup hint, and leaves nothing behind', async () => {
    const url = `postgres://weak:weak-pw-1@${host}/empty_db`;
    const result = await gmp(['materialize', '--select', 'staging/stg_rawg__genres'], url);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/permission denied .*\(role "weak"\)/);
    expect(result.stderr).toMatch(/gmp warehouse setup/);
    const admin = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/empty_db') });
    await admin.connect();
    try {
      const { rows } = await admin.query("select count(*)::int as n from pg_namespace where nspname in ('raw', 'staging', 'marts')");
      expect(rows[0].n).toBe(0);
      const tables = await admin.query("select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')");
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
