import type { Command } from 'commander';

/**
 * A `gmp` command as `gmp --help` lists it, and how to load its definition: only the command a
 * run names is loaded (with what it imports), so `gmp --help` loads none. `term` and
 * `description` must be what the loaded definition shows (cli/commands/index.test.ts checks).
 */
export interface CommandEntry {
  /** The name, `[options]` when it has any, then its arguments: `partitions [options] <asset>`. */
  term: string;
  description: string;
  /** Resolves to the function that adds the command (and its subcommands) to the program. */
  load: () => Promise<(program: Command) => void>;
}

/** Every command, in `gmp --help` order: one line each. */
export const COMMANDS: readonly CommandEntry[] = [
  { term: 'demo [options]', load: () => import('./demo.js').then((m) => m.registerDemo), description: 'run the main job on the embedded default: snapshots, the last 7 days of rawg/games, every model' },
  { term: 'materialize [options]', load: () => import('./materialize.js').then((m) => m.registerMaterialize), description: 'materialize selected assets for one partition (a day or an hour) or a range of them' },
  { term: 'backfill [options]', load: () => import('./backfill.js').then((m) => m.registerBackfill), description: 'materialize a range of daily (or hourly) partitions as a persisted, resumable backfill' },
  { term: 'assets [options]', load: () => import('./assets.js').then((m) => m.registerAssets), description: 'list every asset: key, kind, group, partitions and direct dependencies' },
  { term: 'runs [options]', load: () => import('./runs.js').then((m) => m.registerRuns), description: 'list recent runs with their status, partitions, rows and API requests (`gmp runs show ID` for one)' },
  { term: 'partitions [options] <asset>', load: () => import('./partitions.js').then((m) => m.registerPartitions), description: "show an asset's materialized, failed and missing partitions as compact ranges (hourly assets: hours per day)" },
  { term: 'budget [options]', load: () => import('./budget.js').then((m) => m.registerBudget), description: 'API requests used today and this month against the request budget, per endpoint' },
  { term: 'status [options]', load: () => import('./status.js').then((m) => m.registerStatus), description: "freshness of every asset (partition D is due by D+1 06:00 UTC, hour H by H+2h), source freshness from sources.yml, the latest results of its checks, and the readers' snapshot (DuckDB)" },
  { term: 'test [options]', load: () => import('./test.js').then((m) => m.registerTest), description: 'run the tests of the selected models (yml and models/tests/*.sql) against what is already materialized' },
  { term: 'query [options] <sql>', load: () => import('./query.js').then((m) => m.registerQuery), description: 'run one read-only SQL query against the warehouse' },
  { term: 'compile [options]', load: () => import('./compile.js').then((m) => m.registerCompile), description: 'print (or write) the compiled SQL of each model for a target, without touching the warehouse' },
  { term: 'warehouse', load: () => import('./warehouse.js').then((m) => m.registerWarehouse), description: 'prepare the configured warehouse (GMP_WAREHOUSE_URL)' },
  { term: 'lineage [options] <asset>', load: () => import('./lineage.js').then((m) => m.registerLineage), description: 'asset, model and column lineage from the compiled SQL (no warehouse needed)' },
  { term: 'ml', load: () => import('./ml.js').then((m) => m.registerMl), description: 'prediction models: training runs, versions and aliases, promotion, predictions' },
  { term: 'docs [options]', load: () => import('./docs.js').then((m) => m.registerDocs), description: 'write a static, offline docs page: assets, models, columns, tests, checks and the lineage graph' },
  { term: 'dashboards', load: () => import('./dashboards.js').then((m) => m.registerDashboards), description: 'dashboards as code: Markdown pages with named SQL blocks, charts and filters (list, check, export, deliver)' },
  { term: 'serve [options]', load: () => import('./serve.js').then((m) => m.registerServe), description: 'serve the HTTP API (and its reference at /api/docs) for this project, on loopback' },
  { term: 'collect [options]', load: () => import('./collect.js').then((m) => m.registerCollect), description: 'collect player telemetry and store events over HTTP into a write-ahead log, acknowledging only what is durable' },
  { term: 'simulate [options]', load: () => import('./simulate.js').then((m) => m.registerSimulate), description: 'simulate players (personas, sessions, store and game events) into a collector or the lake: synthetic, seeded' },
  { term: 'sources', load: () => import('./sources.js').then((m) => m.registerSources), description: 'the sources that may send events to gmp collect, each with a write key (add, list, revoke)' },
  { term: 'events', load: () => import('./events.js').then((m) => m.registerEvents), description: 'live events in the lake (commit-landed: the cloud path’s commit step; compact: old hours into daily Parquet)' },
  { term: 'lake', load: () => import('./lake.js').then((m) => m.registerLake), description: "check the lake's committed files against their manifests (verify), and repair a damaged partition (repair)" },
  { term: 'users', load: () => import('./users.js').then((m) => m.registerUsers), description: 'accounts of `gmp serve`: viewers read, operators launch and cancel, admins manage accounts' },
  { term: 'tokens', load: () => import('./users.js').then((m) => m.registerTokens), description: 'API tokens of `gmp serve` (sent as Authorization: Bearer …): shown once, stored hashed, expiring, revocable' },
  { term: 'sandbox [options]', load: () => import('./sandbox.js').then((m) => m.registerSandbox), description: 'serve the synthetic RAWG-compatible API on loopback (for demos and tests)' },
  { term: 'daemon [options]', load: () => import('./daemon.js').then((m) => m.registerDaemon), description: 'run the schedules: daily games at 03:00 UTC, taxonomy snapshots on Mondays at 04:00 UTC' },
  { term: 'alerts', load: () => import('./alerts.js').then((m) => m.registerAlerts), description: 'the alert rules gmp daemon evaluates each loop (alerts.yml): list them, or test them now' },
];

/** The command's name: the first word of its term. */
export function commandName(entry: CommandEntry): string {
  return entry.term.split(' ')[0]!;
}
