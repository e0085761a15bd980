import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { clearSecrets, redactText } from '../redact.js';
import { loadConfig } from './load-config.js';

afterEach(() => clearSecrets());
const cwd = () => mkdtempSync(path.join(tmpdir(), 'gmp-config-'));

describe('loadConfig', () => {
  it('applies the embedded defaults under GMP_HOME', () => {
    const dir = cwd();
    const config = loadConfig({}, dir);
    expect(config.home).toBe(path.join(dir, '.gmp'));
    expect(config.lake).toEqual({ type: 'local', root: path.join(dir, '.gmp', 'lake') });
    expect(config.warehouse).toEqual({ type: 'duckdb', path: path.join(dir, '.gmp', 'warehouse.duckdb') });
    expect(config.state).toEqual({ type: 'sqlite', path: path.join(dir, '.gmp', 'state.sqlite') });
    expect(config.rawg.baseUrl).toBe('https://api.rawg.io/api');
    expect(config.rawg.apiKey).toBeUndefined();
  });

  it('reads .env, lets the environment win, and registers the key for redaction', () => {
    const dir = cwd();
    writeFileSync(path.join(dir, '.env'), 'RAWG_API_KEY=from-dotenv-key\nGMP_HOME=./h\nRAWG_CONCURRENCY=2\n');
    const config = loadConfig({ RAWG_CONCURRENCY: '6' }, dir);
    expect(config.rawg.apiKey).toBe('from-dotenv-key');
    expect(config.rawg.concurrency).toBe(6);
    expect(config.home).toBe(path.join(dir, 'h'));
    expect(redactText('x from-dotenv-key')).toBe('x [REDACTED]');
  });

  it('says whether the SQL console access was set (environment or .env) or is the default', () => {
    expect(loadConfig({}, cwd())).toMatchObject({ sqlConsole: 'viewers', sqlConsoleSource: 'default' });
    expect(loadConfig({ GMP_SQL_CONSOLE: 'operators' }, cwd())).toMatchObject({ sqlConsole: 'operators', sqlConsoleSource: 'environment' });
    const dir = cwd();
    writeFileSync(path.join(dir, '.env'), 'GMP_SQL_CONSOLE=viewers\n');
    expect(loadConfig({}, dir)).toMatchObject({ sqlConsole: 'viewers', sqlConsoleSource: 'environment' });
  });

  it('parses an S3 lake with the standard AWS variables', () => {
    const config = loadConfig(
      { GMP_LAKE_URL: 's3://my-lake/raw-zone/', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'sec-ret-1' },
      cwd(),
    );
    expect(config.lake).toEqual({
      type: 's3',
      bucket: 'my-lake',
      prefix: 'raw-zone',
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'id', secretAccessKey: 'sec-ret-1' },
    });
  });

  it.each([
    ['GMP_LAKE_URL', 'ftp://x/y', /GMP_LAKE_URL: unsupported scheme "ftp:\/\/"/],
    ['GMP_LAKE_URL', 's3://A_Bad_Bucket/x', /not a valid S3 bucket name/],
    ['RAWG_BASE_URL', 'not a url', /RAWG_BASE_URL/],
    ['RAWG_CONCURRENCY', '0', /RAWG_CONCURRENCY/],
    ['GMP_WAREHOUSE_URL', 'mysql://x', /unsupported warehouse/],
  ])('rejects %s=%s with a ConfigError that names the variable', (name, value, message) => {
    const run = () => loadConfig({ [name]: value }, cwd());
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('never echoes an invalid secret value', () => {
    try {
      loadConfig({ RAWG_API_KEY: '   ' }, cwd());
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('   ');
    }
    const config = loadConfig({ RAWG_API_KEY: '' }, cwd());
    expect(config.rawg.apiKey).toBeUndefined();
  });
});
