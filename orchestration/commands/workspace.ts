import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import {
  createLogger,
  loadConfig,
  packageRoot,
  silentLogger,
  systemClock,
  type Clock,
  type Config,
  type Logger,
} from '../../core/index.js';
import { loadProject, type Project } from '../../transform/index.js';
import { dialectFor } from '../../warehouse/index.js';
import { buildPipelineGraph, type PipelineResources } from '../definitions/index.js';
import type { AssetGraph } from '../graph/index.js';
import { createStateStore, type StateStore } from '../state/index.js';

/** A loaded, validated pipeline: configuration, models and the asset graph. Opening one writes nothing. */
export interface Workspace {
  config: Config;
  clock: Clock;
  project: Project;
  graph: AssetGraph<PipelineResources>;
  /** Where JSON logs go once a run starts: a file under GMP_HOME/logs, or stderr. */
  logTo: 'file' | 'stderr';
}

export interface OpenWorkspaceOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  clock?: Clock;
  /** Overrides applied after the environment (the demo points RAWG at its sandbox). */
  override?: (config: Config) => Config;
  logTo?: 'file' | 'stderr';
}

/** Loads config (ConfigError), models and graph (DefinitionError). Performs no writes. */
export function openWorkspace(options: OpenWorkspaceOptions = {}): Workspace {
  const base = loadConfig(options.env ?? process.env, options.cwd ?? process.cwd());
  const config = options.override ? options.override(base) : base;
  const project = loadProject({
    dir: path.join(packageRoot(), 'models'),
    dialect: dialectFor(config.warehouse.type),
    env: options.env ?? process.env,
  });
  return { config, clock: options.clock ?? systemClock, project, graph: buildPipelineGraph(project), logTo: options.logTo ?? 'file' };
}

/** Opens the state store named by the config (creating it on first use). */
export function openStateStore(ws: Workspace): Promise<StateStore> {
  return createStateStore(ws.config.state);
}

/** False only for an embedded SQLite state file that was never created (so reads create nothing). */
export function stateExists(ws: Workspace): boolean {
  return ws.config.state.type !== 'sqlite' || existsSync(ws.config.state.path);
}

/** The run logger: JSON lines with run id, asset and partition, redacted. */
export function openRunLogger(ws: Workspace): Logger {
  if (ws.config.logLevel === 'silent') return silentLogger;
  if (ws.logTo === 'stderr') return createLogger({ level: ws.config.logLevel });
  const dir = path.join(ws.config.home, 'logs');
  mkdirSync(dir, { recursive: true });
  return createLogger({
    level: ws.config.logLevel,
    destination: pino.destination({ dest: path.join(dir, 'gmp.jsonl'), sync: true, append: true }),
  });
}
