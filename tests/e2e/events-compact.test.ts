import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../core/index.js';
import { checkEvent, commitEventBatch, type LogEntry } from '../../ingestion/index.js';
import { LocalObjectStore } from '../../lake/index.js';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const DAY_MS = 86_400_000;
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const event = (n: number, time: Date): LogEntry => {
  const checked = checkEvent({ event_id: id(n), event: 'view', user_id: `u${n % 3}`, timestamp: time.toISOString() }, time, 'c1');
  if (!checked.ok) throw new Error(checked.failure.detail);
  return { kind: 'event', event: checked.event };
};

/** Hourly folders (with data files) of raw/events/events for one UTC day. */
function hourFolders(home: string, day: string): string[] {
  const root = path.join(home, 'lake', 'raw', 'events', 'events');
  return readdirSync(root).filter((dt) => dt.startsWith(`dt=${day}T`) && readdirSync(path.join(root, dt)).some((f) => f.startsWith('run=')));
}

describe('gmp events compact (the built binary, a local lake)', () => {
  it('compacts the old days; a rebuild of staging.stg_events from the compacted lake counts the same', async () => {
    const home = tempDir('gmp-compact-e2e-');
    const env = { GMP_HOME: home };
    const lake = new LocalObjectStore(path.join(home, 'lake'));
    // Three days ago at most, as the collector would have committed them: 6 and 5 days ago are old
    // enough for 72 h, yesterday is not. Event 2 is committed twice (a client retry, another hour).
    const today = Date.parse(new Date().toISOString().slice(0, 10));
    const days = [6, 5, 1].map((d) => new Date(today - d * DAY_MS));
    let segment = 0;
    for (const [i, day] of days.entries()) {
      for (const hour of [2, 14]) {
        const at = new Date(day.getTime() + hour * 3_600_000);
        const entries = [event(i * 10 + hour, at), event(i * 10 + hour + 1, new Date(at.getTime() + 60_000))];
        if (i === 0 && hour === 14) entries.push(event(2, at));
        await commitEventBatch(lake, { logId: 'e2e', throughSegment: ++segment, entries }, { clock: fixedClock(new Date(at.getTime() + 120_000).toISOString()) });
      }
    }
    const dayKeys = days.map((d) => d.toISOString().slice(0, 10));

    // (The marts downstream also need the RAWG catalogue, absent here: only the staging model counts.)
    const buildStaging = (): void => {
      const built = runGmp(['materialize', '--select', 'events/events+', '--exclude', 'marts/mart_events_hourly', '--json'], { cwd: home, env });
      expect(built.stdout, built.stderr).not.toBe('');
      const steps = (JSON.parse(built.stdout) as { steps: { step: { asset: string }; status: string }[] }).steps;
      expect(steps.find((s) => s.step.asset === 'staging/stg_events')?.status, built.stderr).toBe('succeeded');
    };
    buildStaging();
    const count = (sql: string): number => {
      const q = runGmp(['query', sql, '--json'], { cwd: home, env });
      expect(q.status, q.stderr).toBe(0);
      return Number((JSON.parse(q.stdout) as { n: number }[])[0]!.n);
    };
    expect(count('select count(*) as n from staging.stg_events')).toBe(12);
    expect(count('select count(*) as n from raw.events')).toBe(13);

    const plan = runGmp(['events', 'compact', '--dry-run'], { cwd: home, env });
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`events ${dayKeys[0]}: would compact 2 hourly partitions, 5 events`);
    expect(plan.stdout).toMatch(/dry run: .*: 2 days to compact, 9 events/);
    expect(hourFolders(home, dayKeys[0]!)).toHaveLength(2);

    const run = runGmp(['events', 'compact'], { cwd: home, env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`events ${dayKeys[0]}: compacted: 5 → 4 events`);
    expect(run.stdout).toMatch(/: 2 days compacted, 4 hourly partitions emptied, 9 events in, 8 out \(1 duplicates dropped\)/);
    expect(hourFolders(home, dayKeys[0]!)).toEqual([]);
    expect(hourFolders(home, dayKeys[2]!)).toHaveLength(2);
    // The run rebuilt the raw views: raw.events reads the Parquet and the hours.
    expect(count('select count(*) as n from raw.events')).toBe(12);

    // A warehouse built from scratch over the compacted lake.
    const warehouseFiles = readdirSync(home).filter((f) => f.startsWith('warehouse'));
    expect(warehouseFiles).toContain('warehouse.duckdb');
    for (const f of warehouseFiles) rmSync(path.join(home, f), { force: true });
    buildStaging();
    expect(count('select count(*) as n from staging.stg_events')).toBe(12);

    const verify = runGmp(['events', 'compact', '--verify'], { cwd: home, env });
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^2 compacted files in file:\/\/.* checked, 0 damaged\n$/);
  });
});
