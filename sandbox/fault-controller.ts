import type { FaultSpec, QueuedFaultSpec } from './fault-spec.js';

/** Queue of pending faults plus the latency added to every API response. */
export class FaultController {
  private readonly queue: { spec: QueuedFaultSpec; left: number }[] = [];
  private latency = 0;

  constructor(initial: readonly FaultSpec[] = [], latencyMs = 0) {
    this.setLatency(latencyMs);
    this.push(...initial);
  }

  /** Appends faults to the queue; a `latency` spec sets the latency instead. */
  push(...specs: FaultSpec[]): void {
    for (const spec of specs) {
      if (spec.type === 'latency') this.setLatency(spec.ms);
      else this.queue.push({ spec, left: spec.times ?? 1 });
    }
  }

  /** Drops every queued fault (latency is kept; set it to 0 with setLatency). */
  clear(): void {
    this.queue.length = 0;
  }

  /** Sets the latency added to every API response. */
  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number, got ${ms}`);
    this.latency = ms;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** The queued faults with their remaining counts, in consumption order. */
  pending(): QueuedFaultSpec[] {
    return this.queue.map(({ spec, left }) => ({ ...spec, times: left }));
  }

  /** Consumes one use of the first queued fault matching `path`, if any. */
  take(path: string): QueuedFaultSpec | undefined {
    const at = this.queue.findIndex(({ spec }) => spec.path === undefined || path.includes(spec.path));
    const entry = this.queue[at];
    if (entry === undefined) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.queue.splice(at, 1);
    return entry.spec;
  }
}
