import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { openWorkspace } from '../../app/index.js';
import { createLogger, packageRoot } from '../../core/index.js';
import { startCollector, startServer, type RunningCollector, type RunningServer } from '../../server/index.js';
import { parsePrometheusText } from '../helpers/prometheus-text.js';
import { tempDir } from '../helpers/workspace.js';
import { interpolate } from './compose-interpolate.js';

// No Docker engine runs here: the monitoring side of the stack (Prometheus, Grafana and the
// servers they watch) is checked statically, against the metric names the real servers expose.
interface Service {
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  configs?: { source: string; target: string }[];
}
interface ComposeFile {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string; file?: string }>;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string; datasource?: { uid: string } }[];
}

const root = packageRoot();
const read = (rel: string): string => readFileSync(path.join(root, rel), 'utf8');
const composeText = read('docker-compose.yml');
function compose(env: Record<string, string> = {}): ComposeFile {
  const resolve = (v: unknown): unknown =>
    typeof v === 'string' ? interpolate(v, env) : Array.isArray(v) ? v.map(resolve) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)])) : v;
  return resolve(parseYaml(composeText)) as ComposeFile;
}
const file = compose();
const portOf = (s: Service): string => s.command![s.command!.indexOf('--port') + 1]!;
const dashboard = JSON.parse(read('deploy/grafana/dashboards/gmp-overview.json')) as { uid: string; title: string; schemaVersion: number; panels: Panel[] };

/** Metric names a PromQL expression reads (functions, keywords, labels, durations and strings left out). */
function metricNamesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['by', 'without', 'on', 'ignoring', 'and', 'or', 'unless', 'bool', 'offset']);
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .filter((m) => !/^\s*\(/.test(stripped.slice(m.index + m[0].length))) // a function call
    .map((m) => m[0])
    .filter((n) => !keywords.has(n) && !/^\d/.test(n))
    .filter((n, i, all) => all.indexOf(n) === i);
}
/** A family's name from a sample's (histogram series end in _bucket, _sum, _count). */
const familyOf = (name: string, families: Set<string>): string => (families.has(name) ? name : name.replace(/_(bucket|sum|count)$/, ''));

let exposed: Set<string>;
const running: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  const logger = createLogger({ destination: { write: () => undefined } });
  const home = tempDir('gmp-monitoring-');
  const ws = openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_EVENTS_COMMIT_SECONDS: '0' } });
  const collector: RunningCollector = await startCollector({ ws, host: '127.0.0.1', port: 0, logger });
  running.push(collector);
  const server: RunningServer = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: true, logger });
  running.push(server);
  exposed = new Set<string>();
  for (const url of [collector.url, server.url]) {
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    for (const name of parsePrometheusText(await res.text()).keys()) exposed.add(name);
  }
}, 60_000);
afterAll(async () => {
  for (const r of running) await r.close();
});

describe('the monitoring stack (docker-compose.yml, deploy/)', () => {
  it('mounts files that exist in the repository', () => {
    const mounts = Object.values(file.services).flatMap((s) => s.volumes ?? []).filter((v) => v.startsWith('./'));
    expect(mounts.length).toBeGreaterThanOrEqual(3);
    for (const m of mounts) expect(existsSync(path.join(root, m.split(':')[0]!)), m).toBe(true);
  });

  it('has Prometheus scrape /metrics of the web app (the pipeline) and the collector, on the ports their commands listen on', () => {
    const prom = parseYaml(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[]; authorization?: { type: string; credentials_file: string } }[] };
    const jobs = Object.fromEntries(prom.scrape_configs.map((j) => [j.job_name, j]));
    expect(Object.keys(jobs).sort()).toEqual(['collector', 'pipeline']);
    for (const [job, serviceName] of [['pipeline', 'web'], ['collector', 'collector']] as const) {
      const target = jobs[job]!.static_configs.flatMap((c) => c.targets);
      expect(target).toEqual([`${serviceName}:${portOf(file.services[serviceName]!)}`]);
      expect(jobs[job]!.metrics_path).toBe('/metrics');
    }
    expect(file.services.web!.command).toContain(`web:${portOf(file.services.web!)}`); // its Host allowlist takes Prometheus's Host header
    expect(file.services.collector!.command).toEqual(expect.arrayContaining(['collect', '--host', '0.0.0.0']));
    // The keys Prometheus sends are files compose writes from .env: the collector's is its write key.
    const mounted = Object.fromEntries((file.services.prometheus!.configs ?? []).map((c) => [c.target, c.source]));
    for (const job of Object.values(jobs)) expect(Object.keys(mounted)).toContain(job.authorization!.credentials_file);
    for (const env of [{}, { STACK_COLLECT_WRITE_KEY: 'another-collector-key-1234' }] as Record<string, string>[]) {
      const f = compose(env);
      const source = mounted[jobs.collector!.authorization!.credentials_file]!;
      expect(f.configs![source]!.content).toBe(f.services.collector!.environment!.GMP_COLLECT_WRITE_KEY);
      expect(f.services.pipeline!.environment!.GMP_COLLECT_WRITE_KEY).toBe(f.services.collector!.environment!.GMP_COLLECT_WRITE_KEY);
    }
    expect(file.services.pipeline!.environment!.GMP_COLLECTOR_URL).toBe(`http://collector:${portOf(file.services.collector!)}`);
  });

  it('provisions Grafana with the Prometheus data source the dashboard uses', () => {
    const ds = (parseYaml(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; type: string; url: string }[] }).datasources;
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    expect(file.services.prometheus!.ports![0]).toMatch(/:9090$/);
    const providers = (parseYaml(read('deploy/grafana/provisioning/dashboards/gmp.yml')) as { providers: { options: { path: string } }[] }).providers;
    const mountedAt = file.services.grafana!.volumes!.find((v) => v.startsWith('./deploy/grafana/dashboards'))!.split(':')[1];
    expect(providers[0]!.options.path).toBe(mountedAt);
    for (const p of dashboard.panels.filter((x) => x.type !== 'row')) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: ds[0]!.uid });
      for (const t of p.targets ?? []) expect(t.datasource?.uid ?? ds[0]!.uid).toBe(ds[0]!.uid);
    }
  });

  it('ships a valid Grafana dashboard: unique panel ids, a 24-column grid without overlaps, a query per target', () => {
    expect(dashboard).toMatchObject({ uid: expect.stringMatching(/^[\w-]{1,40}$/), title: expect.any(String), schemaVersion: expect.any(Number) });
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${p.title} fits the grid`).toBe(true);
      for (let i = x; i < x + w; i++) for (let j = y; j < y + h; j++) {
        expect(cells.has(`${i},${j}`), `${p.title} overlaps another panel`).toBe(false);
        cells.add(`${i},${j}`);
      }
      if (p.type === 'row') continue;
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it("queries only metrics the servers expose, and covers what an operator watches", () => {
    const used = new Set<string>();
    for (const p of dashboard.panels) for (const t of p.targets ?? []) for (const n of metricNamesOf(t.expr)) used.add(familyOf(n, exposed));
    for (const name of used) expect(exposed, `${name} is exposed by gmp serve or gmp collect`).toContain(name);
    for (const needed of ['gmp_collector_events_accepted_total', 'gmp_collector_events_failed_total', 'gmp_collector_wal_backlog_bytes', 'gmp_collector_lake_commit_lag_seconds', 'gmp_http_request_duration_seconds', 'gmp_runs', 'gmp_partition_lag_days']) {
      expect(used, `the dashboard shows ${needed}`).toContain(needed);
    }
    // The metric rules of the shipped alerts.yml read exposed metrics too.
    const rules = (parseYaml(read('alerts.yml')) as { rules: { metric?: string; per?: string[] }[] }).rules;
    for (const r of rules) for (const m of [r.metric, ...(r.per ?? [])].filter((x): x is string => x !== undefined)) expect(exposed).toContain(m);
  });

  it('reads metric names out of PromQL', () => {
    expect(metricNamesOf('histogram_quantile(0.95, sum by (job, le) (rate(gmp_http_request_duration_seconds_bucket{route!="/x"}[5m])))')).toEqual(['gmp_http_request_duration_seconds_bucket']);
    expect(metricNamesOf('sum(a_total) / (sum(b_total) + c) > bool 0')).toEqual(['a_total', 'b_total', 'c']);
  });
});
