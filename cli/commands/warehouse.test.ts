import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { expectGolden } from '../../tests/helpers/golden.js';
import { runGmp } from '../../tests/helpers/run-gmp.js';
import { tempDir } from '../../tests/helpers/workspace.js';

// Runs the built binary (`npm run build` first), as users do.
const GOLDEN = path.join(packageRoot(), 'warehouse', 'snowflake', '__golden__');
const CANARY = 'sf-password-canary-93b1';
const snowflakeEnv = {
  GMP_WAREHOUSE_URL: 'snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING&role=GMP_ROLE',
  GMP_LAKE_URL: 's3://gmp-lake/prod',
  SNOWFLAKE_USER: 'gmp_svc',
  SNOWFLAKE_PASSWORD: CANARY,
  SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: `${CANARY}-passphrase`,
  SNOWFLAKE_STORAGE_AWS_ROLE_ARN: 'arn:aws:iam::123456789012:role/gmp-snowflake',
};

/** Runs `gmp args` in-process from dist and reports whether snowflake-sdk was loaded. */
function sdkLoadedBy(args: string[], env: Record<string, string>, control = false): boolean {
  const loader = path.join(packageRoot(), 'dist', 'warehouse', 'snowflake', 'load-snowflake-sdk.js');
  const script = `
    import { createRequire } from 'node:module';
    if (${control}) await (await import(${JSON.stringify(loader)})).loadSnowflakeSdk();
    const { main } = await import(${JSON.stringify(path.join(packageRoot(), 'dist', 'cli', 'main.js'))});
    const out = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    await main(['node', 'gmp', ...${JSON.stringify(args)}]);
    process.stdout.write = out;
    const cache = Object.keys(createRequire(import.meta.url).cache);
    out(JSON.stringify({ loaded: cache.some((k) => k.includes('snowflake-sdk')), modules: cache.length }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: tempDir('gmp-lazy-'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { loaded: boolean }).loaded;
}

describe('gmp warehouse setup', () => {
  it('--print writes the complete Snowflake setup SQL, pinned, without any secret', () => {
    const result = runGmp(['warehouse', 'setup', '--print'], { cwd: tempDir('gmp-e2e-'), env: snowflakeEnv });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain(CANARY);
    expectGolden(GOLDEN, 'cli-setup-print.sql', result.stdout);
  });

  it('--print needs no credentials (an admin can run the script)', () => {
    const { SNOWFLAKE_USER: _u, SNOWFLAKE_PASSWORD: _p, SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: _k, ...noLogin } = snowflakeEnv;
    const result = runGmp(['warehouse', 'setup', '--print'], { cwd: tempDir('gmp-e2e-'), env: noLogin });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('CREATE EXTERNAL TABLE IF NOT EXISTS raw.rawg_games__lake (');
  });

  it('without credentials, running setup fails with a ConfigError naming the variable', () => {
    const { SNOWFLAKE_PASSWORD: _p, SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: _k, ...noPassword } = snowflakeEnv;
    const result = runGmp(['warehouse', 'setup'], { cwd: tempDir('gmp-e2e-'), env: noPassword });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/SNOWFLAKE_PASSWORD is not set/);
  });

  it('on DuckDB creates the schemas (and says raw views need no setup)', () => {
    const cwd = tempDir('gmp-e2e-');
    const setup = runGmp(['warehouse', 'setup'], { cwd });
    expect(setup.status).toBe(0);
    expect(setup.stdout).toContain('ok  schema raw\nok  schema staging\nok  schema marts\nok  schema checks\n');
    expect(setup.stdout).toMatch(/note: DuckDB needs only its schemas/);
    const schemas = runGmp(['query', '--json', "select schema_name from information_schema.schemata where schema_name in ('raw', 'staging', 'marts', 'checks') order by 1"], { cwd });
    expect(JSON.parse(schemas.stdout)).toEqual([{ schema_name: 'checks' }, { schema_name: 'marts' }, { schema_name: 'raw' }, { schema_name: 'staging' }]);
    // Idempotent.
    expect(runGmp(['warehouse', 'setup'], { cwd }).status).toBe(0);
  });

  it('never loads snowflake-sdk for --help, DuckDB users, or printing the Snowflake SQL', () => {
    expect(sdkLoadedBy(['--help'], {})).toBe(false);
    expect(sdkLoadedBy(['warehouse', 'setup', '--print'], {})).toBe(false);
    expect(sdkLoadedBy(['compile', '--target', 'snowflake', '--select', 'dim_games'], {})).toBe(false);
    expect(sdkLoadedBy(['warehouse', 'setup', '--print'], snowflakeEnv)).toBe(false);
    // The probe does see the SDK once something loads it.
    expect(sdkLoadedBy(['--help'], {}, true)).toBe(true);
  });
});
