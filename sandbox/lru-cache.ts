/**
 * A least-recently-used cache bounded by a total weight (e.g. array lengths), not an entry count:
 * one cached 1M-id list must be able to evict many small ones.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private weight = 0;

  constructor(private readonly maxWeight: number) {}

  /** The cached value (refreshing its recency), or undefined. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores a value, evicting the least recently used entries beyond the weight budget. */
  set(key: K, value: V, weight: number): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.weight -= old.weight;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, weight });
    this.weight += weight;
    for (const [k, entry] of this.entries) {
      // Never evict the entry just stored, even if it alone exceeds the budget.
      if (this.weight <= this.maxWeight || k === key) break;
      this.entries.delete(k);
      this.weight -= entry.weight;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
