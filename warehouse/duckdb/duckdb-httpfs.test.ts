import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret, redactText } from '../../core/index.js';
import { startTestServer, type TestServer } from '../../tests/helpers/test-server.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import { createDuckDbWarehouse } from './duckdb-driver.js';
import { duckDbDialect } from './duckdb-dialect.js';
import {
  duckDbHttpfsStatus,
  redactedS3SecretStatement,
  s3SecretStatement,
  type DuckDbS3Lake,
  type DuckDbSettings,
} from './duckdb-httpfs.js';

const minio: DuckDbS3Lake = {
  type: 's3',
  bucket: 'gmp-lake',
  prefix: 'team/lake',
  region: 'eu-west-1',
  endpoint: 'http://minio:9000',
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIAMINIO', secretAccessKey: "s3cr3t'with-quote", sessionToken: 'session-token-value' },
};

afterEach(() => clearSecrets());

describe('the DuckDB S3 secret (text)', () => {
  it('points httpfs at a MinIO endpoint with path style, scoped to the lake', () => {
    expect(s3SecretStatement(minio)).toBe(
      'CREATE OR REPLACE TEMPORARY SECRET gmp_lake (TYPE s3, PROVIDER config, ' +
        "KEY_ID 'AKIAMINIO', SECRET 's3cr3t''with-quote', SESSION_TOKEN 'session-token-value', " +
        "REGION 'eu-west-1', ENDPOINT 'minio:9000', USE_SSL false, URL_STYLE 'path', SCOPE 's3://gmp-lake/team/lake/')",
    );
  });

  it('uses AWS defaults (virtual-hosted, TLS) and the credential chain when no keys are configured', () => {
    const aws: DuckDbS3Lake = { type: 's3', bucket: 'prod-lake', prefix: '', region: 'us-east-2', forcePathStyle: false };
    expect(s3SecretStatement(aws)).toBe(
      "CREATE OR REPLACE TEMPORARY SECRET gmp_lake (TYPE s3, PROVIDER credential_chain, REGION 'us-east-2', URL_STYLE 'vhost', SCOPE 's3://prod-lake/')",
    );
    expect(s3SecretStatement({ ...aws, endpoint: 'https://s3.internal.example/objects/' })).toContain("ENDPOINT 's3.internal.example/objects', USE_SSL true");
  });

  it('has a redacted twin for logs that carries no credential', () => {
    registerSecret(minio.credentials!.secretAccessKey);
    const redacted = redactedS3SecretStatement(minio);
    expect(redacted).toContain("KEY_ID '[REDACTED]', SECRET '[REDACTED]', SESSION_TOKEN '[REDACTED]'");
    for (const value of ['AKIAMINIO', 's3cr3t', 'session-token-value']) expect(redacted).not.toContain(value);
    // The real statement is never logged; were it printed, redaction would still mask the quoted secret.
    const printed = redactText(s3SecretStatement(minio));
    expect(printed).not.toContain('s3cr3t');
    expect(printed).not.toContain('session-token-value');
  });

  it('builds the raw view over s3:// URLs of committed files exactly as over local paths', () => {
    const files = ['s3://gmp-lake/team/lake/raw/rawg/games/dt=2025-06-28/run=r1/part-00000.jsonl.gz'];
    expect(duckDbDialect.rawTableView!('raw.rawg_games', files)).toBe(
      'CREATE OR REPLACE VIEW raw.rawg_games AS SELECT dt, run AS run_id, json AS value ' +
        "FROM read_ndjson_objects(['s3://gmp-lake/team/lake/raw/rawg/games/dt=2025-06-28/run=r1/part-00000.jsonl.gz'], " +
        "hive_partitioning = true, hive_types = {'dt': DATE, 'run': VARCHAR})",
    );
  });
});

describe('httpfs missing (the fallback, for real, whatever this machine has installed)', () => {
  // An empty extension folder stands for a machine without httpfs; the extension repository is a
  // loopback server that records any download DuckDB would attempt.
  let repository: TestServer;
  let settings: DuckDbSettings;
  beforeAll(async () => {
    repository = await startTestServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    settings = { extension_directory: tempDir('gmp-duckdb-extensions-'), custom_extension_repository: repository.url };
  });
  afterAll(() => repository.close());

  it('reports httpfs as unavailable with the reason, without downloading it, once per process', async () => {
    const status = await duckDbHttpfsStatus(minio, settings);
    expect(status).toEqual({ available: false, reason: expect.stringMatching(/^httpfs cannot be loaded: .*httpfs/) });
    // The reason (which pipeline resources log) names the folder that was searched.
    expect(status).toMatchObject({ reason: expect.stringContaining(settings['extension_directory']!) });
    expect(repository.requests).toEqual([]);
    expect(await duckDbHttpfsStatus(minio, settings)).toBe(status);
    expect(duckDbHttpfsStatus(minio, { ...settings })).toBe(duckDbHttpfsStatus(minio, settings));
  });

  it('opens a warehouse for an S3 lake without httpfs: no secret, local files readable, s3:// never fetches httpfs', async () => {
    const warehouse = await createDuckDbWarehouse({ path: ':memory:', s3Lake: minio, settings });
    try {
      expect(await warehouse.query("SELECT count(*) AS n FROM duckdb_secrets() WHERE name = 'gmp_lake'")).toEqual([{ n: 0 }]);
      expect(await warehouse.query("SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'httpfs'")).toEqual([{ loaded: false }]);
      expect(await warehouse.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
      // With DuckDB's default (autoinstall on) this would download httpfs from the repository.
      await expect(warehouse.query("SELECT * FROM read_text('s3://gmp-lake/team/lake/x.txt')")).rejects.toThrow(/httpfs/);
      expect(repository.requests).toEqual([]);
    } finally {
      await warehouse.close();
    }
  });
});
