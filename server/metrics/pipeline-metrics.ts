import { Gauge, Histogram, type Registry } from 'prom-client';
import { pipelineSnapshot, type PipelineSnapshot, type Workspace } from '../../app/index.js';

/**
 * `gmp serve`'s pipeline figures, computed from the state store at each scrape (one snapshot a
 * scrape, shared by every metric): runs and steps by status, step durations, RAWG requests
 * against the budget, and how far each daily asset's newest partition is behind yesterday. When
 * the state store cannot be read, `gmp_pipeline_state_up` is 0 and the others have no samples.
 */
export function registerPipelineMetrics(registry: Registry, ws: Workspace): void {
  let cached: { at: number; snapshot: Promise<PipelineSnapshot | null> } | undefined;
  // Prometheus scrapes every metric in one pass: they share one read of the state store.
  const snapshot = (): Promise<PipelineSnapshot | null> => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), snapshot: pipelineSnapshot(ws).catch(() => null) };
    return cached.snapshot;
  };
  const labelled = (name: string, help: string, labelNames: string[], fill: (s: PipelineSnapshot, set: (labels: Record<string, string>, v: number) => void) => void): void =>
    void new Gauge({
      name, help, labelNames, registers: [registry],
      async collect() {
        this.reset();
        const s = await snapshot();
        if (s) fill(s, (labels, v) => this.set(labels, v));
      },
    });
  new Gauge({
    name: 'gmp_pipeline_state_up', help: 'Whether the state store could be read for this scrape (1) or not (0)', registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  labelled('gmp_runs', 'Runs recorded in the state store, by status', ['status'], (s, set) => {
    for (const [status, n] of Object.entries(s.runsByStatus)) set({ status }, n);
  });
  labelled('gmp_steps', 'Steps (asset materializations) of the newest 10,000 recorded, by status', ['status'], (s, set) => {
    for (const [status, n] of Object.entries(s.stepsByStatus)) set({ status }, n);
  });
  new Histogram({
    name: 'gmp_step_duration_seconds',
    help: 'Durations of the newest 10,000 recorded steps, by asset kind and status',
    labelNames: ['kind', 'status'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
    async collect() {
      this.reset();
      for (const d of (await snapshot())?.stepDurations ?? []) this.observe({ kind: d.kind, status: d.status }, d.seconds);
    },
  });
  labelled('gmp_rawg_requests', 'RAWG API requests spent this UTC day and month, per endpoint ledger', ['endpoint', 'period'], (s, set) => {
    for (const b of s.budgets) {
      set({ endpoint: b.endpoint, period: 'day' }, b.usage.day);
      set({ endpoint: b.endpoint, period: 'month' }, b.usage.month);
    }
  });
  labelled('gmp_rawg_request_budget', 'RAWG API requests allowed per UTC day and month (no day sample without a daily cap)', ['endpoint', 'period'], (s, set) => {
    for (const b of s.budgets) {
      set({ endpoint: b.endpoint, period: 'month' }, b.limits.perMonth);
      if (b.limits.perDay !== undefined) set({ endpoint: b.endpoint, period: 'day' }, b.limits.perDay);
    }
  });
  labelled('gmp_rawg_requests_remaining', 'RAWG API requests still allowed now (the tighter of the day and the month)', ['endpoint'], (s, set) => {
    for (const b of s.budgets) set({ endpoint: b.endpoint }, b.remaining);
  });
  labelled('gmp_partition_lag_days', "Days the newest materialized partition of a daily asset is behind yesterday (UTC); assets never materialized have no sample", ['asset'], (s, set) => {
    for (const p of s.partitionLag) set({ asset: p.asset }, p.days);
  });
}
