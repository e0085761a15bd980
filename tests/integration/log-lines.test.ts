import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets, createLogger } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { materialize } from '../../app/index.js';
import { duplicateJsonKeys } from '../helpers/duplicate-json-keys.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

// JSON.parse keeps the last of two equal keys without a word, so a log line that binds `run_id`
// twice reads fine in a test and breaks strict readers (jq --stream, some log shippers). These
// tests scan the raw text of every line instead.
const KEY = 'log-lines-key-5a4b3c';
const DAY = '2025-06-28';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ asOf: '2025-06-30', apiKey: KEY, games: 4_000 });
});
afterAll(async () => {
  await sandbox.close();
  clearSecrets();
});

describe('duplicateJsonKeys', () => {
  it('finds repeated keys at any depth, which JSON.parse hides', () => {
    const text = '{"a":1,"b":{"c":[1,{"d":2,"d":3}],"c":"x\\"y"},"a":null}';
    expect(JSON.parse(text)).toEqual({ a: null, b: { c: 'x"y' } });
    expect(duplicateJsonKeys(text)).toEqual(['$.b.c[1].d', '$.b.c', '$.a']);
    expect(duplicateJsonKeys(' {"a":[],"b":{},"c":-1.5e3,"d":true,"e":"\\u0041"}\n')).toEqual([]);
    expect(() => duplicateJsonKeys('{"a":1')).toThrow(SyntaxError);
  });
});

describe('JSON log lines', () => {
  it('a logger bound again with a key it has, or logging it again, writes the key once with the newest value', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } as never, bindings: { run_id: 'r1' } });
    const step = logger.child({ run_id: 'r1', asset: 'rawg/games', partition: DAY }).child({ source: 'rawg' });
    step.info({ asset: 'rawg/games', rows: 3 }, 'step succeeded');
    step.child({ partition: '2025-06-29' }).warn({ source: 'rawg', attempt: 1 }, 'retrying request');
    expect(lines.map(duplicateJsonKeys)).toEqual([[], []]);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 30, time: expect.any(String), run_id: 'r1', asset: 'rawg/games', partition: DAY, source: 'rawg', rows: 3, msg: 'step succeeded' },
      { level: 40, time: expect.any(String), run_id: 'r1', asset: 'rawg/games', partition: '2025-06-29', source: 'rawg', attempt: 1, msg: 'retrying request' },
    ]);
  });

  it('a real run (ingestion with retries, details, models) writes no line with a duplicate key', async () => {
    const home = tempDir();
    // Debug level: page lines, and retry warnings from the source's HTTP client.
    const ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_LOG_LEVEL: 'debug' } });
    sandbox.faults.push({ type: 'status', status: 429, times: 1, retryAfterSeconds: 0, path: '/games' }, { type: 'status', status: 503, times: 1, path: '/games/' });
    const run = await materialize(ws, { select: 'rawg/games+', partition: DAY });
    expect(run.steps.filter((s) => s.status !== 'succeeded').map((s) => s.error?.message)).toEqual([]);
    expect(sandbox.faults.pending()).toEqual([]);

    const lines = readFileSync(path.join(home, 'logs', 'gmp.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
    const duplicates = lines.flatMap((line) => duplicateJsonKeys(line).map((key) => `${key} in ${line}`));
    expect(duplicates).toEqual([]);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // What the scan covered: step lines with run, asset and partition; the source client's retries.
    expect(records.every((r) => r.run_id === run.runId)).toBe(true);
    expect(records.filter((r) => r.msg === 'step succeeded').map((r) => r.asset)).toEqual(expect.arrayContaining(['rawg/games', 'rawg/game_details']));
    expect(records.filter((r) => r.msg === 'step started').every((r) => r.asset !== undefined && 'partition' in r)).toBe(true);
    expect(records.filter((r) => r.msg === 'retrying request').map((r) => [r.source, r.status])).toEqual([
      ['rawg', 429],
      ['rawg', 503],
    ]);
    expect(records.some((r) => r.msg === 'page ingested')).toBe(true);
  });
});
