import { addHours, isHourKey } from '../core/index.js';
import type { PartitionRange } from './warehouse.js';

/**
 * The SQL predicate selecting a partition slice of `column` (already quoted): days inclusive
 * (`BETWEEN DATE a AND DATE b`), or, when the range is of UTC hours (`YYYY-MM-DDTHH`), the
 * half-open window `[a, b + 1h)` over a timestamp column holding UTC times.
 */
export function slicePredicate(column: string, range: PartitionRange, quoteLiteral: (value: string) => string): string {
  if (!isHourKey(range.start)) return `${column} BETWEEN DATE ${quoteLiteral(range.start)} AND DATE ${quoteLiteral(range.end)}`;
  const at = (hour: string) => `TIMESTAMP ${quoteLiteral(`${hour.slice(0, 10)} ${hour.slice(11, 13)}:00:00`)}`;
  return `${column} >= ${at(range.start)} AND ${column} < ${at(addHours(range.end, 1))}`;
}
