import {
  dailyPartitions,
  dateToKey,
  unpartitioned,
  type AssetContext,
  type AssetDefinition,
  type MaterializeResult,
} from '../../core/index.js';
import { openPartitionWriter, type ObjectStore } from '../../lake/index.js';
import type { HttpClient } from '../http/index.js';
import { fetchPages } from '../pagination/index.js';
import type { EndpointSpec } from './endpoint-spec.js';
import { InvalidItems, attachRequests, requirePartition } from './ingestion-step.js';

export interface IngestionResources {
  lake: ObjectStore;
  /** The HTTP client of a source (its rate limit, budget and key). */
  http(source: string): HttpClient;
  ingestion: {
    /** Page cap applied to endpoints declared with `maxPages: 'config'`. */
    snapshotMaxPages: number;
    /** Pages fetched at once within one partition. */
    pageConcurrency: number;
  };
}

/** The asset key of an endpoint: `<source>/<entity>`. */
export function ingestionAssetKey(spec: Pick<EndpointSpec, 'source' | 'entity'>): string {
  return `${spec.source}/${spec.entity}`;
}

/**
 * The endpoint factory: one ingestion asset per spec. Materializing partition D fetches every page
 * (binding D to the spec's parameter), validates and dedupes items by primary key, streams them into
 * the lake and commits the partition (manifest last). Invalid items are kept apart, counted and
 * sampled, never fatal.
 *
 * No `retryPolicy`: the HTTP client already retries each failed request (429/5xx/network, with
 * backoff and Retry-After) and re-fetches one page, where a step retry re-fetches every page of the
 * partition, spending requests the pre-run budget check did not count. A storm that outlasts the
 * client's retries fails the step clearly, the previous commit untouched; the next run redoes it.
 */
export function createIngestionAssets(specs: readonly EndpointSpec[]): AssetDefinition<IngestionResources>[] {
  return specs.map((spec) => ({
    key: ingestionAssetKey(spec),
    description: spec.description,
    deps: [],
    partitions: spec.partition.type === 'daily' ? dailyPartitions(spec.partition.start) : unpartitioned,
    group: spec.group,
    kind: 'ingestion' as const,
    tags: spec.tags,
    materialize: (ctx) => ingestEndpoint(spec, ctx),
  }));
}

async function ingestEndpoint(spec: EndpointSpec, ctx: AssetContext<IngestionResources>): Promise<MaterializeResult> {
  const started = ctx.clock.now();
  const dt = spec.partition.type === 'daily' ? requirePartition(ctx) : dateToKey(started);
  const params: Record<string, string | number> = { ...spec.params };
  if (spec.partition.type === 'daily') params[spec.partition.param] = `${dt},${dt}`;
  const maxPages =
    spec.paginator.maxPages === 'config' ? ctx.resources.ingestion.snapshotMaxPages : spec.paginator.maxPages;

  const writer = await openPartitionWriter({
    store: ctx.resources.lake,
    source: spec.source,
    entity: spec.entity,
    dt,
    runId: ctx.runId,
    signal: ctx.signal,
  });
  const seen = new Set<unknown>();
  let requests = 0;
  let valid = 0;
  let duplicates = 0;
  const invalid = new InvalidItems();
  try {
    const walk = await fetchPages({
      client: ctx.resources.http(spec.source),
      path: spec.path,
      params,
      paginator: { type: 'page_number', pageSize: spec.paginator.pageSize, ...(maxPages ? { maxPages } : {}) },
      concurrency: ctx.resources.ingestion.pageConcurrency,
      signal: ctx.signal,
      onAttempt: () => {
        requests += spec.requestCost;
      },
      onPage: async (page) => {
        const fetchedAt = ctx.clock.now().toISOString();
        for (const item of page.results) {
          const meta = { _dt: dt, _run_id: ctx.runId, _fetched_at: fetchedAt, _page: page.number };
          const parsed = spec.itemSchema.safeParse(item);
          if (!parsed.success) {
            invalid.add(item, parsed.error.issues, { page: page.number }, spec.primaryKey);
            await writer.writeInvalid({ _item: item, ...meta });
            continue;
          }
          const id = (item as Record<string, unknown>)[spec.primaryKey];
          if (seen.has(id)) {
            duplicates++;
            continue;
          }
          seen.add(id);
          valid++;
          await writer.write({ ...(item as object), ...meta });
        }
        ctx.logger.debug({ page: page.number, count: page.count }, 'page ingested');
      },
    });
    const metadata = {
      api_count: walk.count,
      invalid_records: invalid.count,
      invalid_samples: invalid.samples,
      duplicates,
      capped: walk.capped,
    };
    await writer.commit({ pages: walk.pages, requests, metadata });
    if (invalid.count > 0) ctx.logger.warn({ invalid: invalid.count, samples: invalid.samples }, 'invalid items kept apart');
    if (walk.capped) ctx.logger.warn({ pages: walk.pages, api_count: walk.count }, 'snapshot stopped at the page cap');
    return { rows: valid, pages: walk.pages, requests, metadata: { dt, ...metadata } };
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw attachRequests(error, requests);
  }
}
