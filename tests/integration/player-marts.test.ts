import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize, queryWarehouse, writeSimulatedHistory, type Workspace } from '../../app/index.js';
import { addDays } from '../../core/index.js';
import { createObjectStore, listCommittedPartitions, readRecords } from '../../lake/index.js';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';
import { testWorkspace } from '../helpers/workspace.js';

// A simulated week through the collector's commit, the staging model and the player marts; each
// figure is then computed again here, in TypeScript, from the events the lake holds — not the SQL.
const KEY = 'player-marts-key-7c1d';
const LAST_DAY = '2025-06-29';
let sandbox: Sandbox;
let ws: Workspace;

interface LakeEvent {
  event_id: string;
  event: string;
  user_id: string | null;
  game_id: number | null;
  event_time: string;
  properties: Record<string, unknown>;
}
let events: LakeEvent[];
let committed: number;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, asOf: '2025-06-30', latencyMs: 0 });
  ws = testWorkspace({ baseUrl: sandbox.url, key: KEY, now: '2025-06-30T12:00:00Z' });
  // The catalogue first, so the players browse the games the marts know.
  const catalogue = await materialize(ws, { select: 'rawg/games+', exclude: 'marts/mart_events_hourly', from: '2025-06-28', to: LAST_DAY });
  expect(catalogue.status).toBe('succeeded');
  // 1% of events resent with the same event_id: the staging model must count each once.
  await writeSimulatedHistory(ws, { seed: 11, players: 300, days: 7, end: LAST_DAY, duplicateRatio: 0.01 });
  const run = await materialize(ws, { select: 'events/events+', from: addDays(LAST_DAY, -6), to: LAST_DAY });
  expect(run.status, JSON.stringify(run.steps.filter((s) => s.status !== 'succeeded').slice(0, 3))).toBe('succeeded');
  const store = await createObjectStore(ws.config.lake);
  const all: LakeEvent[] = [];
  for (const m of await listCommittedPartitions(store, 'events', 'events')) for await (const r of readRecords(store, m)) all.push(r as unknown as LakeEvent);
  committed = all.length;
  const seen = new Set<string>();
  events = all.filter((e) => (seen.has(e.event_id) ? false : (seen.add(e.event_id), true)));
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
});

const day = (iso: string) => iso.slice(0, 10);
const rows = async <T>(sql: string) => (await queryWarehouse(ws, sql)) as T[];
const close = (a: number | null, b: number | null) => (a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 9));

/** Each known player's active UTC days. */
function activeDays(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of events) {
    if (!e.user_id) continue;
    if (!out.has(e.user_id)) out.set(e.user_id, new Set());
    out.get(e.user_id)!.add(day(e.event_time));
  }
  return out;
}

describe('the player marts over a simulated week', () => {
  it('keep each event once: duplicates committed to the lake are dropped by stg_events', async () => {
    expect(committed).toBeGreaterThan(events.length);
    const [staged] = await rows<{ n: number; ids: number }>('select count(*) as n, count(distinct event_id) as ids from staging.stg_events');
    expect(Number(staged!.n)).toBe(events.length);
    expect(Number(staged!.ids)).toBe(events.length);
  });

  it('DAU, MAU and DAU/MAU equal the same figures computed from the events', async () => {
    const players = activeDays();
    const days = [...new Set([...players.values()].flatMap((s) => [...s]))].sort();
    const mart = await rows<{ activity_date: string; dau: number; mau: number; dau_mau: number }>(
      'select cast(activity_date as varchar) as activity_date, dau, mau, dau_mau from marts.mart_engagement_daily order by 1',
    );
    expect(mart.map((r) => r.activity_date)).toEqual(days);
    for (const r of mart) {
      const window = new Set(Array.from({ length: 30 }, (_, i) => addDays(r.activity_date, -i)));
      const dau = [...players.values()].filter((s) => s.has(r.activity_date)).length;
      const mau = [...players.values()].filter((s) => [...s].some((d) => window.has(d))).length;
      expect([Number(r.dau), Number(r.mau)], r.activity_date).toEqual([dau, mau]);
      close(Number(r.dau_mau), dau / mau);
    }
    expect(Math.max(...mart.map((r) => Number(r.dau)))).toBeGreaterThan(20);
  });

  it('D1 and D7 retention ("exactly day N") per first-seen cohort equal the computation from the events', async () => {
    const players = activeDays();
    const cohortOf = new Map([...players].map(([user, days]) => [user, [...days].sort()[0]!]));
    const mart = await rows<{ cohort_date: string; day_number: number; cohort_size: number; active_players: number; retention: number }>(
      'select cast(cohort_date as varchar) as cohort_date, day_number, cohort_size, active_players, retention from marts.mart_retention_cohorts where day_number in (1, 7) order by 1, 2',
    );
    const lastDay = [...new Set([...players.values()].flatMap((s) => [...s]))].sort().at(-1)!;
    const expected = [...new Set(cohortOf.values())].sort().flatMap((cohort) =>
      [1, 7]
        .filter((n) => addDays(cohort, n) <= lastDay)
        .map((n) => {
          const members = [...cohortOf].filter(([, c]) => c === cohort).map(([u]) => u);
          const active = members.filter((u) => players.get(u)!.has(addDays(cohort, n))).length;
          return { cohort_date: cohort, day_number: n, cohort_size: members.length, active_players: active };
        }),
    );
    expect(mart.map((r) => ({ cohort_date: r.cohort_date, day_number: Number(r.day_number), cohort_size: Number(r.cohort_size), active_players: Number(r.active_players) }))).toEqual(expected);
    for (const r of mart) close(Number(r.retention), Number(r.active_players) / Number(r.cohort_size));
    // Churn exists: not everyone comes back the next day.
    expect(mart.some((r) => Number(r.day_number) === 1 && Number(r.retention) < 1)).toBe(true);
  });

  it('the store funnel (view → cart → purchase, in order) equals the computation from the events', async () => {
    const steps = new Map<string, { view?: string; carts: string[]; buys: string[] }>();
    for (const e of events) {
      if (!e.user_id || e.game_id === null) continue;
      const store = e.event === 'view' || e.event === 'add_to_cart' || (e.event === 'purchase' && e.properties.item === undefined);
      if (!store) continue;
      const key = `${e.user_id}|${e.game_id}`;
      const s = steps.get(key) ?? { carts: [], buys: [] };
      if (e.event === 'view' && (s.view === undefined || e.event_time < s.view)) s.view = e.event_time;
      if (e.event === 'add_to_cart') s.carts.push(e.event_time);
      if (e.event === 'purchase') s.buys.push(e.event_time);
      steps.set(key, s);
    }
    let viewers = 0;
    let carted = 0;
    let purchased = 0;
    for (const s of steps.values()) {
      if (s.view === undefined) continue;
      viewers++;
      const cart = s.carts.filter((t) => t >= s.view!).sort()[0];
      if (cart === undefined) continue;
      carted++;
      if (s.buys.some((t) => t >= cart)) purchased++;
    }
    const [overall] = await rows<{ viewers: number; carted: number; purchased: number }>("select viewers, carted, purchased from marts.mart_store_funnel where scope = 'overall'");
    expect([Number(overall!.viewers), Number(overall!.carted), Number(overall!.purchased)]).toEqual([viewers, carted, purchased]);
    expect(purchased).toBeGreaterThan(0);
  });

  it('ARPPU and conversion per day equal the computation from the events (real USD only)', async () => {
    const spend = new Map<string, Map<string, number>>();
    for (const e of events) {
      const p = e.properties;
      if (e.event !== 'purchase' || !e.user_id || p.currency_type !== 'real' || p.currency_code !== 'USD') continue;
      const d = day(e.event_time);
      if (!spend.has(d)) spend.set(d, new Map());
      spend.get(d)!.set(e.user_id, (spend.get(d)!.get(e.user_id) ?? 0) + Number(p.amount));
    }
    const players = activeDays();
    const mart = await rows<{ activity_date: string; active_players: number; paying_players: number; revenue_usd: number; arppu: number | null; conversion: number }>(
      "select cast(activity_date as varchar) as activity_date, active_players, paying_players, revenue_usd, arppu, conversion from marts.mart_monetization where segment = 'all' order by 1",
    );
    for (const r of mart) {
      const payers = [...(spend.get(r.activity_date) ?? new Map<string, number>()).entries()].filter(([, v]) => v > 0);
      const revenue = payers.reduce((a, [, v]) => a + v, 0);
      const active = [...players.values()].filter((s) => s.has(r.activity_date)).length;
      expect([Number(r.active_players), Number(r.paying_players)], r.activity_date).toEqual([active, payers.length]);
      close(Number(r.revenue_usd), revenue);
      close(r.arppu === null ? null : Number(r.arppu), payers.length === 0 ? null : revenue / payers.length);
      close(Number(r.conversion), payers.length / active);
    }
    expect(mart.some((r) => Number(r.paying_players) > 0)).toBe(true);
  });
});
