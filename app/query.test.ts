import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSecrets, UsageError, WarehouseError } from '../core/index.js';
import { tempDir } from '../tests/helpers/workspace.js';
import { createDuckDbWarehouse } from '../warehouse/index.js';
import { queryWarehouse } from './query.js';
import { openWorkspace } from './workspace.js';

// Nothing here may log in anywhere: a Snowflake statement that got past the guard fails loudly.
vi.mock('../warehouse/snowflake/load-snowflake-sdk.js', () => ({
  loadSnowflakeSdk: () => Promise.reject(new Error('this test must not reach a Snowflake login')),
}));

afterEach(() => clearSecrets());

const duckDbWorkspace = () => {
  const home = tempDir('gmp-query-');
  return openWorkspace({ cwd: home, env: { GMP_HOME: home } });
};

describe('queryWarehouse on DuckDB', () => {
  it('names how to create a warehouse when there is none yet', async () => {
    const error = await queryWarehouse(duckDbWorkspace(), 'select 1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WarehouseError);
    expect((error as WarehouseError).message).toMatch(/^no warehouse at .*warehouse\.duckdb yet$/);
    expect((error as WarehouseError).hint).toMatch(/gmp demo/);
  });

  it('reads the file and refuses to write it (opened read-only)', async () => {
    const ws = duckDbWorkspace();
    const file = ws.config.warehouse.type === 'duckdb' ? ws.config.warehouse.path : '';
    mkdirSync(path.dirname(file), { recursive: true });
    const writer = await createDuckDbWarehouse({ path: file });
    await writer.execute(['CREATE SCHEMA marts', "CREATE TABLE marts.dim_games AS SELECT 1 AS game_id, 'Portal' AS name"]);
    await writer.close();

    expect(await queryWarehouse(ws, 'select game_id, name from marts.dim_games')).toEqual([{ game_id: 1, name: 'Portal' }]);
    await expect(queryWarehouse(ws, 'delete from marts.dim_games')).rejects.toThrow(/read-only/i);
    expect(await queryWarehouse(ws, 'select count(*) as n from marts.dim_games')).toEqual([{ n: 1 }]);
  });
});

describe('queryWarehouse on Snowflake', () => {
  const home = tempDir('gmp-query-sf-');
  const ws = () =>
    openWorkspace({
      cwd: home,
      env: {
        GMP_HOME: home,
        GMP_WAREHOUSE_URL: 'snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING',
        GMP_LAKE_URL: 's3://gmp-lake/prod',
        SNOWFLAKE_USER: 'gmp_svc',
        SNOWFLAKE_PASSWORD: 'pw-query-canary',
      },
    });

  it.each(['delete from marts.dim_games', 'select 1; drop table marts.dim_games', 'create table marts.x as select 1', 'grant role accountadmin to user me'])(
    'refuses %j with a UsageError before logging in',
    async (sql) => {
      const error = await queryWarehouse(ws(), sql).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).code).toBe('USAGE');
      expect((error as UsageError).message).toMatch(/^gmp query on Snowflake runs one read-only statement/);
    },
  );

  it('passes a read-only statement on to Snowflake (here: to the login this test forbids)', async () => {
    await expect(queryWarehouse(ws(), 'select count(*) from marts.dim_games')).rejects.toThrow(/must not reach a Snowflake login/);
  });
});
