import { describe, expect, it } from 'vitest';
import { createDuckDbWarehouse, duckDbDialect, snowflakeDialect } from '../warehouse/index.js';
import { definitionProblems, writeTempProject } from '../tests/helpers/temp-project.js';
import { loadProject } from './compile-project.js';
import { modelPartitions } from './model-partitions.js';

const events = `select * from (values
  (1, TIMESTAMP '2026-12-01 04:59:59'), (2, TIMESTAMP '2026-12-01 05:00:00'), (3, TIMESTAMP '2026-12-01 05:59:59'),
  (4, TIMESTAMP '2026-12-01 06:10:00'), (5, TIMESTAMP '2026-12-01 07:00:00')
) as t(event_id, event_time)`;
const hourly = "{{ config(materialized='partitioned', partition_by={'field': 'event_hour', 'granularity': 'hour'}) }}\n"
  + "select date_trunc('hour', event_time) as event_hour, count(*) as events from {{ ref('stg_events') }} where {{ in_partition('event_time') }} group by 1";

describe('hourly partitioned models', () => {
  const dir = writeTempProject({ 'staging/stg_events.sql': events, 'marts/events_hourly.sql': hourly, 'marts/events_daily.sql': "{{ config(materialized='partitioned', partition_by='dt') }} select 1 as n, DATE '2026-12-01' as dt" });
  const project = loadProject({ dir, dialect: duckDbDialect });
  const model = project.models.find((m) => m.name === 'events_hourly')!;

  it('declare hours with partition_by granularity, and get hourly partitions', () => {
    expect(model).toMatchObject({ materialized: 'partitioned', partitionBy: 'event_hour', partitionGrain: 'hour' });
    expect(modelPartitions(model, '2026-11-01')).toEqual({ type: 'hourly', start: '2026-11-01T00' });
    expect(modelPartitions(project.models.find((m) => m.name === 'events_daily')!, '2026-11-01')).toEqual({ type: 'daily', start: '2026-11-01' });
    expect(modelPartitions(project.models.find((m) => m.name === 'stg_events')!, '2026-11-01')).toEqual({ type: 'unpartitioned' });
  });

  it('slice an hour as [hour, hour + 1h), in the template and in the replace statements', () => {
    const statements = project.statements('events_hourly', { start: '2026-12-01T05', end: '2026-12-01T05' });
    expect(statements).toContain(`DELETE FROM marts.events_hourly WHERE event_hour >= TIMESTAMP '2026-12-01 05:00:00' AND event_hour < TIMESTAMP '2026-12-01 06:00:00'`);
    expect(project.compile('events_hourly', { start: '2026-12-01T23', end: '2026-12-02T00' })).toContain(
      "where event_time >= TIMESTAMP '2026-12-01 23:00:00' AND event_time < TIMESTAMP '2026-12-02 01:00:00' group by 1",
    );
    expect(snowflakeDialect.replacePartition('marts.h', 'select 1', 'event_hour', { start: '2026-12-01T05', end: '2026-12-01T06' })[1]).toBe(
      "DELETE FROM marts.h WHERE event_hour >= TIMESTAMP '2026-12-01 05:00:00' AND event_hour < TIMESTAMP '2026-12-01 07:00:00'",
    );
  });

  it('materialize two hours on DuckDB, each slice alone and idempotently', async () => {
    const warehouse = await createDuckDbWarehouse({ path: ':memory:' });
    try {
      await warehouse.execute(project.statements('stg_events', null));
      for (const hour of ['2026-12-01T05', '2026-12-01T06', '2026-12-01T05']) {
        await warehouse.execute(project.statements('events_hourly', { start: hour, end: hour }), { transaction: true });
      }
      const rows = await warehouse.query("SELECT strftime(event_hour, '%Y-%m-%dT%H') AS hour, events FROM marts.events_hourly ORDER BY 1");
      // 04:59:59 and 07:00:00 are outside both hours; 05:59:59 is in the 05 hour.
      expect(rows.map((r) => [r.hour, Number(r.events)])).toEqual([['2026-12-01T05', 2], ['2026-12-01T06', 1]]);
    } finally {
      await warehouse.close();
    }
  });

  it('report a bad partition_by with the file', () => {
    const broken = writeTempProject({
      'marts/bad.sql': "{{ config(materialized='partitioned', partition_by={'field': 'h', 'granularity': 'minute'}) }} select 1",
      'marts/no_field.sql': "{{ config(materialized='partitioned', partition_by={'granularity': 'hour'}) }} select 1",
    });
    const problems = definitionProblems(() => loadProject({ dir: broken, dialect: duckDbDialect }));
    expect(problems.join('\n')).toMatch(/marts\/bad\.sql:1: partition_by granularity 'minute' is not one of day, hour/);
    expect(problems.join('\n')).toMatch(/marts\/no_field\.sql:1: partition_by needs 'field'/);
  });
});
