import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { tempDir } from '../../tests/helpers/workspace.js';
import { openWorkspace } from '../workspace.js';
import { checkAlerts, listAlerts } from './run-alerts.js';

const SECRET = '/hooks/canary-alert-hook-93ab';
let status = 500;
const bodies: string[] = [];
let hook: Server;
let url: string;
beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}${SECRET}`;
});
afterAll(async () => {
  clearSecrets();
  await new Promise((resolve) => hook.close(resolve));
});

/** A workspace with these rules and the test's webhook. */
function workspace(rules: string) {
  const home = tempDir('gmp-run-alerts-');
  const file = path.join(home, 'alerts.yml');
  writeFileSync(file, rules);
  return openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_ALERTS_FILE: file, GMP_ALERTS_WEBHOOK_URL: url } });
}

describe('checkAlerts', () => {
  it('reports no data for a SQL rule while no warehouse exists, and sends nothing', async () => {
    const ws = workspace('rules:\n  - name: always\n    sql: SELECT 2 AS value\n    above: 1\n');
    // No warehouse exists: a SQL rule reports no data rather than failing.
    const none = await checkAlerts(ws);
    expect(none.evaluations[0]).toMatchObject({ state: 'no_data', detail: expect.stringMatching(/no warehouse/) });
    expect(none.notices).toEqual([]);
  });

  it('sends firing once, retries a notice the webhook refused (never naming its URL), and reports no data without a collector', async () => {
    const home = tempDir('gmp-run-alerts-');
    const file = path.join(home, 'alerts.yml');
    writeFileSync(file, 'rules:\n  - name: lag\n    metric: gmp_collector_lake_commit_lag_seconds\n    above: 1\n');
    const ws = openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_ALERTS_FILE: file, GMP_ALERTS_WEBHOOK_URL: url } });
    expect((await checkAlerts(ws)).evaluations[0]).toMatchObject({ state: 'no_data', detail: expect.stringMatching(/GMP_COLLECTOR_URL/) });

    // A collector stand-in whose lag is over the threshold.
    const collector = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('# HELP x\ngmp_collector_lake_commit_lag_seconds 42\n'));
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const ws2 = openWorkspace({ cwd: home, env: { GMP_HOME: home, GMP_ALERTS_FILE: file, GMP_ALERTS_WEBHOOK_URL: url, GMP_COLLECTOR_URL: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` } });
      status = 500;
      const refused = await checkAlerts(ws2);
      expect(refused.notices).toEqual([expect.objectContaining({ alert: 'lag', kind: 'firing', delivered: 'failed', error: 'the webhook answered HTTP 500' })]);
      expect(JSON.stringify(refused)).not.toContain('canary-alert-hook');
      status = 200;
      const sent = await checkAlerts(ws2);
      expect(sent.notices.map((n) => [n.kind, n.delivered])).toEqual([['firing', 'webhook']]);
      expect(JSON.parse(bodies.at(-1)!)).toEqual({ text: expect.stringMatching(/^\[FIRING\] lag \(warning\): gmp_collector_lake_commit_lag_seconds > 1; value 42 is above 1/) });
      expect((await checkAlerts(ws2)).notices).toEqual([]);
      expect(listAlerts(ws2).rules[0]).toMatchObject({ alert: 'lag', state: 'firing', value: 42 });
      expect(bodies).toHaveLength(2);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
