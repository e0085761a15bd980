import { unpartitioned, type AssetDefinition } from '../../core/index.js';
import { listReadablePartitions } from '../../lake/index.js';
import type { RawLayout } from '../../warehouse/index.js';
import type { PipelineResources } from './pipeline-resources.js';

/** A lake entity the warehouse exposes as a `raw.*` view. */
export interface RawEntity {
  source: string;
  entity: string;
  /** The view's name (`models/**.yml` declares the same with `schema:`/`identifier:`). */
  relation: string;
  layout?: RawLayout;
}

/**
 * What `gmp collect` commits: accepted events in hourly partitions by event time, and the events
 * it refused (with their reason) by arrival hour. The warehouse reads them as `raw.events` and
 * `raw.failed_events`, one row per committed event with `event_id` a column.
 */
export const EVENT_ENTITIES: readonly RawEntity[] = [
  { source: 'events', entity: 'events', relation: 'raw.events', layout: { hourly: true, columns: ['event_id'] } },
  { source: 'events', entity: 'failed_events', relation: 'raw.failed_events', layout: { hourly: true, columns: ['event_id', 'reason'] } },
];

const DESCRIPTIONS: Record<string, string> = {
  events: 'Events accepted by gmp collect, committed by the collector into hourly partitions by event time (UTC). Materializing it observes what is committed and refreshes raw.events.',
  failed_events: 'Events gmp collect refused (invalid JSON, schema violations, unknown events, too late), with their reason, by arrival hour. Materializing it observes what is committed and refreshes raw.failed_events.',
};

/**
 * External assets (Dagster's term): the collector writes them, not a run. Materializing one is an
 * observation: its raw view is refreshed to name every committed file, and the counts are recorded.
 */
export function createEventAssets(): AssetDefinition<PipelineResources>[] {
  return EVENT_ENTITIES.map(({ source, entity }) => ({
    key: `${source}/${entity}`,
    description: DESCRIPTIONS[entity] ?? '',
    deps: [],
    partitions: unpartitioned,
    group: 'events',
    kind: 'external',
    tags: ['events'],
    async materialize(ctx) {
      const manifests = (await listReadablePartitions(ctx.resources.lake, source, entity, { signal: ctx.signal })).filter((m) => m.files.length > 0);
      ctx.resources.rawViewCommitted(source, entity, ctx.signal);
      const hours = manifests.map((m) => m.dt).sort();
      return {
        rows: manifests.reduce((n, m) => n + m.records, 0),
        bytes: manifests.reduce((n, m) => n + m.files.reduce((b, f) => b + f.bytes, 0), 0),
        metadata: { partitions: manifests.length, first_hour: hours[0] ?? null, last_hour: hours.at(-1) ?? null },
      };
    },
  }));
}
