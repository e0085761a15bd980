import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import {
  createLogger,
  findProjectRoot,
  loadConfig,
  packageRoot,
  silentLogger,
  systemClock,
  type Clock,
  type Config,
  type Logger,
} from '../core/index.js';
import { loadProject, type Project } from '../transform/index.js';
import { dialectFor, sqlParserDialect } from '../warehouse/index.js';
import { type AssetGraph, buildPipelineGraph, createStateStore, type PipelineResources, type StateStore } from '../orchestration/index.js';

/**
 * A validated configuration and, loaded on first use, the models and the asset graph: commands
 * that need no models (query, runs, budget, backfill list) work while a model is broken.
 */
export interface Workspace {
  config: Config;
  clock: Clock;
  /** Values for the models' var('x'), as given with --vars (dbt's habit). */
  readonly vars: Readonly<Record<string, unknown>>;
  /** The models folder's project; throws DefinitionError (every problem, file:line) on first use. */
  readonly project: Project;
  /** The same models compiled for the SQL parser that reads column lineage (the project itself when the warehouse speaks its dialect). */
  readonly lineageProject: Project;
  /** The asset graph; throws like `project`. */
  readonly graph: AssetGraph<PipelineResources>;
  /** Where JSON logs go once a run starts: a file under GMP_HOME/logs, or stderr. */
  logTo: 'file' | 'stderr';
  /** Set by `shareStateStore`: one long-lived state store for a server's many short reads. */
  sharedState?: { store?: Promise<StateStore>; closed: boolean };
}

export interface OpenWorkspaceOptions {
  env?: NodeJS.ProcessEnv;
  /** The project folder (default: found from the current folder, see findProjectRoot). */
  cwd?: string;
  clock?: Clock;
  /** Overrides applied after the environment (the demo points RAWG at its sandbox). */
  override?: (config: Config) => Config;
  logTo?: 'file' | 'stderr';
  /** Values for var('x') in the models. */
  vars?: Readonly<Record<string, unknown>>;
}

/** The models folder a configuration names: GMP_MODELS_DIR, else the models/ gmp ships. */
export function modelsDirOf(config: Config): string {
  return config.modelsDir ?? path.join(packageRoot(), 'models');
}

/** The dashboards folder a configuration names: GMP_DASHBOARDS_DIR, else the dashboards/ gmp ships. */
export function dashboardsDirOf(config: Config): string {
  return config.dashboardsDir ?? path.join(packageRoot(), 'dashboards');
}

/** Loads config (ConfigError) now, models and graph (DefinitionError) on first use. Performs no writes. */
export function openWorkspace(options: OpenWorkspaceOptions = {}): Workspace {
  const env = options.env ?? process.env;
  const base = loadConfig(env, options.cwd ?? findProjectRoot(process.cwd()));
  const config = options.override ? options.override(base) : base;
  return makeWorkspace(config, options.clock ?? systemClock, options.logTo ?? 'file', env, options.vars ?? {});
}

/** The same workspace with other var('x') values (a resumed backfill gets the vars it started with). */
export function workspaceWithVars(ws: Workspace, vars: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv = process.env): Workspace {
  return makeWorkspace(ws.config, ws.clock, ws.logTo, env, vars);
}

function makeWorkspace(config: Config, clock: Clock, logTo: Workspace['logTo'], env: NodeJS.ProcessEnv, vars: Readonly<Record<string, unknown>>): Workspace {
  let project: Project | undefined;
  let graph: AssetGraph<PipelineResources> | undefined;
  let lineageProject: Project | undefined;
  const loaded = (): Project => (project ??= loadProject({ dir: modelsDirOf(config), dialect: dialectFor(config.warehouse.type), env, vars }));
  return {
    config,
    clock,
    logTo,
    vars,
    get project() {
      return loaded();
    },
    get lineageProject() {
      if (dialectFor(config.warehouse.type) === sqlParserDialect) return loaded();
      return (lineageProject ??= loadProject({ dir: modelsDirOf(config), dialect: sqlParserDialect, env, vars }));
    },
    get graph() {
      return (graph ??= buildPipelineGraph(loaded()));
    },
  };
}

/** Opens the state store named by the config (creating it on first use). */
export function openStateStore(ws: Workspace): Promise<StateStore> {
  const shared = ws.sharedState;
  if (shared === undefined || shared.closed) return createStateStore(ws.config.state);
  // Opened on first use (so a server's reads create no state file either); callers' close() is a no-op.
  shared.store ??= createStateStore(ws.config.state);
  const store = shared.store;
  store.catch(() => {
    if (shared.store === store) shared.store = undefined; // a failed open is retried next time
  });
  return store.then((s) => ({ ...s, close: async () => undefined }));
}

/**
 * Makes every `openStateStore(ws)` hand out one long-lived store (a connection, or a Postgres
 * pool) instead of opening one per call: a server answers hundreds of reads a second. Returns
 * the function that closes it; after that, calls open their own store again.
 */
export function shareStateStore(ws: Workspace): () => Promise<void> {
  const shared: NonNullable<Workspace['sharedState']> = { closed: false };
  ws.sharedState = shared;
  return async () => {
    shared.closed = true;
    if (ws.sharedState === shared) delete ws.sharedState;
    await (await shared.store?.catch(() => undefined))?.close();
  };
}

/** False only for an embedded SQLite state file that was never created (so reads create nothing). */
export function stateExists(ws: Workspace): boolean {
  return ws.config.state.type !== 'sqlite' || existsSync(ws.config.state.path);
}

/** A warning line of the run log, as `openRunLogger`'s `onWarning` receives it. */
export interface LoggedWarning {
  msg: string;
  asset?: string;
  partition?: string | null;
}

/**
 * The run logger: JSON lines with run id, asset and partition, redacted. With `onWarning`, every
 * warning line is also handed over, whatever GMP_LOG_LEVEL says, so a run can show
 * its warnings in text output.
 */
export function openRunLogger(ws: Workspace, options: { onWarning?: (w: LoggedWarning) => void } = {}): Logger {
  const level = ws.config.logLevel;
  const streams: { level: string; stream: pino.DestinationStream }[] = [];
  if (level !== 'silent') {
    if (ws.logTo === 'stderr') {
      streams.push({ level, stream: pino.destination({ fd: 2, sync: true }) });
    } else {
      const dir = path.join(ws.config.home, 'logs');
      mkdirSync(dir, { recursive: true });
      streams.push({ level, stream: pino.destination({ dest: path.join(dir, 'gmp.jsonl'), sync: true, append: true }) });
    }
  }
  if (options.onWarning) {
    const onWarning = options.onWarning;
    streams.push({
      level: 'warn',
      stream: {
        write(line: string) {
          try {
            const { msg, asset, partition, level } = JSON.parse(line) as LoggedWarning & { level: number };
            // Errors are the run's failures, reported with their steps.
            if (level === pino.levels.values.warn) onWarning({ msg: String(msg), ...(asset !== undefined ? { asset } : {}), ...(partition !== undefined ? { partition } : {}) });
          } catch {
            // A line that is not JSON cannot be a pino line: nothing to report.
          }
        },
      },
    });
  }
  if (streams.length === 0) return silentLogger;
  const lowest = streams.map((s) => s.level).sort((a, b) => pino.levels.values[a]! - pino.levels.values[b]!)[0]!;
  return createLogger({ level: lowest, destination: pino.multistream(streams) });
}
