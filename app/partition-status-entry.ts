// A lazy entry (eslint/module-boundaries.js): `gmp partitions` on an ingestion asset loads config,
// the state store and the endpoint specs only, not the engine (lake, warehouse, models) that
// app/index.js pulls in: on 100,000 recorded partitions that is most of the command's time.
import { existsSync } from 'node:fs';
import { findProjectRoot, loadConfig, systemClock } from '../core/index.js';
import { RAWG_DETAIL_ENDPOINTS, RAWG_ENDPOINTS } from '../ingestion/sources/rawg/index.js';
import type { PartitionRun } from '../orchestration/index.js';
import { createStateStore } from '../orchestration/state/create-state-store.js';
import { ingestionPartitions } from './partition-status-ingestion.js';
import { partitionStatusReport, type PartitionStatusReport } from './partition-status-ranges.js';
import type { OpenWorkspaceOptions } from './workspace.js';

export { formatHoursByDay, formatPartitionRanges } from './partition-status-ranges.js';
export type { PartitionStatusReport } from './partition-status-ranges.js';

/**
 * `partitionStatus` on the workspace `options` open, for one asset: the same report, and the same
 * errors (ConfigError, UsageError NOT_FOUND, DefinitionError); an ingestion asset's is read without
 * loading the models or the engine.
 */
export async function readPartitionStatus(asset: string, options: Omit<OpenWorkspaceOptions, 'override'> = {}): Promise<PartitionStatusReport> {
  const def = ingestionPartitions(asset, [...RAWG_ENDPOINTS, ...RAWG_DETAIL_ENDPOINTS]);
  if (def === undefined) {
    const [{ openWorkspace }, { partitionStatus }] = await Promise.all([import('./workspace.js'), import('./partition-status.js')]);
    return partitionStatus(openWorkspace(options), asset);
  }
  const env = options.env ?? process.env;
  const config = loadConfig(env, options.cwd ?? findProjectRoot(process.cwd()));
  // An embedded state file that was never created stays so: a read creates nothing.
  let runs: PartitionRun[] = [];
  if (config.state.type !== 'sqlite' || existsSync(config.state.path)) {
    const state = await createStateStore(config.state);
    try {
      runs = await state.partitionRuns(asset);
    } finally {
      await state.close();
    }
  }
  return partitionStatusReport(asset, def, runs, options.clock ?? systemClock);
}
