import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConfigError } from '../core/index.js';
import type { ApiResponse } from './api-response.js';
import { ApiRouter } from './api-router.js';
import { Catalogue } from './catalogue.js';
import { FaultController } from './fault-controller.js';
import { faultSpecSchema } from './fault-spec.js';
import { jsonResponse } from './json-response.js';
import type { FaultSpec } from './fault-spec.js';

export interface SandboxOptions {
  /** Catalogue seed (default 42). */
  seed?: number;
  /** Catalogue size (default 20_000). */
  games?: number;
  /** 'YYYY-MM-DD' UTC: the catalogue's "present" (default today, UTC); update dates end here. */
  asOf?: string;
  /** Extra `count` games all updated on `day` (for benchmarks: many games in one partition). */
  burst?: { day: string; count: number };
  /** If set only this key is accepted; otherwise any non-empty key. */
  apiKey?: string;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Port to listen on (default 0: a free port). */
  port?: number;
  /** Initial fault queue. */
  faults?: FaultSpec[];
  /** How long after its request each API response is sent (at the earliest: it is built meanwhile). */
  latencyMs?: number;
}

export interface SandboxStats {
  requests: number;
  byPath: Record<string, number>;
  faultsInjected: number;
}

export interface Sandbox {
  /** Base URL to use as RAWG_BASE_URL, e.g. http://127.0.0.1:PORT/api. */
  url: string;
  port: number;
  catalogue: Catalogue;
  faults: FaultController;
  stats(): SandboxStats;
  /** Closes the server and any hanging sockets promptly. */
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/__sandbox/';
const MAX_CONTROL_BODY = 1_000_000;
const ERROR_BODIES: Record<429 | 500 | 502 | 503 | 504, (retryAfter: number | undefined) => ApiResponse> = {
  429: (s) => jsonResponse(429, { detail: `Request was throttled.${s === undefined ? '' : ` Expected available in ${s} seconds.`}` }),
  500: () => jsonResponse(500, { detail: 'A server error occurred.' }),
  // RAWG's gateways answer 502/504 with HTML, not JSON: clients must not assume a JSON error body.
  502: () => htmlResponse(502, 'Bad Gateway'),
  503: () => jsonResponse(503, { detail: 'Service temporarily unavailable, try again later.' }),
  504: () => htmlResponse(504, 'Gateway Time-out'),
};

/** Starts a RAWG-compatible HTTP server over a synthetic catalogue; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const catalogue = new Catalogue({
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.games === undefined ? {} : { games: options.games }),
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    ...(options.burst === undefined ? {} : { burst: options.burst }),
  });
  if (options.apiKey !== undefined && options.apiKey === '') throw new ConfigError('sandbox apiKey must not be empty');
  const initial = (options.faults ?? []).map((spec) => {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) throw new ConfigError(`invalid sandbox fault ${JSON.stringify(spec)}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  });
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new ConfigError(`sandbox latencyMs must be a non-negative number, got ${latencyMs}`);
  const faults = new FaultController(initial, latencyMs);
  const router = new ApiRouter(catalogue, options.apiKey);
  const counters: SandboxStats = { requests: 0, byPath: {}, faultsInjected: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let listenAddress = '';

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (ms <= 0) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    // HTTP/1.1 clients always send Host; the fallback only serves bare HTTP/1.0 probes.
    const host = req.headers.host ?? listenAddress;
    if (url.pathname.startsWith(CONTROL_PREFIX)) return control(req, res, url);

    const arrived = performance.now();
    counters.requests++;
    counters.byPath[url.pathname] = (counters.byPath[url.pathname] ?? 0) + 1;
    const fault = faults.take(url.pathname);
    if (fault !== undefined) counters.faultsInjected++;
    // The response is built while the latency runs, as a server's work overlaps the network's: a
    // response is sent `latencyMs` after its request arrived, or when it is ready if that is later.
    // (Built after the wait, the work of requests whose waits ended together ran one after the
    // other, and every request behind the first waited for the others' work too.)
    const response = fault === undefined || fault.type === 'truncate' || fault.type === 'malformed' ? router.handle(req.method ?? 'GET', url, host) : undefined;
    await delay(faults.latencyMs - (performance.now() - arrived));
    if (closing) return;
    if (fault?.type === 'hang') return; // keep the socket open and silent until close()
    if (fault?.type === 'status') {
      const error = ERROR_BODIES[fault.status](fault.retryAfterSeconds);
      // Any error status may carry Retry-After (RFC 9110 §10.2.3): overloaded gateways send it with 503.
      if (fault.retryAfterSeconds !== undefined) error.headers['retry-after'] = String(fault.retryAfterSeconds);
      return send(req, res, error);
    }
    if (response === undefined) return;
    if (fault?.type === 'truncate') return truncate(res, response);
    if (fault?.type === 'malformed') {
      // A strict prefix of a JSON object is never valid JSON; the length header stays truthful.
      const body = response.body.subarray(0, Math.max(1, Math.floor(response.body.length * 0.6)));
      return send(req, res, { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body });
    }
    return send(req, res, response);
  };

  const control = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/$/, '')}`;
    if (route === 'GET /__sandbox/stats') return send(req, res, jsonResponse(200, snapshot()));
    if (route === 'GET /__sandbox/faults') return send(req, res, jsonResponse(200, { pending: faults.pending(), latencyMs: faults.latencyMs }));
    if (route === 'DELETE /__sandbox/faults') {
      faults.clear();
      return send(req, res, jsonResponse(200, { pending: [], latencyMs: faults.latencyMs }));
    }
    if (route === 'POST /__sandbox/faults') {
      const parsed = faultSpecSchema.array().safeParse(await readJson(req));
      if (!parsed.success) return send(req, res, jsonResponse(400, { detail: 'expected a JSON array of fault specs', issues: parsed.error.issues }));
      faults.push(...parsed.data);
      return send(req, res, jsonResponse(200, { pending: faults.pending(), latencyMs: faults.latencyMs }));
    }
    if (route === 'GET /__sandbox/catalogue') {
      const c = catalogue;
      return send(req, res, jsonResponse(200, { seed: c.seed, games: c.baseGames, burst: c.burst, size: c.size, asOf: c.asOf, updatedPerDay: c.updatedDayCounts() }));
    }
    if (route === 'GET /__sandbox/catalogue/updated') {
      const day = url.searchParams.get('day') ?? catalogue.asOf;
      return send(req, res, jsonResponse(200, { day, ids: catalogue.idsUpdatedOn(day) }));
    }
    return send(req, res, jsonResponse(404, { detail: 'Not found.' }));
  };

  const snapshot = (): SandboxStats => ({ requests: counters.requests, byPath: { ...counters.byPath }, faultsInjected: counters.faultsInjected });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) send(req, res, jsonResponse(500, { detail: 'A server error occurred.', sandbox: String(error) }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  listenAddress = `${urlHost}:${port}`;

  return {
    url: `http://${urlHost}:${port}/api`,
    port,
    catalogue,
    faults,
    stats: snapshot,
    close: async () => {
      if (closing) return;
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Hanging requests never end by themselves: destroy every socket instead of waiting for them.
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function send(req: IncomingMessage, res: ServerResponse, response: ApiResponse): void {
  if (res.destroyed) return;
  res.writeHead(response.status, response.headers);
  res.end(req.method === 'HEAD' ? undefined : response.body);
}

function truncate(res: ServerResponse, response: ApiResponse): void {
  // Announce the full length, deliver about half, then cut the connection mid-body.
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
  res.write(response.body.subarray(0, Math.floor(response.body.length / 2)), () => res.destroy());
}

function htmlResponse(status: number, title: string): ApiResponse {
  const body = Buffer.from(`<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`);
  return { status, headers: { 'content-type': 'text/html', 'content-length': String(body.length) }, body };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_CONTROL_BODY) return undefined;
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
