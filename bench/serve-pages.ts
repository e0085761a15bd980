// The web UI at scale, in a real headless Chromium: a 2,000-asset graph (server layout and first
// render), an asset with 100,000 recorded partitions (payload and health bar), JavaScript per
// page, and GET /api/v1/assets under autocannon.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { layoutGraph, openWorkspace, type Workspace } from '../app/index.js';
import { addDays, createLogger, dailyPartitions, fixedClock, type AssetDefinition } from '../core/index.js';
import { buildAssetGraph, createStateStore } from '../orchestration/index.js';
import { startServer, type RunningServer } from '../server/index.js';
import { launchBrowser } from '../tests/helpers/browser.js';
import type { Benchmark } from './benchmark.js';
import { ensureBuild } from './ensure-build.js';
import { progress } from './progress.js';
import { summarizeMs } from './summarize-ms.js';

const ASSETS = 2_000;
const PARTITIONS = 100_000;
const GROUPS = ['raw', 'staging', 'intermediate', 'marts', 'finance', 'marketing', 'product', 'ml'];

/** A seeded pseudo-random graph shaped like a warehouse: roots, then assets reading 1-3 earlier ones, a check on every 4th. */
function syntheticGraph(seed: number) {
  let x = seed;
  const random = () => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const defs: AssetDefinition<unknown>[] = [];
  const def = (key: string, deps: string[], kind: AssetDefinition<unknown>['kind'], group: string): AssetDefinition<unknown> => ({
    key, description: key, deps: deps.map((d) => ({ key: d })), partitions: dailyPartitions('2024-01-01'), group, kind, tags: [],
    async materialize() {
      return {};
    },
  });
  for (let i = 0; i < ASSETS; i++) {
    const group = GROUPS[Math.min(GROUPS.length - 1, Math.floor((i / ASSETS) * GROUPS.length))]!;
    const key = `${group}/asset_${String(i).padStart(4, '0')}`;
    // Mostly recent dependencies, as real layers read the layer before them.
    const deps = i < 40 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => defs[Math.max(0, i - 1 - Math.floor(random() * Math.min(i, 200)))]!.key))];
    defs.push(def(key, deps.filter((d) => !d.startsWith('checks/')), i < 40 ? 'ingestion' : 'table', group));
    if (i % 4 === 0) defs.push(def(`checks/${key}/not_empty`, [key], 'check', group));
  }
  return buildAssetGraph(defs);
}

/**
 * autocannon in a process of its own (in the server's process it would take half the server's
 * thread): 100 connections for 10 s, as a browser-less client, accepting gzip.
 */
async function loadTest(url: string): Promise<autocannon.Result> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--json', '-c', '100', '-d', '10', '-H', 'accept-encoding=gzip', url], { maxBuffer: 10_000_000 });
  return JSON.parse(stdout) as autocannon.Result;
}

/** Bytes on the wire of a GET that accepts gzip, and of the body once decoded. */
function wireBytes(url: string): Promise<{ wire: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const wire = Buffer.concat(chunks);
        resolve({ wire: wire.length, body: res.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire });
      });
    }).on('error', reject);
  });
}

/** gzip bytes of every script a page loads. */
async function scriptBytes(page: Page, base: string): Promise<{ raw: number; gzip: number }> {
  const srcs = (await page.evaluate(`[...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src'))`)) as string[];
  let raw = 0;
  let gzip = 0;
  for (const src of srcs) {
    const { wire, body } = await wireBytes(new URL(src, base).href);
    raw += body.length;
    gzip += wire;
  }
  return { raw, gzip };
}

async function seedPartitions(file: string): Promise<void> {
  await (await createStateStore({ type: 'sqlite', path: file })).close();
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO asset_partitions (asset, partition, status, run_id, ended_at) VALUES ('rawg/games', ?, ?, 'bench', '2026-01-01T00:00:00.000Z')`);
  const first = addDays('2026-01-01', -PARTITIONS);
  // The pessimistic case: every 97th day failed, so ~2,000 status changes.
  db.transaction(() => {
    for (let i = 0; i < PARTITIONS; i++) insert.run(addDays(first, i), i % 97 === 0 ? 'failed' : 'succeeded');
  })();
  db.close();
}

export const servePages: Benchmark = {
  name: 'serve-pages',
  target:
    '2,000-asset graph: server layout ≤ 200 ms cold, first render ≤ 1 s in Chromium; 100,000 partitions: payload ≤ 50 KB, health bar ≤ 100 ms; JS per page ≤ 60 KB gzipped; GET /api/v1/assets under autocannon (100 connections): requests/s and p99',
  async run() {
    ensureBuild();
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-pages-'));
    const browser = await launchBrowser();
    let server: RunningServer | undefined;
    try {
      // Layout: cold on five graphs of the same size, then cached.
      const cold: number[] = [];
      let layout = layoutGraph(syntheticGraph(1));
      for (let seed = 2; seed <= 6; seed++) {
        const graph = syntheticGraph(seed);
        const t = performance.now();
        layout = layoutGraph(graph);
        cold.push(performance.now() - t);
      }
      const graph = syntheticGraph(7);
      layoutGraph(graph);
      const t = performance.now();
      layoutGraph(graph);
      const cachedMs = performance.now() - t;

      const file = path.join(home, 'state.sqlite');
      await seedPartitions(file);
      const real = openWorkspace({ env: { GMP_HOME: home, GMP_STATE_URL: file }, cwd: home, clock: fixedClock('2026-01-02T00:00:00Z') });
      // The real workspace with the synthetic graph in place of the project's 40 assets.
      const ws: Workspace = { ...real, graph: graph as Workspace['graph'] };
      server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: true, logger: createLogger({ level: 'silent' }) });
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();

      const renders: number[] = [];
      let graphHtmlBytes = 0;
      for (let i = 0; i < 5; i++) {
        await page.goto(`${server.url}/graph`, { waitUntil: 'load' });
        const timing = (await page.evaluate(`(() => {
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          const nav = performance.getEntriesByType('navigation')[0];
          return { fcp: paint ? paint.startTime : null, load: nav.loadEventEnd, bytes: nav.transferSize };
        })()`)) as { fcp: number | null; load: number; bytes: number };
        renders.push(timing.fcp ?? timing.load);
        graphHtmlBytes = timing.bytes;
      }
      const graphNodes = await page.locator('svg.graph g.node').count();

      // The asset with 100,000 partitions: the API payload and the health bar (real workspace: rawg/games).
      const realServer = await startServer({ ws: real, host: '127.0.0.1', port: 0, readOnly: true, logger: createLogger({ level: 'silent' }) });
      let partitionsPayload: { raw: number; gzip: number; ranges: number };
      const bars: number[] = [];
      const jsPerPage: Record<string, number> = {};
      try {
        const { wire, body } = await wireBytes(`${realServer.url}/api/v1/assets/rawg%2Fgames/partitions`);
        partitionsPayload = { raw: body.length, gzip: wire, ranges: (JSON.parse(body.toString('utf8')) as { ranges: unknown[] }).ranges.length };
        for (let i = 0; i < 5; i++) {
          await page.goto(`${realServer.url}/assets/rawg/games`, { waitUntil: 'load' });
          bars.push((await page.evaluate(`performance.getEntriesByName('gmp:health-bar')[0].duration`)) as number);
        }
        // JavaScript each page loads.
        for (const p of ['/', '/runs', '/assets', '/assets/rawg/games', '/graph', '/launch', '/backfills', '/schedules', '/login', '/api/docs']) {
          await page.goto(`${realServer.url}${p}`, { waitUntil: 'load' });
          jsPerPage[p] = (await scriptBytes(page, realServer.url)).gzip;
        }
      } finally {
        await realServer.close();
      }

      // autocannon: 100 connections for 10 s on the asset list.
      progress('serve-pages: autocannon, 100 connections for 10 s on GET /api/v1/assets (in its own process)');
      const load = await loadTest(`${server.url}/api/v1/assets`);
      const layoutCold = summarizeMs(cold);
      const firstRender = summarizeMs(renders);
      const bar = summarizeMs(bars);
      const maxJs = Math.max(...Object.values(jsPerPage));
      return {
        name: this.name,
        figures: {
          graph: { assets: layout.total, edges: layout.edges.length, layoutColdMs: layoutCold, layoutCachedMs: Math.round(cachedMs * 100) / 100, firstRenderMs: firstRender, nodesDrawn: graphNodes, htmlBytes: graphHtmlBytes },
          partitions: { recorded: PARTITIONS, ...partitionsPayload, healthBarMs: bar, note: 'every 97th day failed: the pessimistic case of ~2,000 status changes' },
          jsGzipBytesPerPage: jsPerPage,
          assetsApi: { connections: 100, durationS: 10, pageSize: 100, acceptGzip: true, requestsPerSecond: Math.round(load.requests.average), latencyP50Ms: load.latency.p50, latencyP99Ms: load.latency.p99, non2xx: load.non2xx, errors: load.errors },
        },
        target: this.target,
        met: layoutCold.median <= 200 && firstRender.median <= 1000 && partitionsPayload.gzip <= 50_000 && bar.median <= 100 && maxJs <= 60_000 && load.non2xx === 0 && load.errors === 0,
      };
    } finally {
      await server?.close();
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
};
