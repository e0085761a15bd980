import { Counter, Gauge, type Registry } from 'prom-client';
import type { CollectorStats } from '../../app/index.js';

/**
 * The collector's figures, read from `stats()` at each scrape (nothing on the hot path): events
 * accepted, duplicates, failed by reason, the write-ahead log's backlog and oldest entry, and the
 * lake commits. `now` is the clock the collector stamps commits with.
 */
export function registerCollectorMetrics(registry: Registry, stats: () => CollectorStats, now: () => Date): void {
  const counter = (name: string, help: string, value: (s: CollectorStats) => number): void =>
    void new Counter({
      name, help, registers: [registry],
      collect() {
        this.reset();
        this.inc(value(stats()));
      },
    });
  const gauge = (name: string, help: string, value: (s: CollectorStats) => number): void =>
    void new Gauge({
      name, help, registers: [registry],
      collect() {
        this.set(value(stats()));
      },
    });
  counter('gmp_collector_events_accepted_total', 'Events made durable in the write-ahead log', (s) => s.accepted);
  counter('gmp_collector_events_duplicate_total', 'Events dropped because their event_id was seen in the recent window', (s) => s.duplicates);
  new Counter({
    name: 'gmp_collector_events_failed_total',
    help: 'Events refused (kept in failed_events), by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(stats().failedByReason)) this.inc({ reason }, n);
    },
  });
  gauge('gmp_collector_wal_backlog_bytes', 'Bytes durable in the write-ahead log and not yet committed to the lake', (s) => s.walBacklogBytes);
  gauge('gmp_collector_wal_oldest_entry_age_seconds', 'Age of the oldest write-ahead log entry not yet in the lake (0 when none waits)', (s) => (s.walOldestAgeMs ?? 0) / 1000);
  counter('gmp_collector_wal_syncs_total', 'fsyncs of the write-ahead log (group commits)', (s) => s.walSyncs);
  counter('gmp_collector_lake_commits_total', 'Commits of the write-ahead log into the lake that wrote something', (s) => s.commits);
  counter('gmp_collector_lake_committed_entries_total', 'Events and failures committed to the lake', (s) => s.committed);
  gauge('gmp_collector_lake_last_commit_timestamp_seconds', 'When the last successful commit ended (Unix seconds; 0 before the first)', (s) => (s.lastCommitAt ? Date.parse(s.lastCommitAt) / 1000 : 0));
  gauge('gmp_collector_lake_commit_lag_seconds', commitLagHelp, (s) => commitLagSeconds(s, now()));
  gauge('gmp_collector_lake_commit_failing', 'Whether the last commit attempt failed (1) or not (0)', (s) => (s.lastCommitError ? 1 : 0));
}

const commitLagHelp = 'Seconds since the last successful lake commit while entries wait in the write-ahead log (capped at the oldest entry age; 0 when none waits)';

/** now − last successful commit (or the opening), but never more than the oldest waiting entry's age: an idle collector has no lag. */
export function commitLagSeconds(s: CollectorStats, now: Date): number {
  if (s.walOldestAgeMs === null) return 0;
  const since = now.getTime() - Date.parse(s.lastCommitAt ?? s.openedAt);
  return Math.max(0, Math.min(since, s.walOldestAgeMs)) / 1000;
}
