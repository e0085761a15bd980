import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { SWAP_LOCK_TIMEOUT_MS } from '../warehouse/postgres/index.js';
import { createPostgresDriver } from '../warehouse/postgres/postgres-driver.js';
import { quantile } from './quantile.js';
import { progress } from './progress.js';

/** One reader query: when it was sent and when its answer came, in performance.now() ms. */
interface Sample {
  start: number;
  end: number;
}

/** One rebuild's transaction: begun, swap statement sent, COMMIT sent, committed. */
interface Rebuild {
  start: number;
  swapStart: number;
  commitStart: number;
  end: number;
}

export interface LatencySummary {
  queries: number;
  p50: number;
  p99: number;
  max: number;
}

export interface SwapPauseOptions {
  /** The database holding the built models. */
  url: string;
  /** The relation swapped and read, e.g. `marts.dim_games`. */
  relation: string;
  /** gmp's statements rebuilding it (one transaction, as a model step runs them). */
  statements: readonly string[];
  rebuilds: number;
  /** How long readers are timed with no rebuild running. */
  restMs: number;
  /** Rebuilds run while one long reader holds the table (the lock the swap must wait for). */
  longReaderRebuilds: number;
  /** How long the long reader holds the table after the swap first asks for it. */
  longReaderHoldSeconds: number;
}

export interface SwapPauseFigures {
  relation: string;
  rebuildSeconds: number[];
  /** From the swap statement sent to COMMIT returned, per rebuild: how long readers can be held up. */
  swapMs: number[];
  /** The COMMIT alone (the swap's lock is held through it: it flushes the build's WAL). */
  commitMs: number[];
  atRest: LatencySummary;
  /** Readers' queries sent while the new table was built beside the live one (CREATE … AS, ANALYZE). */
  duringBuild: LatencySummary;
  /**
   * Readers' queries sent during a swap (the DO block and COMMIT): the ones it can hold up. A query
   * already running when the swap starts is waited for, never delayed, so it counts where it was sent.
   */
  duringSwap: LatencySummary;
  /** The worst reader latency during a swap above the at-rest median: the pause a BI user notices. */
  addedWaitMs: number;
  /** Failed lock attempts of the swap (lock_timeout then back-off), seen in pg_stat_activity. */
  swapRetries: number;
  readerErrors: number;
  longReader: {
    holdSeconds: number;
    /** The swap's wait per lock attempt: the longest it makes other readers queue, each time. */
    lockTimeoutMs: number;
    rebuildSeconds: number[];
    swapMs: number[];
    /** Queries of the readers other than the long one, sent during the swaps (waits and retries included). */
    otherReaders: LatencySummary;
    addedWaitMs: number;
    swapRetries: number;
    readerErrors: number;
  };
}

const READER_APP = 'gmp-bench-reader';
const LONG_READER_APP = 'gmp-bench-long-reader';
/** How the Postgres dialect's swap statement begins (it is the last of a table's statements). */
const SWAP_PREFIX = 'DO $gmp_swap$';
const MONITOR_POLL_MS = 5;

/**
 * The BI-visible pause of a table swap: a reader connection counts `relation` in a tight loop
 * while gmp's statements rebuild it, `rebuilds` times back to back; then the same with a long
 * reader (a SELECT on the table held open with pg_sleep) started with each rebuild, so the swap
 * must wait for it. A monitor connection polls pg_stat_activity to count the swap's lock retries
 * (its pg_sleep back-offs). Throws when a rebuild fails; a failed reader query is counted.
 */
export async function measureSwapPause(options: SwapPauseOptions): Promise<SwapPauseFigures> {
  const swap = options.statements.at(-1) ?? '';
  if (!swap.startsWith(SWAP_PREFIX)) throw new Error(`the statements rebuilding ${options.relation} no longer end with the swap block: update bench/swap-pause.ts`);
  const driver = createPostgresDriver({ url: options.url });
  const reader = await connect(options.url, READER_APP);
  const monitor = await connect(options.url, 'gmp-bench-monitor');
  const countSql = `SELECT count(*) FROM ${options.relation}`;
  // What the warehouse's execute() does with several statements (BEGIN, each, COMMIT on one of its
  // driver's sessions), timed at the swap statement so readers can be told apart by phase.
  const rebuild = (): Promise<Rebuild> =>
    driver.withSession(async (session) => {
      const start = performance.now();
      let swapStart = start;
      let commitStart = start;
      await session.query('BEGIN');
      try {
        for (const sql of options.statements) {
          if (sql === swap) swapStart = performance.now();
          await session.query(sql);
        }
        commitStart = performance.now();
        await session.query('COMMIT');
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return { start, swapStart, commitStart, end: performance.now() };
    });
  try {
    progress(`postgres-warehouse: swap pause: readers at rest for ${options.restMs} ms`);
    const rest = await readWhile(reader, countSql, sleep(options.restMs));
    const atRest = summarize(rest.samples.map(duration));

    progress(`postgres-warehouse: swap pause: ${options.rebuilds} rebuilds of ${options.relation} under a tight reader loop`);
    const tight = await underReaders(reader, monitor, countSql, async () => {
      const rebuilds: Rebuild[] = [];
      for (let i = 0; i < options.rebuilds; i++) rebuilds.push(await rebuild());
      return rebuilds;
    });
    const duringSwap = summarize(sentDuring(tight.samples, tight.rebuilds.map(swapPhase)).map(duration));

    // The long reader starts with the rebuild and holds the table until about holdSeconds after
    // the swap first asks for it (the build beside takes about its median above).
    const buildMs = quantile(sortedCopy(tight.rebuilds.map((r) => duration(buildPhase(r)))), 0.5);
    const holdSeconds = round1(buildMs / 1000 + options.longReaderHoldSeconds);
    progress(`postgres-warehouse: swap pause: ${options.longReaderRebuilds} rebuilds with a ${holdSeconds} s reader holding ${options.relation}`);
    const long = await connect(options.url, LONG_READER_APP);
    let held: Promise<unknown> = Promise.resolve();
    try {
      const withLong = await underReaders(reader, monitor, countSql, async () => {
        const rebuilds: Rebuild[] = [];
        for (let i = 0; i < options.longReaderRebuilds; i++) {
          held = long.query(`SELECT n, pg_sleep(${holdSeconds}) FROM (SELECT count(*) AS n FROM ${options.relation}) AS t`);
          await waitUntilHolding(monitor, LONG_READER_APP, held);
          rebuilds.push(await rebuild());
          await held;
        }
        return rebuilds;
      });
      const others = summarize(sentDuring(withLong.samples, withLong.rebuilds.map(swapPhase)).map(duration));
      return {
        relation: options.relation,
        rebuildSeconds: tight.rebuilds.map((r) => round1(duration(r) / 1000)),
        swapMs: tight.rebuilds.map((r) => round1(duration(swapPhase(r)))),
        commitMs: tight.rebuilds.map((r) => round1(r.end - r.commitStart)),
        atRest,
        duringBuild: summarize(sentDuring(tight.samples, tight.rebuilds.map(buildPhase)).map(duration)),
        duringSwap,
        addedWaitMs: round1(duringSwap.max - atRest.p50),
        swapRetries: tight.retries,
        readerErrors: rest.errors + tight.errors,
        longReader: {
          holdSeconds,
          lockTimeoutMs: SWAP_LOCK_TIMEOUT_MS,
          rebuildSeconds: withLong.rebuilds.map((r) => round1(duration(r) / 1000)),
          swapMs: withLong.rebuilds.map((r) => round1(duration(swapPhase(r)))),
          otherReaders: others,
          addedWaitMs: round1(others.max - atRest.p50),
          swapRetries: withLong.retries,
          readerErrors: withLong.errors,
        },
      };
    } finally {
      await held.catch(() => undefined);
      await long.end();
    }
  } finally {
    await Promise.all([reader.end(), monitor.end(), driver.close()]);
  }
}

async function connect(url: string, application: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: application });
  await client.connect();
  return client;
}

/** Runs `work` while the reader loops and the monitor counts swap retries. */
async function underReaders(reader: pg.Client, monitor: pg.Client, sql: string, work: () => Promise<Rebuild[]>): Promise<{ rebuilds: Rebuild[]; samples: Sample[]; errors: number; retries: number }> {
  const done = work();
  const [read, retries, rebuilds] = await Promise.all([readWhile(reader, sql, done), countSwapRetries(monitor, done), done]);
  return { rebuilds, samples: read.samples, errors: read.errors, retries };
}

/** Sends `sql` back to back until `until` settles; a failed query is counted, not thrown (a BI user would see it). */
async function readWhile(client: pg.Client, sql: string, until: Promise<unknown>): Promise<{ samples: Sample[]; errors: number }> {
  let finished = false;
  void until.then(
    () => (finished = true),
    () => (finished = true),
  );
  const samples: Sample[] = [];
  let errors = 0;
  while (!finished) {
    const start = performance.now();
    try {
      await client.query(sql);
      samples.push({ start, end: performance.now() });
    } catch (error) {
      errors++;
      progress(`postgres-warehouse: reader error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { samples, errors };
}

/**
 * Polls the swap's backend until `until` settles; each time it is seen entering pg_sleep inside
 * the swap's DO block is one failed lock attempt (the block sleeps only after lock_timeout).
 */
async function countSwapRetries(monitor: pg.Client, until: Promise<unknown>): Promise<number> {
  let finished = false;
  void until.then(
    () => (finished = true),
    () => (finished = true),
  );
  let retries = 0;
  let sleeping = false;
  while (!finished) {
    const { rows } = await monitor.query<{ wait_event: string | null }>(
      "SELECT wait_event FROM pg_stat_activity WHERE application_name = 'gmp' AND state = 'active' AND left(query, 13) = $1",
      [SWAP_PREFIX],
    );
    const now = rows.some((r) => r.wait_event === 'PgSleep');
    if (now && !sleeping) retries++;
    sleeping = now;
    await sleep(MONITOR_POLL_MS);
  }
  return retries;
}

/** Resolves once the long reader's query is running (so it holds its lock before the rebuild starts); throws if it ends first. */
async function waitUntilHolding(monitor: pg.Client, application: string, query: Promise<unknown>): Promise<void> {
  let ended = false;
  void query.then(
    () => (ended = true),
    () => (ended = true),
  );
  for (;;) {
    const { rows } = await monitor.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND wait_event = 'PgSleep'", [application]);
    if (rows.length > 0) return;
    if (ended) throw new Error(`the long reader's query ended before it was seen holding the table: ${String(await query.catch((e: unknown) => e))}`);
    await sleep(MONITOR_POLL_MS);
  }
}

function buildPhase(r: Rebuild): Sample {
  return { start: r.start, end: r.swapStart };
}

function swapPhase(r: Rebuild): Sample {
  return { start: r.swapStart, end: r.end };
}

function sentDuring(samples: readonly Sample[], windows: readonly Sample[]): Sample[] {
  return samples.filter((s) => windows.some((w) => s.start >= w.start && s.start < w.end));
}

function duration(w: { start: number; end: number }): number {
  return w.end - w.start;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function summarize(ms: readonly number[]): LatencySummary {
  const sorted = sortedCopy(ms);
  return { queries: sorted.length, p50: round1(quantile(sorted, 0.5)), p99: round1(quantile(sorted, 0.99)), max: round1(sorted.at(-1) ?? Number.NaN) };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
