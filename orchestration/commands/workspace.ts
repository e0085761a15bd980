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
