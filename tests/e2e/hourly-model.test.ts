import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, dateToKey } from '../../core/index.js';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

// A project whose mart is partitioned by UTC hour, built hour by hour on DuckDB through the gmp binary.
describe('an hourly partitioned model', () => {
  it('materializes two hours, and gmp partitions shows them per day and per hour', () => {
    const day = addDays(dateToKey(new Date()), -1);
    const root = tempDir('gmp-hourly-');
    mkdirSync(path.join(root, 'models', 'staging'), { recursive: true });
    mkdirSync(path.join(root, 'models', 'marts'), { recursive: true });
    const at = (time: string) => `TIMESTAMP '${day} ${time}'`;
    writeFileSync(
      path.join(root, 'models', 'staging', 'stg_events.sql'),
      `select * from (values (1, ${at('04:59:59')}), (2, ${at('05:00:00')}), (3, ${at('05:59:59')}), (4, ${at('06:30:00')}), (5, ${at('07:00:00')})) as t(event_id, event_time)\n`,
    );
    writeFileSync(
      path.join(root, 'models', 'marts', 'events_hourly.sql'),
      "{{ config(materialized='partitioned', partition_by={'field': 'event_hour', 'granularity': 'hour'}) }}\n"
        + "select date_trunc('hour', event_time) as event_hour, count(*) as events from {{ ref('stg_events') }} where {{ in_partition('event_time') }} group by 1\n",
    );
    writeFileSync(path.join(root, '.env'), 'GMP_MODELS_DIR=models\n');
    const gmp = (...args: string[]) => {
      const r = runGmp(args, { cwd: root });
      expect(r.status, `gmp ${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };

    expect(gmp('assets')).toMatch(/marts\/events_hourly\s.*hourly from 2015-01-01T00 \(UTC\)/);
    gmp('materialize', '--select', 'marts/events_hourly', '--from', `${day}T05`, '--to', `${day}T06`);
    const rows = JSON.parse(gmp('query', "select strftime(event_hour, '%H') as h, events from marts.events_hourly order by 1", '--json')) as { h: string; events: number }[];
    expect(rows.map((r) => [r.h, Number(r.events)])).toEqual([['05', 2], ['06', 1]]);

    const perDay = gmp('partitions', 'marts/events_hourly');
    expect(perDay).toContain('marts/events_hourly: hourly partitions (UTC), per day:');
    expect(perDay).toContain(`  ${day} 2 ok, 22 missing\n`);
    expect(perDay).toMatch(/^2 ok, 0 failed, \d+ missing hours$/m);
    expect(gmp('partitions', 'marts/events_hourly', '--hours')).toContain(`  ${day}T05..${day}T06 ok (2)\n`);
    const report = JSON.parse(gmp('partitions', 'marts/events_hourly', '--json')) as { grain: string; counts: { ok: number } };
    expect(report).toMatchObject({ grain: 'hour', counts: { ok: 2 } });

    // A day means its 24 hours: one range step, and the two done hours stay done.
    const plan = gmp('materialize', '--select', 'marts/events_hourly', '--partition', day, '--dry-run');
    expect(plan).toContain(`${day}T00..${day}T23`);
  });
});
