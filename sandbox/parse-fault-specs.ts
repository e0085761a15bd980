import { UsageError } from '../core/index.js';
import type { FaultSpec } from './fault-spec.js';

const ITEM = /^(429|500|502|503|504|hang|truncate|malformed)(?:x(\d+))?(?::retry=(\d+))?(?:@(\S+))?$/;
const LATENCY = /^latency=(\d+)$/;

/**
 * Parses the CLI fault syntax: comma-separated `KIND[xTIMES][:retry=SECONDS][@PATH]` items, KIND one
 * of 429 500 502 503 504 hang truncate malformed, plus `latency=MS`. Example:
 * "429x2:retry=1@/games,503x3,500,truncate,malformed,hang,latency=20".
 */
export function parseFaultSpecs(text: string): FaultSpec[] {
  const specs: FaultSpec[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const latency = LATENCY.exec(item);
    if (latency !== null) {
      specs.push({ type: 'latency', ms: Number(latency[1]) });
      continue;
    }
    const match = ITEM.exec(item);
    if (match === null) {
      throw new UsageError(`invalid fault "${item}"`, {
        hint: 'use KIND[xTIMES][:retry=SECONDS][@PATH] with KIND in 429,500,502,503,504,hang,truncate,malformed, or latency=MS',
      });
    }
    const [, kind, count, retry, path] = match;
    const times = count === undefined ? undefined : Number(count);
    if (times === 0) throw new UsageError(`invalid fault "${item}": times must be at least 1`);
    const common = { ...(times === undefined ? {} : { times }), ...(path === undefined ? {} : { path }) };
    if (kind === 'hang' || kind === 'truncate' || kind === 'malformed') {
      if (retry !== undefined) throw new UsageError(`invalid fault "${item}": retry= only applies to status faults`);
      specs.push({ type: kind, ...common });
    } else {
      const status = Number(kind) as 429 | 500 | 502 | 503 | 504;
      specs.push({ type: 'status', status, ...common, ...(retry === undefined ? {} : { retryAfterSeconds: Number(retry) }) });
    }
  }
  return specs;
}
