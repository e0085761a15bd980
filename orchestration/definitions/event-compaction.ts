import { rm } from 'node:fs/promises';
import path from 'node:path';
import { unpartitioned, type AssetDefinition } from '../../core/index.js';
import { compactEvents, EVENTS_SOURCE, removeCompactedFiles } from '../../ingestion/index.js';
import type { PipelineResources } from './pipeline-resources.js';

export const COMPACT_EVENTS_ASSET = 'events/compact_events';

/**
 * Lake maintenance for the collector's hourly partitions: every UTC day whose hours all ended
 * GMP_EVENTS_COMPACT_AFTER_HOURS ago becomes one Parquet per entity (see compactEvents). The raw
 * views are rebuilt from the new commits during the run; the absorbed hourly files are deleted
 * at the end of the run, once the views no longer name them.
 * Kind `table`: the run itself writes it, rebuilt whole each time (nothing outside gmp does).
 * No deps: it is not downstream of the events (selecting `events/events+` does not compact).
 */
export function createEventCompactionAsset(): AssetDefinition<PipelineResources> {
  return {
    key: COMPACT_EVENTS_ASSET,
    description:
      'Compacts the hourly partitions of raw/events/events and raw/events/failed_events of every UTC day older than GMP_EVENTS_COMPACT_AFTER_HOURS into one daily Parquet (one row per event, deduplicated by event_id) with a checksummed manifest, then removes the hourly files. raw.events and raw.failed_events read both.',
    deps: [],
    partitions: unpartitioned,
    group: 'events',
    kind: 'table',
    tags: ['events', 'maintenance'],
    async materialize(ctx) {
      const { lake, events } = ctx.resources;
      if (events.compactAfterHours < events.lateWindowHours) {
        ctx.logger.warn(
          { compactAfterHours: events.compactAfterHours, lateWindowHours: events.lateWindowHours },
          'GMP_EVENTS_COMPACT_AFTER_HOURS is shorter than the late window: late events for compacted days land in their hours and are merged by the next compaction',
        );
      }
      const workDir = path.join(events.workDir, ctx.runId);
      const result = await compactEvents(lake, {
        clock: ctx.clock,
        olderThanMs: events.compactAfterHours * 3_600_000,
        runId: ctx.runId,
        workDir,
        signal: ctx.signal,
        onDay: (day) => ctx.logger.info({ ...day }, `${day.entity} ${day.day}: ${day.action}`),
      }).finally(() => rm(workDir, { recursive: true, force: true }));
      for (const entity of new Set(result.days.map((d) => d.entity))) ctx.resources.rawViewCommitted(EVENTS_SOURCE, entity, ctx.signal);
      if (result.obsoleteKeys.length > 0 || result.dailyPartitions.length > 0) {
        ctx.resources.afterRun(async () => {
          const removed = await removeCompactedFiles(lake, result, { clock: ctx.clock });
          ctx.logger.info({ files: removed.length }, 'compacted hourly files removed');
        });
      }
      const written = result.days.filter((d) => d.eventsOut !== undefined);
      return {
        rows: written.reduce((n, d) => n + (d.eventsOut ?? 0), 0),
        bytes: written.reduce((n, d) => n + (d.bytesAfter ?? 0), 0),
        metadata: {
          days: result.days.map((d) => ({ ...d })),
          days_compacted: written.length,
          hours_emptied: result.days.reduce((n, d) => n + d.emptied, 0),
          events_in: written.reduce((n, d) => n + d.eventsIn, 0),
          events_out: written.reduce((n, d) => n + (d.eventsOut ?? 0), 0),
          bytes_before: written.reduce((n, d) => n + d.bytesBefore, 0),
          bytes_after: written.reduce((n, d) => n + (d.bytesAfter ?? 0), 0),
          files_to_remove: result.obsoleteKeys.length,
        },
      };
    },
  };
}
