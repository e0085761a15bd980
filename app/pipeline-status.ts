import { addDays, addHours, dateToKey, hourKeyOf, isTimePartitioned, timeWindow, type PartitionKey } from '../core/index.js';
import type { CheckResultRecord } from '../orchestration/index.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

/** Daily partition D of an asset is due by D+1 06:00 UTC: RAWG's day is complete and the 03:00 schedule has run. */
export const DEFAULT_DEADLINE_HOURS = 30;

/** Hourly partition H is due by H+2h: the hour has closed, and an hourly schedule has run after it. */
export const HOURLY_DEADLINE_HOURS = 2;

export interface AssetFreshness {
  asset: string;
  /** The newest partition whose deadline has passed (null for unpartitioned assets). */
  due: PartitionKey | null;
  /** The newest partition materialized successfully (or, unpartitioned, when). */
  latest: string | null;
  /** Partitions of the last `window` days (hours of them, for hourly assets) past their deadline and not materialized, newest first. */
  late: PartitionKey[];
  status: 'fresh' | 'late' | 'never';
  /**
   * dbt-style source freshness from `sources.yml` (raw assets only): the age of the newest data —
   * the end of the newest materialized day for daily assets, the last load for snapshots — against
   * the table's `warn_after` / `error_after`.
   */
  sourceFreshness?: { status: 'pass' | 'warn' | 'error'; ageHours: number | null; warnAfterHours?: number; errorAfterHours?: number };
  checks: { check: string; partition: string | null; status: CheckResultRecord['status']; failing: number | null; at: string }[];
}

/**
 * Freshness of every non-check asset at the workspace clock — "partition D lands by D+1 06:00
 * UTC" for daily ones — with the latest result of each of its checks. Reads the state only.
 */
export async function pipelineStatus(ws: Workspace, options: { windowDays?: number } = {}): Promise<AssetFreshness[]> {
  const window = options.windowDays ?? 7;
  const now = ws.clock.now();
  const due = dateToKey(new Date(now.getTime() - DEFAULT_DEADLINE_HOURS * 3_600_000));
  const dueHour = hourKeyOf(new Date(now.getTime() - HOURLY_DEADLINE_HOURS * 3_600_000));
  const dueOf = (a: { partitions: { type: string } }) => (a.partitions.type === 'hourly' ? dueHour : due);
  const assets = ws.graph.order.map((k) => ws.graph.get(k)).filter((a) => a.kind !== 'check');
  const limits = new Map(ws.project.docs.sources.filter((t) => t.freshness).map((t) => [`${t.source}/${t.table}`, t.freshness!]));
  const judge = (asset: string, lastLoad: string | null): Pick<AssetFreshness, 'sourceFreshness'> => {
    const limit = limits.get(asset);
    if (limit === undefined || (limit.warnAfterHours === undefined && limit.errorAfterHours === undefined)) return {};
    const ageHours = lastLoad === null ? null : Math.round(((now.getTime() - Date.parse(lastLoad)) / 3_600_000) * 10) / 10;
    const over = (hours: number | undefined) => hours !== undefined && (ageHours === null || ageHours > hours);
    const status = over(limit.errorAfterHours) ? 'error' : over(limit.warnAfterHours) ? 'warn' : 'pass';
    return { sourceFreshness: { status, ageHours, warnAfterHours: limit.warnAfterHours, errorAfterHours: limit.errorAfterHours } };
  };
  if (!stateExists(ws)) {
    return assets.map((a) => ({ asset: a.key, due: isTimePartitioned(a.partitions) ? dueOf(a) : null, latest: null, late: [], status: 'never', ...judge(a.key, null), checks: [] }));
  }
  const state = await openStateStore(ws);
  try {
    const out: AssetFreshness[] = [];
    for (const a of assets) {
      const rows = await state.latestByPartition(a.key);
      const ok = rows.filter((r) => r.status === 'succeeded');
      // How recent the data is, like dbt's loaded_at_field: a daily (hourly) asset is as fresh as the end of
      // its newest materialized day (hour) — a backfill of 2019 makes nothing fresh; a snapshot as its last load.
      const newestKey = ok.reduce<string | null>((d, r) => (r.partition !== null && (d === null || r.partition > d) ? r.partition : d), null);
      const lastLoad = isTimePartitioned(a.partitions)
        ? newestKey === null ? null : timeWindow(newestKey).end.toISOString()
        : ok.reduce<string | null>((at, r) => (at === null || r.endedAt > at ? r.endedAt : at), null);
      const freshness = judge(a.key, lastLoad);
      const checks = (await state.latestCheckResults(a.key)).map((c) => ({
        check: c.check,
        partition: c.partition,
        status: c.status,
        failing: typeof c.metadata?.failing === 'number' ? c.metadata.failing : null,
        at: c.at,
      }));
      if (!isTimePartitioned(a.partitions)) {
        const latest = ok[0]?.endedAt ?? null;
        out.push({ asset: a.key, due: null, latest, late: [], status: latest === null ? 'never' : 'fresh', ...freshness, checks });
        continue;
      }
      const hourly = a.partitions.type === 'hourly';
      const dueKey = dueOf(a);
      const back = (key: PartitionKey, n: number) => (hourly ? addHours(key, -n) : addDays(key, -n));
      const done = new Set(ok.map((r) => r.partition));
      const start = a.partitions.start;
      const late: PartitionKey[] = [];
      for (let i = 0; i < (hourly ? window * 24 : window); i++) {
        const key = back(dueKey, i);
        if (key >= start && !done.has(key)) late.push(key);
      }
      const latest = [...done].filter((p): p is string => p !== null).sort().pop() ?? null;
      const since = timeWindow(back(dueKey, hourly ? window * 24 : window)).start;
      out.push({
        asset: a.key,
        due: dueKey,
        latest,
        late,
        status: latest === null ? 'never' : done.has(dueKey) ? 'fresh' : 'late',
        ...freshness,
        checks: checks.filter((c) => c.partition === null || timeWindow(c.partition).start >= since),
      });
    }
    return out;
  } finally {
    await state.close();
  }
}
