import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../app/index.js';
import { createLogger } from '../../core/index.js';
import { startCollector, type RunningCollector } from '../../server/index.js';
import { createDuckDbWarehouse } from '../../warehouse/index.js';
import { runGmpAsync } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const SECRET_PATH = '/services/T0GMP/B0GMP/canary-webhook-token-6b2f91';
const home = tempDir('gmp-alerts-');
const received: { text: string }[] = [];
let webhook: Server;
let webhookUrl: string;
let collector: RunningCollector;
let env: Record<string, string>;

/** The mart another engineer builds, as its contract says: one row a day. */
async function engagement(rows: [string, number][], create = false): Promise<void> {
  const writer = await createDuckDbWarehouse({ path: path.join(home, 'warehouse.duckdb') });
  const values = rows.map(([d, dau]) => `(DATE '${d}', ${dau}, ${dau * 3}, ${dau * 9}, ${1 / 9})`).join(', ');
  await writer.execute([
    ...(create ? ['CREATE SCHEMA marts', 'CREATE TABLE marts.mart_engagement_daily (activity_date DATE, dau BIGINT, wau BIGINT, mau BIGINT, dau_mau DOUBLE)'] : []),
    `INSERT INTO marts.mart_engagement_daily VALUES ${values}`,
  ]);
  await writer.close();
}

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url === SECRET_PATH && req.method === 'POST' && req.headers['content-type'] === 'application/json') received.push(JSON.parse(body) as { text: string });
      res.writeHead(req.url === SECRET_PATH ? 200 : 404).end('ok');
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}${SECRET_PATH}`;

  // A real collector that has refused one event in two: the failed ratio fires.
  const collectHome = tempDir('gmp-alerts-collect-');
  collector = await startCollector({ ws: openWorkspace({ cwd: collectHome, env: { GMP_HOME: collectHome, GMP_EVENTS_COMMIT_SECONDS: '0' } }), host: '127.0.0.1', port: 0, logger: createLogger({ destination: { write: () => undefined } }) });
  const batch = [{ event_id: randomUUID(), event: 'view', user_id: 'u1', game_id: 1, timestamp: new Date().toISOString() }, { event: 'view' }];
  const sent = await fetch(`${collector.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
  expect(await sent.json()).toMatchObject({ accepted: 1 });

  // DAU fell from 100 to 40: a 60% drop, over the rule's 30%.
  await engagement([['2025-06-28', 100], ['2025-06-29', 40]], true);
  env = {
    GMP_HOME: home,
    GMP_COLLECTOR_URL: collector.url,
    GMP_ALERTS_WEBHOOK_URL: webhookUrl,
    RAWG_API_KEY: 'unused-rawg-key',
    RAWG_BASE_URL: 'http://127.0.0.1:9/api',
    GMP_NOW: '2025-06-30T12:00:00Z',
  };
}, 60_000);

afterAll(async () => {
  await collector?.close();
  await new Promise((resolve) => webhook?.close(resolve));
});

const noSecret = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout + r.stderr).not.toContain('canary-webhook-token');
};
const daemonOnce = async () => {
  const r = await runGmpAsync(['daemon', '--once', '--json'], { cwd: home, env });
  noSecret(r);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; alert?: string; delivered?: string; text?: string });
};

describe('gmp alerts and the daemon', () => {
  it('gmp alerts test --deliver evaluates now and sends each firing rule to the webhook, never printing its URL', async () => {
    const r = await runGmpAsync(['alerts', 'test', '--deliver'], { cwd: home, env });
    noSecret(r);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/collector_failed_ratio\s+FIRING .*value 0\.5 is above 0\.05/);
    expect(r.stdout).toMatch(/dau_drop\s+FIRING .*value 0\.6 is above 0\.3/);
    expect(r.stdout).toMatch(/collector_commit_lag\s+OK/);
    expect(received.map((b) => b.text.split(':')[0])).toEqual(['[FIRING] collector_failed_ratio (warning)', '[FIRING] dau_drop (warning)']);
    received.length = 0;
    // A test leaves the daemon's memory alone.
    const list = await runGmpAsync(['alerts', 'list', '--json'], { cwd: home, env });
    expect((JSON.parse(list.stdout) as { rules: { state: string }[]; webhook: unknown }).rules.map((x) => x.state)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(JSON.parse(list.stdout)).toMatchObject({ webhook: { env: 'GMP_ALERTS_WEBHOOK_URL', set: true } });
    noSecret(list);
  });

  it('a daemon tick sends a firing alert once, and a resolved one once', async () => {
    const first = await daemonOnce();
    expect(first.filter((e) => e.type === 'alert-firing').map((e) => [e.alert, e.delivered])).toEqual([
      ['collector_failed_ratio', 'webhook'],
      ['dau_drop', 'webhook'],
    ]);
    expect(received).toHaveLength(2);

    // Still firing: nothing is sent again.
    const second = await daemonOnce();
    expect(second.filter((e) => e.type.startsWith('alert'))).toEqual([]);
    expect(received).toHaveLength(2);

    // DAU recovers (45 after 40): dau_drop resolves, once.
    await engagement([['2025-06-30', 45]]);
    const third = await daemonOnce();
    expect(third.filter((e) => e.type.startsWith('alert')).map((e) => [e.type, e.alert])).toEqual([['alert-resolved', 'dau_drop']]);
    expect(received.at(-1)!.text).toMatch(/^\[RESOLVED\] dau_drop: /);
    expect((await daemonOnce()).filter((e) => e.type.startsWith('alert'))).toEqual([]);
    expect(received).toHaveLength(3);

    const list = await runGmpAsync(['alerts', 'list'], { cwd: home, env });
    expect(list.stdout).toMatch(/collector_failed_ratio .*firing/);
    expect(list.stdout).toMatch(/dau_drop .*\bok\b/);
    expect(list.stdout).toContain('webhook: GMP_ALERTS_WEBHOOK_URL (set)');
    noSecret(list);
  });
});
