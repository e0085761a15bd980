import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { materialize } from '../../app/index.js';
import { lineageUuid, openLineageFile, type RunEvent } from '../../orchestration/index.js';
import { sendJson, startTestServer, type TestServer } from '../helpers/test-server.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

const KEY = 'itest-key-ol-4a5b6c7d';
const OL_KEY = 'ol-secret-token-1f2e3d4c';
const AS_OF = '2025-06-30';
const DAY = '2025-06-28';
const NOW = '2025-06-30T12:00:00Z';

let sandbox: Sandbox;
let home: string;
let collector: TestServer;
const received: { event: RunEvent; authorization: string | undefined }[] = [];

/** The events of one gmp run, as the file holds them. */
function fileEvents(runId: string): RunEvent[] {
  const lines = readFileSync(openLineageFile(home), 'utf8').split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l) as RunEvent).filter((e) => e.run.facets?.parent?.run.runId === lineageUuid(runId));
}

beforeAll(async () => {
  sandbox = await startSandbox({ asOf: AS_OF, apiKey: KEY });
  home = tempDir();
  collector = await startTestServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/v1/lineage') {
        received.push({ event: JSON.parse(body) as RunEvent, authorization: req.headers.authorization });
        sendJson(res, 201, {});
      } else {
        sendJson(res, 404, { error: 'not found' });
      }
    });
  });
});

afterAll(async () => {
  await collector.close();
  await sandbox.close();
  clearSecrets();
});

describe('OpenLineage run events', () => {
  it('posts and writes START and COMPLETE per step, with column lineage on model steps', async () => {
    const ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: NOW, home, env: { OPENLINEAGE_URL: collector.url, OPENLINEAGE_API_KEY: OL_KEY } });
    const run = await materialize(ws, { select: '+marts/dim_games', partition: DAY });
    expect(run.status).toBe('succeeded');
    const events = fileEvents(run.runId);
    expect(received.map((r) => r.event)).toEqual(events);
    expect(received.every((r) => r.authorization === `Bearer ${OL_KEY}`)).toBe(true);
    for (const { step } of run.steps) {
      const mine = events.filter((e) => e.run.runId === lineageUuid(run.runId, step.id));
      expect(mine.map((e) => e.eventType), step.id).toEqual(['START', 'COMPLETE']);
      expect(mine.every((e) => e.job.namespace === 'gmp' && e.job.name === step.asset)).toBe(true);
    }
    expect(run.steps.map((s) => s.step.asset)).toEqual(expect.arrayContaining(['rawg/games', 'marts/dim_games']));

    const warehouse = ws.config.warehouse.type === 'duckdb' ? ws.config.warehouse.path : 'not-duckdb';
    const ingest = events.find((e) => e.job.name === 'rawg/games' && e.eventType === 'COMPLETE')!;
    expect(ingest.inputs).toEqual([{ namespace: 'rawg', name: '/games' }]);
    expect(ingest.outputs[0]).toMatchObject({ namespace: `duckdb://${warehouse}`, name: 'raw.rawg_games' });

    const dim = events.find((e) => e.job.name === 'marts/dim_games' && e.eventType === 'COMPLETE')!;
    expect(dim.outputs[0]?.name).toBe('marts.dim_games');
    expect(dim.outputs[0]?.facets?.schema?.fields.map((f) => f.name)).toContain('metacritic');
    const metacritic = dim.outputs[0]?.facets?.columnLineage?.fields.metacritic?.inputFields ?? [];
    const raw = metacritic.find((f) => f.name === 'raw.rawg_games');
    expect(raw).toMatchObject({ namespace: `duckdb://${warehouse}`, field: 'value' });
    expect(raw?.transformations?.[0]?.description).toMatch(/metacritic/);
    // START events carry datasets but not the column lineage (known once the step completed).
    const dimStart = events.find((e) => e.job.name === 'marts/dim_games' && e.eventType === 'START')!;
    expect(dimStart.outputs[0]?.facets?.columnLineage).toBeUndefined();

    const text = readFileSync(openLineageFile(home), 'utf8');
    expect(text).not.toContain(OL_KEY);
    expect(text).not.toContain(KEY);
  });

  it('emits FAIL for a failing step', async () => {
    const before = received.length;
    const wrong = testWorkspace({ baseUrl: sandbox.url, key: 'not-the-key-123', now: NOW, home, env: { OPENLINEAGE_URL: collector.url } });
    const run = await materialize(wrong, { select: 'rawg/games', partition: DAY });
    expect(run.status).toBe('failed');
    const events = fileEvents(run.runId);
    expect(events.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(events[1]?.run.facets?.errorMessage?.message).toMatch(/answered 401/);
    expect(received.slice(before).map((r) => r.event)).toEqual(events);
    expect(received.slice(before).every((r) => r.authorization === undefined)).toBe(true);
  });

  it('keeps running, and writes the file, while the endpoint answers 500', async () => {
    const failing = await startTestServer((_req, res) => sendJson(res, 500, { error: 'down' }));
    try {
      const ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: NOW, home, env: { OPENLINEAGE_URL: failing.url } });
      const run = await materialize(ws, { select: 'marts/dim_games' });
      expect(run.status).toBe('succeeded');
      expect(fileEvents(run.runId).map((e) => e.eventType)).toEqual(['START', 'COMPLETE']);
      expect(failing.requests.length).toBeGreaterThan(0);
      const log = path.join(home, 'logs', 'gmp.jsonl');
      expect(existsSync(log)).toBe(true);
      expect(readFileSync(log, 'utf8')).toMatch(/OpenLineage: could not post the event/);
    } finally {
      await failing.close();
    }
  });
});
