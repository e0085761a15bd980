/**
 * The `event_id`s seen lately, to drop a retried batch in the collector (staging deduplicates
 * authoritatively). Bounded by count: the oldest ids fall out first.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 200_000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }

  delete(id: string): void {
    this.ids.delete(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
