import type { AssetContext } from '../../core/index.js';

const INVALID_SAMPLES = 5;

/** Items that failed their schema: counted, a few sampled for the run record, never fatal. */
export class InvalidItems {
  count = 0;
  readonly samples: unknown[] = [];

  add(item: unknown, issues: readonly { path: PropertyKey[]; message: string }[], where: Record<string, unknown>, primaryKey: string): void {
    this.count++;
    if (this.samples.length >= INVALID_SAMPLES) return;
    this.samples.push({
      ...where,
      id: (item as Record<string, unknown> | null)?.[primaryKey] ?? null,
      issues: issues.slice(0, 3).map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`),
    });
  }
}

export function requirePartition(ctx: AssetContext<unknown>): string {
  if (ctx.partitionKey === null) throw new Error(`${ctx.assetKey} is partitioned daily: a partition key is required`);
  return ctx.partitionKey;
}

/** Failed runs still spend budget; the executor reads this to record the requests made. */
export function attachRequests(error: unknown, requests: number): unknown {
  if (error !== null && typeof error === 'object') (error as { requests?: number }).requests = requests;
  return error;
}
