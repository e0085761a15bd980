import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, openReader, writeSimulatedHistory, type Workspace } from '../../app/index.js';
import { addDays } from '../../core/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import type { Row } from '../../warehouse/index.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { tempDir, testWorkspace } from '../helpers/workspace.js';

// Cross-engine truth: one lake (a catalogue from the sandbox and a simulated week of players),
// every model built on DuckDB and then on Postgres, and every staging table and mart compared row
// by row. Differences of engine (a double's last bits, how a timestamp prints) are normalized;
// anything else is a bug in a dialect, a macro or a model.
const KEY = 'cross-engine-key-4f2a';
const LAST_DAY = '2025-06-29';
const FIRST_DAY = addDays(LAST_DAY, -2);
let sandbox: Sandbox;
let postgres: PostgresServer;
let duck: Workspace;
let pg: Workspace;

beforeAll(async () => {
  [sandbox, postgres] = await Promise.all([startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 }), startPostgresServer()]);
  const home = tempDir();
  duck = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home });
  const catalogue = await materialize(duck, { select: 'rawg/games+', from: FIRST_DAY, to: LAST_DAY });
  expect(catalogue.status).toBe('succeeded');
  await writeSimulatedHistory(duck, { seed: 5, players: 150, days: 3, end: LAST_DAY, duplicateRatio: 0.01 });
  const events = await materialize(duck, { select: 'events/events+', from: FIRST_DAY, to: LAST_DAY });
  expect(events.status, failures(events)).toBe('succeeded');

  // The same home (lake, state) with the warehouse on Postgres: only models run, from the same lake.
  pg = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z', home, env: { GMP_WAREHOUSE_URL: await postgres.createDatabase('cross_engine') } });
  const models = await materialize(pg, { select: 'group:staging+', from: FIRST_DAY, to: LAST_DAY });
  expect(models.status, failures(models)).toBe('succeeded');
}, 600_000);

afterAll(async () => {
  await sandbox?.close();
  await postgres?.stop();
});

function failures(run: { steps: { key?: string; status: string; error?: unknown }[] }): string {
  return JSON.stringify(run.steps.filter((s) => s.status !== 'succeeded' && s.status !== 'skipped').slice(0, 3));
}

/** A value as both engines must agree on it: numbers to 9 significant digits, timestamps without trailing zeros, JSON with sorted keys. */
function normalize(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(9));
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    // A JSON document: jsonb keeps its own key order and spacing, so keys are compared sorted.
    if (/^[[{]/.test(value)) {
      try {
        return canonicalJson(JSON.parse(value));
      } catch {
        return value;
      }
    }
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(value)) return value.replace('T', ' ').replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Rows equal field by field. A figure rounded to a few decimals may differ by one unit in its last
 * place, and only when its exact value sits on the rounding boundary: the engines sum doubles in
 * different orders, so an average of 3.7275 is 3.72749999… on one and 3.7275000…1 on the other.
 */
function sameRow(a: string, b: string): boolean {
  if (a === b) return true;
  const x = JSON.parse(a) as unknown[];
  const y = JSON.parse(b) as unknown[];
  return x.length === y.length && x.every((v, i) => v === y[i] || (typeof v === 'number' && typeof y[i] === 'number' && lastPlaceApart(v, y[i] as number)));
}

function lastPlaceApart(a: number, b: number): boolean {
  const decimals = Math.max(decimalsOf(a), decimalsOf(b));
  return decimals > 0 && decimals <= 4 && Math.abs(a - b) <= 10 ** -decimals * 1.000001;
}

const decimalsOf = (n: number): number => (String(n).split('.')[1] ?? '').length;

const RECORD_LISTS = new Set(
  [...['genres', 'platforms', 'stores', 'tags'].map((c) => `staging.stg_rawg__games_daily.${c}`), ...['developers', 'publishers'].map((c) => `staging.stg_rawg__game_details_daily.${c}`)],
);

async function table(ws: Workspace, relation: string): Promise<{ columns: string[]; rows: string[] }> {
  const reader = openReader(ws);
  try {
    const result = await reader.use((w) => w.queryTable!(`SELECT * FROM ${relation}`));
    // `loaded_at` is when each engine loaded the row: the one column that must differ. The lists a
    // record was parsed into once (json_record) are each engine's own type — a DuckDB list of
    // structs of text, Postgres's jsonb as loaded — and are compared as the link tables built from them.
    const columns = result.columns.filter((c) => c !== 'loaded_at' && !RECORD_LISTS.has(`${relation}.${c}`));
    const rows = result.rows.map((r: Row) => JSON.stringify(columns.map((c) => normalize(r[c]))));
    return { columns, rows: rows.sort() };
  } finally {
    await reader.close();
  }
}

describe('the same lake built on DuckDB and on Postgres', () => {
  it('gives identical staging tables and marts, row by row', async () => {
    const reader = openReader(duck);
    const relations = (await reader.listRelations().finally(() => reader.close()))
      .filter((r) => r.schema === 'marts' || (r.schema === 'staging' && r.type === 'table'))
      .map((r) => `${r.schema}.${r.name}`);
    expect(relations.length).toBeGreaterThan(25);
    expect(relations).toContain('marts.mart_engagement_daily');
    const differing: string[] = [];
    for (const relation of relations) {
      const [a, b] = await Promise.all([table(duck, relation), table(pg, relation)]);
      expect(b.columns, relation).toEqual(a.columns);
      expect(b.rows.length, relation).toBe(a.rows.length);
      const first = a.rows.findIndex((row, i) => !sameRow(row, b.rows[i]!));
      if (first < 0) continue;
      differing.push(`${relation}: ${a.columns.join(',')}\n  duckdb   ${a.rows[first]}\n  postgres ${b.rows[first]}`);
    }
    expect(differing).toEqual([]);
  });
});
