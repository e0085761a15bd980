import { afterEach, describe, expect, it } from 'vitest';
import { CanceledError } from '../../core/index.js';
import { sendJson, startTestServer, type TestServer } from '../../tests/helpers/test-server.js';
import { resolveMlflowConnection, type MlflowOptions } from './mlflow-connection.js';
import { MlflowError } from './mlflow-error.js';
import { callMlflow, type MlflowRequest } from './mlflow-request.js';

// callMlflow against a scripted MLflow-like server on loopback: real HTTP, real sockets.
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SEARCH: MlflowRequest = { method: 'POST', path: '/api/2.0/mlflow/runs/search', json: { experiment_ids: ['1'] } };
const call = (request: MlflowRequest, options: Partial<MlflowOptions> = {}) =>
  callMlflow<Record<string, unknown>>(resolveMlflowConnection({ trackingUri: server!.url, env: {}, ...options }), request);
const failure = (request: MlflowRequest, options: Partial<MlflowOptions> = {}) =>
  call(request, options).then(
    () => {
      throw new Error('expected an MlflowError');
    },
    (error: unknown) => error as MlflowError,
  );

describe('callMlflow', () => {
  it('retries a 5xx and returns the answer that follows', async () => {
    server = await startTestServer((_req, res, n) => (n < 3 ? sendJson(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }) : sendJson(res, 200, { runs: [] })));
    expect(await call(SEARCH)).toEqual({ runs: [] });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after three attempts, naming the endpoint, the status and MLflow\'s error_code', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 500, { error_code: 'INTERNAL_ERROR', message: 'database is locked\n[SQL: UPDATE runs SET ...]' }));
    const error = await failure(SEARCH);
    expect(error).toBeInstanceOf(MlflowError);
    expect(error.message).toBe(`POST ${server.url}/api/2.0/mlflow/runs/search answered 500 INTERNAL_ERROR: database is locked`);
    expect(error).toMatchObject({ status: 500, errorCode: 'INTERNAL_ERROR', code: 'HTTP_STATUS', retryable: true });
    expect(server.requests).toHaveLength(3);
  });

  it('retries a connection the server broke', async () => {
    server = await startTestServer((req, res, n) => (n === 1 ? req.socket.destroy() : sendJson(res, 200, { runs: [] })));
    expect(await call(SEARCH)).toEqual({ runs: [] });
    expect(server.requests).toHaveLength(2);
  });

  it('never resends a request marked not to be retried (runs/create)', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 503, { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy' }));
    const error = await failure({ method: 'POST', path: '/api/2.0/mlflow/runs/create', json: {}, retry: false });
    expect(error.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a refusal (4xx)', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Could not find experiment with name 'x'" }));
    const error = await failure({ method: 'GET', path: '/api/2.0/mlflow/experiments/get-by-name', query: { experiment_name: 'x' } });
    expect(error).toMatchObject({ status: 404, errorCode: 'RESOURCE_DOES_NOT_EXIST', retryable: false });
    expect(error.message).toBe(`GET ${server.url}/api/2.0/mlflow/experiments/get-by-name answered 404 RESOURCE_DOES_NOT_EXIST: Could not find experiment with name 'x'`);
    expect(server.requests).toEqual([{ url: '/api/2.0/mlflow/experiments/get-by-name?experiment_name=x' }]);
  });

  it('sends the token, or the basic login from the environment or the URI, and never shows it in an error', async () => {
    const seen: string[] = [];
    // A server that echoes the credential it got back in its error, as a careless proxy might.
    server = await startTestServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      sendJson(res, 401, { error_code: 'UNAUTHENTICATED', message: `bad credentials: ${req.headers.authorization}` });
    });
    const port = new URL(server.url).port;
    const cases: Array<[Partial<MlflowOptions>, string, string]> = [
      [{ env: { MLFLOW_TRACKING_TOKEN: 'tok-3c1f9a7e55' } }, 'Bearer tok-3c1f9a7e55', 'tok-3c1f9a7e55'],
      [{ env: { MLFLOW_TRACKING_USERNAME: 'ml', MLFLOW_TRACKING_PASSWORD: 'pw-71be02d4c9' } }, `Basic ${Buffer.from('ml:pw-71be02d4c9').toString('base64')}`, 'pw-71be02d4c9'],
      [{ trackingUri: `http://ml:pw-e9a0c5%2F11@127.0.0.1:${port}` }, `Basic ${Buffer.from('ml:pw-e9a0c5/11').toString('base64')}`, 'pw-e9a0c5'],
    ];
    for (const [options, header, secret] of cases) {
      const error = await failure(SEARCH, options);
      expect(seen.at(-1)).toBe(header);
      expect(error).toMatchObject({ code: 'HTTP_UNAUTHORIZED', status: 401 });
      expect(error.hint).toMatch(/MLFLOW_TRACKING_TOKEN/);
      const shown = `${error.message} ${JSON.stringify(error.toJSON())}`;
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(header.split(' ')[1]);
      expect(error.message).toMatch(new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/api/2\\.0/mlflow/runs/search answered 401 UNAUTHENTICATED`));
    }
  });

  it('explains a Host header the server refuses', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Invalid Host header - possible DNS rebinding attack detected');
    });
    const error = await failure(SEARCH);
    expect(error.message).toMatch(/answered 403: Invalid Host header/);
    expect(error.hint).toMatch(/--allowed-hosts/);
  });

  it('fails at its timeout when the server never answers, and does not retry it', async () => {
    server = await startTestServer(() => undefined);
    const error = await failure(SEARCH, { timeoutMs: 300 });
    expect(error).toMatchObject({ code: 'HTTP_TIMEOUT' });
    expect(error.message).toBe(`MLflow did not answer POST ${server.url}/api/2.0/mlflow/runs/search within 300 ms`);
    expect(server.requests).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    server = await startTestServer(() => controller.abort());
    await expect(call(SEARCH, { signal: controller.signal })).rejects.toBeInstanceOf(CanceledError);
  });

  it('names a body that is not JSON, as a server that is not MLflow sends', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Jupyter</title>');
    });
    const error = await failure(SEARCH);
    expect(error).toMatchObject({ code: 'HTTP_BAD_BODY' });
    expect(error.message).toBe(`POST ${server.url}/api/2.0/mlflow/runs/search answered 200 with a body that is not JSON: <!doctype html><title>Jupyter</title>`);
  });
});
