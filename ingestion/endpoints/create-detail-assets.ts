import {
  HttpError,
  LakeError,
  dailyPartitions,
  type AssetContext,
  type AssetDefinition,
  type MaterializeResult,
} from '../../core/index.js';
import { openPartitionWriter, readManifest, readRecords, type ObjectStore, type PartitionManifest } from '../../lake/index.js';
import { ingestionAssetKey, type IngestionResources } from './create-ingestion-assets.js';
import type { DetailSpec, EndpointSpec } from './endpoint-spec.js';
import { InvalidItems, attachRequests, requirePartition } from './ingestion-step.js';

type ItemId = string | number;

/** This many detail requests of a day, every one answering 404, mean a wrong URL, not deletions. */
const SUSPICIOUS_404S = 10;
type Versions = Map<ItemId, string | undefined>;

/**
 * One ingestion asset per detail spec, partitioned like its daily parent and reading the parent's
 * committed partition: partition D holds the detail of every item the parent listed on D. An item
 * is fetched only when no detail is committed for it in D yet, or the parent lists a newer version
 * (`updated`) than the committed detail has; the others are carried over from the committed run
 * without a request, so a re-run of D rewrites the same partition for free.
 */
export function createDetailAssets(specs: readonly DetailSpec[], parents: readonly EndpointSpec[]): AssetDefinition<IngestionResources>[] {
  return specs.map((spec) => {
    const parent = parents.find((p) => p.source === spec.source && p.entity === spec.parent.entity);
    if (parent?.partition.type !== 'daily') {
      throw new Error(`${ingestionAssetKey(spec)}: its parent ${spec.source}/${spec.parent.entity} must be a daily endpoint`);
    }
    return {
      key: ingestionAssetKey(spec),
      description: spec.description,
      deps: [{ key: ingestionAssetKey(parent) }],
      partitions: dailyPartitions(parent.partition.start),
      group: spec.group,
      kind: 'ingestion' as const,
      tags: spec.tags,
      materialize: (ctx) => ingestDetails(spec, ctx),
    };
  });
}

async function ingestDetails(spec: DetailSpec, ctx: AssetContext<IngestionResources>): Promise<MaterializeResult> {
  const dt = requirePartition(ctx);
  const { lake } = ctx.resources;
  const { key, version } = spec.parent;
  const parentManifest = await readManifest(lake, spec.source, spec.parent.entity, dt, { signal: ctx.signal });
  if (parentManifest === undefined) {
    throw new LakeError(`${ctx.assetKey} ${dt}: ${spec.source}/${spec.parent.entity} has no committed partition ${dt} to read the items from`, {
      hint: `materialize it first: gmp materialize --select ${spec.source}/${spec.parent.entity}+ --partition ${dt}`,
    });
  }
  const listed = await readVersions(lake, parentManifest, key, version, ctx.signal);
  const writer = await openPartitionWriter({ store: lake, source: spec.source, entity: spec.entity, dt, runId: ctx.runId, signal: ctx.signal });
  // The details carried over come from the very commit this run replaces (a corrupt one counts as
  // none: this run fetches everything and repairs it), so a commit landing meanwhile is refused.
  const committed = writer.replaces;
  const carry = new Set<ItemId>();
  const fetch: ItemId[] = [];
  const invalid = new InvalidItems();
  let requests = 0;
  let fetched = 0;
  let carried = 0;
  let gone = 0;
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  try {
    const known = committed === undefined ? new Map() : await ownVersions(ctx, committed, key, version, signal);
    for (const [id, listedVersion] of listed) {
      if (known.has(id) && !isNewer(listedVersion, known.get(id))) carry.add(id);
      else fetch.push(id);
    }

    if (committed !== undefined && carry.size > 0) {
      for await (const record of readRecords(lake, committed, { signal })) {
        const id = record[key] as ItemId;
        if (!carry.delete(id)) continue; // once per item
        const { _dt, _run_id, _fetched_at, _page, ...item } = record;
        await writer.write({ ...item, _dt: dt, _run_id: ctx.runId, _fetched_at, _page });
        carried++;
      }
    }

    const client = ctx.resources.http(spec.source);
    let next = 0;
    // The first real failure; the others it cancels only echo it.
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (next < fetch.length) {
        const id = fetch[next++]!;
        let body: unknown;
        try {
          ({ body } = await client.getJson(spec.path.replace('{id}', encodeURIComponent(String(id))), {}, {
            signal,
            onAttempt: () => {
              requests += spec.requestCost;
            },
          }));
        } catch (error) {
          // Deleted between the list and the detail request: nothing to keep, nothing to retry.
          if (error instanceof HttpError && error.status === 404) {
            gone++;
            continue;
          }
          throw error;
        }
        const meta = { _dt: dt, _run_id: ctx.runId, _fetched_at: ctx.clock.now().toISOString(), _page: null };
        const parsed = spec.itemSchema.safeParse(body);
        if (parsed.success) {
          await writer.write({ ...(body as object), ...meta });
          fetched++;
        } else {
          invalid.add(body, parsed.error.issues, { requested: id }, key);
          await writer.writeInvalid({ _item: body, ...meta });
        }
      }
    };
    const workers = Array.from({ length: Math.min(ctx.resources.ingestion.pageConcurrency, fetch.length) }, () =>
      worker().catch((error: unknown) => {
        failure ??= { error };
        stop.abort(error);
      }),
    );
    await Promise.all(workers);
    if (failure) throw failure.error;
    if (fetch.length >= SUSPICIOUS_404S && gone === fetch.length) {
      // Every one of many details "not found" is a wrong base URL or path, not a day of deleted games.
      throw new HttpError('HTTP_STATUS', `every one of the ${fetch.length} detail requests of ${ctx.assetKey} ${dt} answered 404`, {
        status: 404,
        hint: 'check RAWG_BASE_URL (it should end in /api); the committed details of this day are kept',
      });
    }

    const metadata = {
      listed: listed.size,
      fetched,
      carried,
      gone,
      invalid_records: invalid.count,
      invalid_samples: invalid.samples,
    };
    const responses = fetched + gone + invalid.count;
    await writer.commit({ pages: responses, requests, metadata });
    if (invalid.count > 0) ctx.logger.warn({ invalid: invalid.count, samples: invalid.samples }, 'invalid details kept apart');
    ctx.logger.info({ dt, listed: listed.size, fetched, carried, gone }, 'details ingested');
    return { rows: fetched + carried, pages: responses, requests, metadata: { dt, ...metadata } };
  } catch (error) {
    stop.abort();
    await writer.abort().catch(() => undefined);
    throw attachRequests(error, requests);
  }
}

/**
 * The versions of the commit this run replaces, or none when one of its files is damaged: then
 * every item is fetched again, which is what repairs the partition (`gmp lake repair`).
 */
async function ownVersions(ctx: AssetContext<IngestionResources>, committed: PartitionManifest, key: string, version: string, signal: AbortSignal): Promise<Versions> {
  try {
    return await readVersions(ctx.resources.lake, committed, key, version, signal);
  } catch (error) {
    if (!(error instanceof LakeError) || error.code !== 'LAKE_FILE_DAMAGED') throw error;
    ctx.logger.warn({ err: error.message }, `${ctx.assetKey}: the committed partition has a damaged file; every detail is fetched again`);
    return new Map();
  }
}

/** Each item's newest version in a committed partition (an item listed twice keeps the newer). */
async function readVersions(store: ObjectStore, manifest: PartitionManifest, key: string, version: string, signal: AbortSignal): Promise<Versions> {
  const versions: Versions = new Map();
  for await (const record of readRecords(store, manifest, { signal })) {
    const id = record[key] as ItemId;
    const v = typeof record[version] === 'string' ? record[version] : undefined;
    if (!versions.has(id) || isNewer(v, versions.get(id))) versions.set(id, v);
  }
  return versions;
}

/**
 * True when `a` is a later timestamp than `b`. RAWG writes `updated` without an offset: it is read
 * as UTC (never the machine's zone, whose DST gaps would reorder times). A missing listed version is
 * never newer; one that does not parse always is (fetching costs a request, keeping a stale detail
 * costs correctness).
 */
function isNewer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  const [ta, tb] = [utcMillis(a), utcMillis(b)];
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a !== b;
  return ta > tb;
}

function utcMillis(timestamp: string): number {
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(timestamp) ? timestamp : `${timestamp}Z`);
}
