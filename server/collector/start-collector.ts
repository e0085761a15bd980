import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { listEventSources, openCollector, openHotStore, probeEventStorage, writeKeyCheck, type Collector, type HotStore, type StorageProbe, type WriteKeyCheck, type Workspace } from '../../app/index.js';
import { UsageError, type Logger } from '../../core/index.js';
import { registerHotRoutes } from '../api/hot-routes.js';
import { httpMetrics, metricsResponse, registerCollectorMetrics } from '../metrics/index.js';
import { listen, stopListening, urlOf } from '../http-listener.js';
import { isLoopback } from '../middleware/host-allowlist.js';
import { registerCollectorRoutes, sender } from './collector-routes.js';

export interface CollectOptions {
  ws: Workspace;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** Default GMP_HOME/events/wal (one collector per folder). */
  walDir?: string;
  /** A hot store to feed (gmp serve --collect shares its own); default: GMP_HOT_URL or an embedded one, closed with the collector. */
  hot?: HotStore;
}

export interface RunningCollector {
  url: string;
  port: number;
  collector: Collector;
  /** Recent views and live sessions, fed after each durable batch (GMP_HOT_URL: Redis). */
  hot: HotStore;
  /** Stops accepting, lets requests in flight finish (their events are durable), closes the WAL. */
  close(): Promise<void>;
}

/**
 * Starts `gmp collect`: opens the write-ahead log (replaying what a crashed collector left),
 * then listens. On loopback with no source configured, events need no key; otherwise every
 * request carries a source's write key (`gmp sources add`), and beyond loopback one must exist.
 */
export async function startCollector(options: CollectOptions): Promise<RunningCollector> {
  const loopback = isLoopback(options.host);
  const envKey = options.ws.config.collectWriteKey;
  // Whether any write key exists: beyond loopback one must; and with one, the collector reads nothing back.
  const keyed = envKey !== undefined || (await listEventSources(options.ws)).some((s) => s.revokedAt === null);
  if (!loopback && !keyed) {
    throw new UsageError(`refusing to collect on ${options.host}: beyond loopback every sender needs a write key, and no source has one yet`, {
      hint: 'create one first: gmp sources add NAME (it prints the key once), or set GMP_COLLECT_WRITE_KEY; or collect on 127.0.0.1, the default',
    });
  }
  const hot = options.hot ?? (await openHotStore(options.ws.config));
  const closeHot = options.hot ? async () => undefined : () => hot.close();
  let hotFailures = 0;
  const feedHot = (events: Parameters<HotStore['record']>[0]): void =>
    void hot.record(events).catch((error: unknown) => {
      // The events are durable already: the hot path only lags. Said once per 1,000 failures.
      if (hotFailures++ % 1000 === 0) options.logger.warn({ err: error instanceof Error ? error.message : String(error), failures: hotFailures }, 'the hot store refused an update');
    });
  const collector = await openCollector(options.ws, { ...(options.walDir ? { walDir: options.walDir } : {}), onAccepted: feedHot }).catch(async (error: unknown) => {
    await closeHot();
    throw error;
  });
  if (collector.recovered > 0) options.logger.info({ recovered: collector.recovered }, 'collector replayed its write-ahead log');
  const app = new Hono();
  const metrics = new Registry();
  app.use('*', httpMetrics(metrics));
  registerCollectorMetrics(metrics, () => collector.stats(), () => options.ws.clock.now());
  const check = withEnvKey(writeKeyCheck(options.ws, { loopback }), envKey);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const ready = readiness(() => probeEventStorage(options.ws, { ...(options.walDir ? { walDir: options.walDir } : {}), signal: AbortSignal.timeout(5000) }));
  app.get('/readyz', async (c) => {
    const probe = await ready();
    return c.json({ status: probe.ready ? 'ready' : 'not ready', collector: collector.id, checks: probe.checks }, probe.ready ? 200 : 503);
  });
  // Open on loopback; beyond it a write key, as for sending.
  app.get('/metrics', async (c) => {
    if (!loopback) {
      const refused = await sender(c, check);
      if (refused instanceof Response) return refused;
    }
    return metricsResponse(metrics);
  });
  registerCollectorRoutes(app, collector, { check, defaultRate: options.ws.config.collectRate });
  // Write keys live in clients: they may send, never read players' data. The collector answers
  // hot-path reads itself only when it is open on loopback (no write key at all); else gmp serve does.
  registerHotRoutes(app, hot, async (c) =>
    loopback && !keyed ? null : c.json({ error: { code: 'FORBIDDEN', message: 'write keys cannot read player data', hint: 'read it through gmp serve (GMP_HOT_URL shared with the collectors) with an account token' } }, 403),
  );
  app.onError((error, c) => {
    options.logger.error({ err: error instanceof Error ? error.message : String(error), path: c.req.path }, 'collector request failed');
    return c.json({ error: { code: 'INTERNAL', message: 'the collector failed on this request; nothing of it was acknowledged' } }, 500);
  });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}`, hint: 'POST /v1/batch, /v1/track, /api/v1/ingest or /events/{type}' } }, 404));
  const server = await listen(app.fetch, options.host, options.port).catch(async (error: unknown) => {
    await collector.close();
    await closeHot();
    throw error;
  });
  return {
    ...urlOf(options.host, server),
    collector,
    hot,
    close: async () => {
      await stopListening(server);
      await collector.close();
      await closeHot();
    },
  };
}

/**
 * Ready once the WAL folder was writable and the lake reachable at one probe; it stays ready after
 * (a lake outage later is what the WAL is for). Concurrent probes share one.
 */
function readiness(probe: () => Promise<StorageProbe>): () => Promise<StorageProbe> {
  let passed: StorageProbe | undefined;
  let running: Promise<StorageProbe> | undefined;
  return async () => {
    if (passed) return passed;
    running ??= probe().finally(() => (running = undefined));
    const result = await running;
    if (result.ready) passed = result;
    return result;
  };
}

/** GMP_COLLECT_WRITE_KEY: one more key the collector takes, as source `env` (for stacks that cannot run `gmp sources add`). */
function withEnvKey(check: WriteKeyCheck, key: string | undefined): WriteKeyCheck {
  if (key === undefined) return check;
  const expected = Buffer.from(`Bearer ${key}`);
  const source = { name: 'env', keyPrefix: key.slice(0, 4), eventsPerSecond: null, createdAt: new Date(0).toISOString(), revokedAt: null };
  return async (authorization) => {
    const given = Buffer.from(authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return source;
    return check(authorization);
  };
}
