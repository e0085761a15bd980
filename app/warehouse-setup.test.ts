import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets } from '../core/index.js';
import { snowflakeDialect, type SharedWarehouse } from '../warehouse/index.js';
import { planWarehouseSetup, runWarehouseSetup } from './warehouse-setup.js';

afterEach(() => clearSecrets());
const cwd = () => mkdtempSync(path.join(tmpdir(), 'gmp-setup-'));
const env = {
  GMP_WAREHOUSE_URL: 'snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING',
  GMP_LAKE_URL: 's3://gmp-lake/prod',
  SNOWFLAKE_USER: 'gmp_svc',
  SNOWFLAKE_PASSWORD: 'pw-setup-canary',
  SNOWFLAKE_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gmp-snowflake',
};

/** A warehouse that records what it runs and answers DESC STORAGE INTEGRATION like Snowflake. */
function recordingWarehouse(): SharedWarehouse & { ran: string[]; closed: boolean } {
  const w = {
    ran: [] as string[],
    closed: false,
    dialect: snowflakeDialect,
    capabilities: { readsLocalFiles: false, transactionalDdl: false },
    describe: () => 'snowflake://xy12345.eu-west-1',
    execute: async (statements: readonly string[]) => void w.ran.push(...statements),
    query: async (sql: string) => {
      w.ran.push(sql);
      return [
        { property: 'ENABLED', property_type: 'Boolean', property_value: 'true' },
        { property: 'STORAGE_AWS_IAM_USER_ARN', property_type: 'String', property_value: 'arn:aws:iam::999999999999:user/abc1-s-p2ss' },
        { property: 'STORAGE_AWS_EXTERNAL_ID', property_type: 'String', property_value: 'XY12345_SFCRole=2_abcdef=' },
      ];
    },
    listRelations: async () => [],
    use: <T>(work: (x: SharedWarehouse) => Promise<T>) => work(w as unknown as SharedWarehouse),
    publishSnapshot: async () => undefined,
    close: async () => void (w.closed = true),
  };
  return w as unknown as SharedWarehouse & { ran: string[]; closed: boolean };
}

describe('warehouse setup', () => {
  it('plans every raw entity the pipeline writes, without secrets in the target', () => {
    const plan = planWarehouseSetup({ env, cwd: cwd() });
    expect(plan.target).toBe('snowflake://xy12345.eu-west-1/GAME_MARKET');
    expect(plan.preamble).toEqual(['USE DATABASE GAME_MARKET']);
    expect(plan.statements.map((s) => s.sql).filter((s) => s.startsWith('CREATE EXTERNAL TABLE')).length).toBeGreaterThanOrEqual(6);
    expect(plan.statements.some((s) => s.sql.includes('raw/rawg/games/'))).toBe(true);
    expect(JSON.stringify(plan.statements)).not.toContain('pw-setup-canary');
  });

  it('runs the statements in order, then reads the IAM principal and external id of the integration it created', async () => {
    const plan = planWarehouseSetup({ env, cwd: cwd() });
    const warehouse = recordingWarehouse();
    const seen: string[] = [];
    const outcome = await runWarehouseSetup(plan, { warehouse, onStatement: (s) => seen.push(s.purpose) });
    expect(warehouse.ran).toEqual([...plan.statements.map((s) => s.sql), 'DESC STORAGE INTEGRATION gmp_lake']);
    expect(seen).toEqual(plan.statements.map((s) => s.purpose));
    expect(outcome).toEqual({
      executed: plan.statements.length,
      lakeAccess: { iamUserArn: 'arn:aws:iam::999999999999:user/abc1-s-p2ss', externalId: 'XY12345_SFCRole=2_abcdef=' },
    });
    expect(warehouse.closed).toBe(true);
  });

  it('plans a DuckDB warehouse: its schemas, no preamble, and the note that raw views follow the commits', () => {
    const home = cwd();
    const plan = planWarehouseSetup({ env: { GMP_HOME: home }, cwd: home });
    expect(plan.target).toBe(`duckdb://${path.join(home, 'warehouse.duckdb')}`);
    expect(plan.preamble).toEqual([]);
    expect(plan.statements.map((s) => s.sql)).toEqual(['raw', 'staging', 'marts', 'checks'].map((schema) => `CREATE SCHEMA IF NOT EXISTS ${schema}`));
    expect(plan.notes).toEqual(['DuckDB needs only its schemas: the raw views are rebuilt over the committed lake files after every ingestion commit.']);
  });

  it('does not describe an integration it did not create', async () => {
    const { SNOWFLAKE_STORAGE_AWS_ROLE_ARN: _arn, ...existing } = env;
    const plan = planWarehouseSetup({ env: existing, cwd: cwd() });
    const warehouse = recordingWarehouse();
    const outcome = await runWarehouseSetup(plan, { warehouse });
    expect(warehouse.ran.some((s) => s.startsWith('DESC'))).toBe(false);
    expect(outcome.lakeAccess).toBeUndefined();
    expect(plan.notes.join(' ')).toMatch(/storage integration gmp_lake must exist already/);
  });
});
