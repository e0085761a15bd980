import { generateKeyPairSync } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CanceledError, UsageError, WarehouseError, clearSecrets, createLogger, registerSecret, type GmpError, type SnowflakeCredentials } from '../../core/index.js';
import { createSnowflakeWarehouse } from '../../warehouse/index.js';

/**
 * The Snowflake driver against a local server speaking the REST calls snowflake-sdk 3.3 makes
 * (shapes read from its lib/services/sf.js, lib/connection/statement.js, lib/connection/result):
 *   POST /session/v1/login-request     → { success, data: { token, masterToken, sessionId, parameters } }
 *   POST /queries/v1/query-request     → { success, data: { queryId, rowtype, rowset, … } } or
 *                                        { success: false, code, message, data: { queryId, sqlState } }
 *   POST /queries/v1/abort-request     → { success }
 *   POST /session?delete=true          → { success }
 *   POST /telemetry/send               → { success } (the SDK's in-band telemetry)
 */
interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: Record<string, unknown>;
}
type QueryHandler = (req: Recorded, res: ServerResponse) => boolean | void;

const PASSWORD = 'pw-canary-7c1e55';
const requests: Recorded[] = [];
/** Emits 'request' with each request the fake server receives, before it answers. */
const served = new EventEmitter();
const logLines: string[] = [];
const logger = createLogger({ level: 'trace', destination: { write: (line: string) => void logLines.push(line) } as never });
let onQuery: QueryHandler = () => false;
let logins = 0;
let server: ReturnType<typeof createServer>;
let url = '';

const send = (res: ServerResponse, body: unknown, status = 200): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
const rowsResult = (queryId: string, rowtype: { name: string; type: string; scale?: number }[], rowset: (string | null)[][]) => ({
  success: true,
  code: null,
  message: null,
  data: {
    queryId,
    rowtype: rowtype.map((c) => ({ nullable: true, precision: c.type === 'fixed' ? 38 : null, scale: c.scale ?? 0, length: null, ...c })),
    rowset,
    total: rowset.length,
    returned: rowset.length,
    queryResultFormat: 'json',
    parameters: [],
  },
});
const ok = (queryId: string) => rowsResult(queryId, [{ name: 'status', type: 'text' }], [['Statement executed successfully.']]);

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      const parsed = new URL(req.url ?? '/', 'http://x');
      const recorded: Recorded = { method: req.method ?? '', path: parsed.pathname, query: parsed.searchParams, headers: req.headers, raw, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
      requests.push(recorded);
      served.emit('request', recorded);
      if (recorded.path === '/session/v1/login-request') {
        logins++;
        return send(res, {
          success: true,
          data: {
            token: `session-token-${logins}`,
            masterToken: `master-token-${logins}`,
            validityInSeconds: 3600,
            masterValidityInSeconds: 14400,
            sessionId: 1000 + logins,
            // As Snowflake sends them: the driver formats dates with these.
            parameters: [
              { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
              { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
            ],
          },
        });
      }
      if (recorded.path === '/queries/v1/query-request') {
        const sql = String(recorded.body.sqlText);
        if (onQuery(recorded, res) === true) return;
        return send(res, ok(`q-${requests.length}`), sql ? 200 : 400);
      }
      return send(res, { success: true, data: null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registerSecret(PASSWORD);
});
afterAll(async () => {
  clearSecrets();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  requests.length = 0;
  logLines.length = 0;
  onQuery = () => false;
});

const password: SnowflakeCredentials = { user: 'gmp_svc', type: 'password', password: PASSWORD };
const open = (credentials: SnowflakeCredentials = password) =>
  createSnowflakeWarehouse({
    account: 'xy12345',
    database: 'GAME_MARKET',
    warehouse: 'TRANSFORMING',
    role: 'GMP_ROLE',
    credentials,
    statementTimeoutS: 120,
    accessUrl: url,
    retryBaseMs: 5,
    logger,
  });
const queries = () => requests.filter((r) => r.path === '/queries/v1/query-request');

/**
 * Resolves once the fake server has received a request `matching` (at once if it already has), on
 * its 'request' event; fails naming `what` after `timeoutMs`.
 */
async function requestArrives(matching: (r: Recorded) => boolean, what: string, timeoutMs = 5_000): Promise<Recorded> {
  const seen = requests.find(matching);
  if (seen) return seen;
  const deadline = AbortSignal.timeout(timeoutMs);
  const arrived = new Promise<Recorded>((resolve, reject) => {
    const onRequest = (r: Recorded): void => {
      if (!matching(r)) return;
      served.off('request', onRequest);
      resolve(r);
    };
    served.on('request', onRequest);
    void once(deadline, 'abort').then(() => {
      served.off('request', onRequest);
      reject(new Error(`timed out after ${timeoutMs} ms waiting until ${what}`));
    });
  });
  return arrived;
}
const sqlOf = (r: Recorded) => String(r.body.sqlText);

describe('Snowflake driver against the REST protocol', () => {
  it('logs in with account and user, sets the session up, sends typed binds and the query tag, reads typed rows, and ends the session', async () => {
    onQuery = (req, res) => {
      if (!sqlOf(req).startsWith('SELECT ? AS n')) return false;
      send(
        res,
        rowsResult(
          'q-binds',
          [{ name: 'N', type: 'fixed' }, { name: 'NAME', type: 'text' }, { name: 'D', type: 'date' }, { name: 'TS', type: 'timestamp_ntz', scale: 3 }, { name: 'MixedCase', type: 'text' }],
          [['42', 'abc', '19845', '1714608000.123', 'kept']],
        ),
      );
      return true;
    };
    const w = open();
    const rows = await w.query('SELECT ? AS n', { tag: { run_id: '20240502T030000Z-3f9a1c', asset: 'marts/dim_games', partition: '2024-05-01' } });
    // Typed, with the upper-case names Snowflake gives unquoted aliases lower-cased like DuckDB's,
    // a DATE as YYYY-MM-DD and a timestamp as ISO 8601 (whatever the account's output formats).
    expect(rows).toEqual([{ n: 42, name: 'abc', d: '2024-05-02', ts: '2024-05-02T00:00:00.123Z', MixedCase: 'kept' }]);
    await w.close();

    const [login, ...rest] = requests.filter((r) => r.path !== '/telemetry/send');
    expect(login!.path).toBe('/session/v1/login-request');
    expect(login!.query.get('databaseName')).toBe('GAME_MARKET');
    expect(login!.query.get('warehouse')).toBe('TRANSFORMING');
    expect(login!.query.get('roleName')).toBe('GMP_ROLE');
    expect(login!.body.data).toMatchObject({ ACCOUNT_NAME: 'xy12345', LOGIN_NAME: 'gmp_svc', AUTHENTICATOR: 'SNOWFLAKE', PASSWORD });
    // The password travels in the login body only: in no URL, header or body of any other request.
    for (const r of requests.filter((x) => x !== login)) expect(JSON.stringify([r.path, r.query.toString(), r.headers, r.raw])).not.toContain(PASSWORD);

    const [setup, statement] = rest;
    expect(sqlOf(setup!)).toBe(`ALTER SESSION SET TIMEZONE = 'UTC' STATEMENT_TIMEOUT_IN_SECONDS = 120 QUERY_TAG = '{"app":"gmp"}'`);
    expect(statement!.body.bindings).toBeUndefined();
    expect(JSON.parse(String((statement!.body.parameters as Record<string, unknown>).QUERY_TAG))).toEqual({
      app: 'gmp',
      run_id: '20240502T030000Z-3f9a1c',
      asset: 'marts/dim_games',
      partition: '2024-05-01',
    });
    expect(statement!.headers.authorization).toBe('Snowflake Token="session-token-1"');
    expect(rest.at(-1)!.path).toBe('/session');
    expect(rest.at(-1)!.query.get('delete')).toBe('true');
    expect(rest.at(-1)!.headers.authorization).toBe('Snowflake Token="session-token-1"');
  });

  it('sends binds typed as Snowflake expects them', async () => {
    const { createSnowflakeDriver } = await import('../../warehouse/snowflake/index.js');
    const driver = createSnowflakeDriver({ account: 'xy12345', database: 'GAME_MARKET', credentials: password, statementTimeoutS: 120, accessUrl: url, logger });
    await driver.run('INSERT INTO t (id, name, ok, rating, note) VALUES (?, ?, ?, ?, ?)', { binds: [42, 'it\'s', true, 4.5, null] });
    await driver.close();
    expect(queries().at(-1)!.body.bindings).toEqual({
      1: { type: 'FIXED', value: '42' },
      2: { type: 'TEXT', value: "it's" },
      3: { type: 'BOOLEAN', value: 'true' },
      4: { type: 'REAL', value: '4.5' },
      5: { type: 'TEXT', value: null },
    });
  });

  it('reports a SQL error once, as a WarehouseError with the query id and redacted SQL, and no secret anywhere', async () => {
    onQuery = (req, res) => {
      if (!sqlOf(req).startsWith('CREATE USER')) return false;
      send(res, {
        success: false,
        code: '002003',
        message: `SQL compilation error:\nObject 'GMP_ROLE' does not exist or not authorized (near '${PASSWORD}').`,
        data: { queryId: '01b3-sql-error', sqlState: '42S02', errorCode: '002003', internalError: false },
      });
      return true;
    };
    const w = open();
    const sql = `CREATE USER reporting PASSWORD = 'literal-secret-5511' DEFAULT_ROLE = GMP_ROLE COMMENT = '${PASSWORD}'`;
    const error = await w.execute([sql]).then(
      () => undefined,
      (e: unknown) => e,
    );
    await w.close();
    expect(error).toBeInstanceOf(WarehouseError);
    const e = error as GmpError;
    expect(e.retryable).toBe(false);
    expect(e.message).toBe("Snowflake query failed: SQL compilation error: Object 'GMP_ROLE' does not exist or not authorized (near '[REDACTED]').");
    expect(e.context).toMatchObject({ queryId: '01b3-sql-error', sqlState: '42S02', vendorCode: '002003' });
    expect(e.context.sql).toBe(`CREATE USER reporting PASSWORD = '[REDACTED]' DEFAULT_ROLE = GMP_ROLE COMMENT = '[REDACTED]'`);
    expect(e.hint).toMatch(/gmp warehouse setup/);
    // Not retried: a SQL error is final.
    expect(queries().filter((r) => sqlOf(r).startsWith('CREATE USER'))).toHaveLength(1);
    const everything = JSON.stringify([e.message, e.context, e.toJSON(), String((e.cause as Error).message), logLines]);
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain('literal-secret-5511');
  });

  it('retries a transient 503 (the same request id) and succeeds', async () => {
    let attempts = 0;
    onQuery = (req, res) => {
      if (!sqlOf(req).startsWith('SELECT 503')) return false;
      attempts++;
      if (attempts === 1) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('service unavailable');
        return true;
      }
      send(res, rowsResult('q-after-503', [{ name: 'X', type: 'fixed' }], [['1']]));
      return true;
    };
    const w = open();
    expect(await w.query('SELECT 503')).toEqual([{ x: 1 }]);
    await w.close();
    const tries = queries().filter((r) => sqlOf(r) === 'SELECT 503');
    expect(tries).toHaveLength(2);
    expect(tries[1]!.query.get('requestId')).toBe(tries[0]!.query.get('requestId'));
    expect(tries[1]!.query.get('retryCount')).toBe('1');
  });

  it('logs in again when the login expired (390114) and runs the statement on the new session', async () => {
    const before = logins;
    const expired = `Snowflake Token="session-token-${before + 1}"`;
    onQuery = (req, res) => {
      if (!sqlOf(req).startsWith('SELECT after_expiry')) return false;
      // The first session's login has expired: everything it sends is refused.
      if (req.headers.authorization === expired) {
        send(res, { success: false, code: '390114', message: 'Authentication token has expired.  The user must authenticate again.', data: { nextAction: 'RETRY_LOGIN' } });
      } else {
        send(res, rowsResult('q-after-login', [{ name: 'OK', type: 'boolean' }], [['1']]));
      }
      return true;
    };
    const w = open();
    expect(await w.query('SELECT after_expiry')).toEqual([{ ok: true }]);
    await w.close();
    expect(logins).toBe(before + 2);
    const tries = queries().filter((r) => sqlOf(r) === 'SELECT after_expiry');
    expect(tries.at(-1)!.headers.authorization).toBe(`Snowflake Token="session-token-${before + 2}"`);
    expect(tries.slice(0, -1).every((t) => t.headers.authorization === expired)).toBe(true);
    expect(new Set(tries.map((t) => t.query.get('requestId'))).size).toBe(1);
    // The expired session is ended, and the new one on close.
    expect(requests.filter((r) => r.path === '/session').map((r) => r.headers.authorization)).toEqual([expired, `Snowflake Token="session-token-${before + 2}"`]);
  });

  it('runs a transaction on one session: leading DDL, then BEGIN, the DML, COMMIT', async () => {
    const w = open();
    await w.execute(
      ['CREATE SCHEMA IF NOT EXISTS marts', "DELETE FROM marts.f WHERE dt = DATE '2024-05-01'", "INSERT INTO marts.f SELECT DATE '2024-05-01'"],
      { transaction: true },
    );
    await w.close();
    const sent = queries().map(sqlOf).filter((s) => !s.startsWith('ALTER SESSION'));
    expect(sent).toEqual(['CREATE SCHEMA IF NOT EXISTS marts', 'BEGIN TRANSACTION', "DELETE FROM marts.f WHERE dt = DATE '2024-05-01'", "INSERT INTO marts.f SELECT DATE '2024-05-01'", 'COMMIT']);
    expect(new Set(queries().map((r) => r.headers.authorization)).size).toBe(1);
  });

  it('waits with a deadline: a request that never comes fails the test with what was awaited, not a hang', async () => {
    await expect(requestArrives(() => false, 'the server holds the slow statement', 30)).rejects.toThrow(
      'timed out after 30 ms waiting until the server holds the slow statement',
    );
  });

  it('cancels a running statement when its signal aborts (abort-request sent)', async () => {
    const held: ServerResponse[] = [];
    onQuery = (req, res) => {
      if (!sqlOf(req).startsWith('SELECT slow')) return false;
      held.push(res);
      return true;
    };
    const w = open();
    const controller = new AbortController();
    const pending = w.query('SELECT slow', { signal: controller.signal });
    await requestArrives((r) => r.path === '/queries/v1/query-request' && sqlOf(r).startsWith('SELECT slow'), 'the server holds the slow statement');
    expect(held).toHaveLength(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CanceledError);
    await requestArrives((r) => r.path.endsWith('/abort-request'), 'the driver sends abort-request for the canceled statement');
    for (const res of held) send(res, { success: false, code: '000604', message: 'SQL execution canceled', data: { queryId: 'q-slow', sqlState: '57014' } });
    await w.close();
    expect(requests.find((r) => r.path.endsWith('/abort-request'))).toBeDefined();
  });

  it('opened read-only (gmp query), runs one read-only statement and refuses anything else before sending it', async () => {
    onQuery = (req, res) => {
      if (!sqlOf(req).startsWith('WITH top AS')) return false;
      send(res, rowsResult('q-read', [{ name: 'N', type: 'fixed' }], [['3']]));
      return true;
    };
    const w = createSnowflakeWarehouse({ account: 'xy12345', database: 'GAME_MARKET', credentials: password, statementTimeoutS: 120, accessUrl: url, logger, readOnly: true });
    try {
      expect(await w.query('WITH top AS (SELECT 1 AS x) SELECT count(*) AS n FROM top')).toEqual([{ n: 3 }]);
      for (const sql of ['DELETE FROM marts.dim_games', 'SELECT 1; DROP TABLE marts.dim_games', 'CALL SYSTEM$WAIT(1)']) {
        await expect(w.query(sql)).rejects.toBeInstanceOf(UsageError);
      }
      await expect(w.execute(['CREATE TABLE marts.x (a INT)'])).rejects.toBeInstanceOf(UsageError);
      expect(w.exposeCommittedFiles).toBeUndefined();
    } finally {
      await w.close();
    }
    const sent = queries().map(sqlOf).filter((s) => !s.startsWith('ALTER SESSION'));
    expect(sent).toEqual(['WITH top AS (SELECT 1 AS x) SELECT count(*) AS n FROM top']);
  });

  it('logs in with a key pair: a JWT in the login body, the private key in no request', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const w = open({ user: 'gmp_svc', type: 'key-pair', privateKey: pem });
    await w.query('SELECT 1');
    await w.close();
    const login = requests.find((r) => r.path === '/session/v1/login-request')!;
    const data = login.body.data as Record<string, unknown>;
    expect(data.AUTHENTICATOR).toBe('SNOWFLAKE_JWT');
    expect(String(data.TOKEN)).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(data.PASSWORD).toBeUndefined();
    const body = pem.split('\n')[1]!;
    for (const r of requests) expect(r.raw + JSON.stringify(r.headers)).not.toContain(body);
  });

  it('fails a rejected login as a non-retryable WarehouseError with a credentials hint', async () => {
    const w = createSnowflakeWarehouse({
      account: 'xy12345',
      database: 'GAME_MARKET',
      credentials: { user: 'nobody', type: 'password', password: PASSWORD },
      statementTimeoutS: 120,
      accessUrl: `${url}/reject`,
      logger,
    });
    // The /reject prefix makes every path unknown to the server: answer the login with 390100.
    const original = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if ((req.url ?? '').startsWith('/reject/session/v1/login-request')) {
        req.resume();
        return send(res, { success: false, code: '390100', message: 'Incorrect username or password was specified.', data: null });
      }
      original(req, res);
    });
    try {
      const error = await w.query('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseError);
      expect((error as GmpError).retryable).toBe(false);
      expect((error as GmpError).message).toBe('Snowflake login failed: Incorrect username or password was specified.');
      expect((error as GmpError).hint).toMatch(/SNOWFLAKE_USER and SNOWFLAKE_PASSWORD/);
      expect(JSON.stringify((error as GmpError).toJSON())).not.toContain(PASSWORD);
    } finally {
      await w.close();
      server.removeAllListeners('request');
      server.on('request', original);
    }
  });
});
