import { createHash } from 'node:crypto';
import { addDays, dateToKey, isPartitionKey, keyToDate, UsageError } from '../../core/index.js';
import { checkEvent, commitEventBatch, type LogEntry } from '../../ingestion/index.js';
import { createObjectStore, listCommittedPartitions } from '../../lake/index.js';
import type { SimulatedGame, Simulation, SimulationOptions } from '../../sandbox/index.js';
import type { Workspace } from '../workspace.js';
import { sendEvents, type SendEventsOptions, type SendReport } from './send-events.js';
import { simulationGames, type GamesSource } from './simulation-games.js';

const DAY_MS = 86_400_000;

/** What players to simulate; the same spec over the same window gives the same events. */
export interface SimulationSpec {
  seed: number;
  players: number;
  /** Default: marts.dim_games when built, else the sandbox catalogue. */
  games?: SimulatedGame[];
  anonymousRatio?: number;
  /** Share of events resent with the same id (default 0). */
  duplicateRatio?: number;
  /** Share of events delivered 1–6 hours late (default 0). */
  lateRatio?: number;
}

export interface SimulatedWindow {
  from: string;
  to: string;
  players: number;
  games: number;
  gamesFrom: GamesSource | 'given';
}

export interface SendSimulationOptions extends SimulationSpec, Omit<SendEventsOptions, 'url' | 'now' | 'onProgress'> {
  /** The collector's base URL. */
  to: string;
  /** The simulated window: this many days up to now (default 1). */
  days?: number;
  onProgress?: (report: SendReport) => void;
}

export interface SendSimulationReport extends SendReport {
  window: SimulatedWindow;
  seconds: number;
}

/**
 * Simulates players over the `days` up to now and sends their events to a collector (see
 * `sendEvents`: paced, batched, resent until acknowledged). Timestamps are the simulated ones;
 * `sent_at` is stamped when a batch goes out, so the collector keeps each event in its own hour.
 */
export async function sendSimulatedEvents(ws: Workspace, options: SendSimulationOptions): Promise<SendSimulationReport> {
  const started = Date.now();
  const end = ws.clock.now().getTime();
  const days = options.days ?? 1;
  positive('--days', days, false);
  const { simulation, window } = await prepare(ws, options, end - days * DAY_MS, end);
  const { to, onProgress, ...rest } = options;
  const report = await sendEvents(simulation.events(), { ...rest, url: to, now: () => ws.clock.now(), ...(onProgress ? { onProgress } : {}) });
  return { ...report, window, seconds: (Date.now() - started) / 1000 };
}

export interface LakeSimulationOptions extends SimulationSpec {
  days: number;
  /** Names the simulation in its id (`sim-<label>-<hash>`), so a caller can find its own later. */
  label?: string;
  /** The last simulated day, `YYYY-MM-DD` (default yesterday, UTC); a window reaching today stops at now. */
  end?: string;
  /** Events committed at a time (default 25,000): memory stays one chunk's worth. */
  chunkEvents?: number;
  signal?: AbortSignal;
  onProgress?: (progress: { events: number; through: string }) => void;
}

export interface LakeSimulationReport {
  window: SimulatedWindow;
  /** Names this simulation's commits in the partitions' manifests: the same spec and window, the same id. */
  logId: string;
  /** Where the lake is (a folder or an s3:// URL), for people to look. */
  lake: string;
  events: number;
  /** Events the contracts refused (kept in failed_events); a bug of the simulator if ever above 0. */
  failed: number;
  /** Hourly partition commits written, and those skipped because they held this simulation already. */
  partitions: number;
  skipped: number;
  seconds: number;
}

/**
 * Writes `days` days of simulated history straight into the lake's hourly event partitions
 * (`raw/events/events/dt=YYYY-MM-DDTHH`), as the collector would have: each event checked against
 * its contract and stamped (received when sent), committed in chunks with `commitEventBatch`.
 * Idempotent: every partition's manifest records this simulation's id and last chunk, so running
 * the same spec over the same window again writes nothing, and an interrupted run resumes where
 * it stopped. Another seed, spec or window is another simulation: its events are added.
 */
export async function writeSimulatedHistory(ws: Workspace, options: LakeSimulationOptions): Promise<LakeSimulationReport> {
  const started = Date.now();
  positive('--days', options.days, true);
  if (options.label !== undefined && !/^[a-z0-9]{1,20}$/.test(options.label)) throw new UsageError(`simulation label ${options.label}: expected 1-20 of a-z 0-9`);
  const today = dateToKey(ws.clock.now());
  const last = options.end ?? addDays(today, -1);
  if (!isPartitionKey(last)) throw new UsageError(`--end ${last}: expected a day, YYYY-MM-DD`);
  if (last > today) throw new UsageError(`--end ${last} is in the future`, { hint: `the simulated history ends by today (${today})` });
  const end = Math.min(keyToDate(last).getTime() + DAY_MS, ws.clock.now().getTime());
  const start = keyToDate(addDays(last, -(options.days - 1))).getTime();
  const { simulation, window, spec } = await prepare(ws, options, start, end);
  const logId = `sim-${options.label ? `${options.label}-` : ''}${createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 12)}`;
  const store = await createObjectStore(ws.config.lake);
  const chunk = options.chunkEvents ?? 25_000;
  // Old history is the point here: nothing of the window is too late for the lake.
  const lateWindowMs = ws.clock.now().getTime() - start + DAY_MS;
  const report: LakeSimulationReport = { window, logId, lake: describeLake(ws), events: 0, failed: 0, partitions: 0, skipped: 0, seconds: 0 };
  let entries: LogEntry[] = [];
  let segment = 0;
  const flush = async (): Promise<void> => {
    if (entries.length === 0) return;
    const result = await commitEventBatch(store, { logId, throughSegment: ++segment, entries }, { clock: ws.clock, lateWindowMs, ...(options.signal ? { signal: options.signal } : {}) });
    report.partitions += result.partitions;
    report.skipped += result.skipped;
    report.events += result.events;
    report.failed += result.failed + result.tooLate;
    const lastEntry = entries[entries.length - 1]!;
    options.onProgress?.({ events: report.events, through: lastEntry.kind === 'event' ? lastEntry.event.received_at : lastEntry.failure.received_at });
    entries = [];
  };
  for (const raw of simulation.events()) {
    options.signal?.throwIfAborted();
    const checked = checkEvent(raw, new Date(raw.sent_at), 'gmp-simulate');
    entries.push(checked.ok ? { kind: 'event', event: checked.event } : { kind: 'failed', failure: checked.failure });
    if (entries.length >= chunk) await flush();
  }
  await flush();
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

async function prepare(ws: Workspace, spec: SimulationSpec, start: number, end: number): Promise<{ simulation: Simulation; window: SimulatedWindow; spec: object }> {
  positive('--players', spec.players, true);
  const found = spec.games ? { games: spec.games, source: 'given' as const } : await simulationGames(ws);
  const options: SimulationOptions = {
    seed: spec.seed,
    players: spec.players,
    start,
    end,
    games: found.games,
    ...(spec.anonymousRatio === undefined ? {} : { anonymousRatio: spec.anonymousRatio }),
    ...(spec.duplicateRatio === undefined ? {} : { duplicateRatio: spec.duplicateRatio }),
    ...(spec.lateRatio === undefined ? {} : { lateRatio: spec.lateRatio }),
  };
  const { createSimulation } = await import('../../sandbox/index.js');
  const simulation = createSimulation(options);
  const window: SimulatedWindow = { from: new Date(start).toISOString(), to: new Date(end).toISOString(), players: spec.players, games: found.games.length, gamesFrom: found.source };
  // A simulation's identity: its spec and window. Not its games: a re-run after the marts gained
  // games is the same simulation, and must not add a second week for the same player ids.
  const identity = { seed: spec.seed, players: spec.players, start, end, anonymousRatio: options.anonymousRatio ?? null, duplicateRatio: options.duplicateRatio ?? 0, lateRatio: options.lateRatio ?? 0 };
  return { simulation, window, spec: identity };
}

function positive(name: string, value: number, whole: boolean): void {
  if (!(Number.isFinite(value) && value > 0 && (!whole || Number.isInteger(value)))) throw new UsageError(`${name} ${value}: expected a ${whole ? 'whole ' : ''}number above 0`);
}

function describeLake(ws: Workspace): string {
  const lake = ws.config.lake;
  return lake.type === 'local' ? lake.root : `s3://${lake.bucket}/${lake.prefix}`;
}

/** Ids of the simulations whose events the lake holds (`sim-…`, as the partitions' manifests name them), sorted. */
export async function simulationsInLake(ws: Workspace, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const store = await createObjectStore(ws.config.lake);
  const ids = new Set<string>();
  for (const manifest of await listCommittedPartitions(store, 'events', 'events', options)) {
    for (const id of Object.keys((manifest.metadata.wal ?? {}) as Record<string, number>)) if (id.startsWith('sim-')) ids.add(id);
  }
  return [...ids].sort();
}
