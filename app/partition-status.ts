import { DefinitionError, UsageError, dailyPartitions, hourlyPartitions, isHourKey, unpartitioned, type PartitionsDefinition } from '../core/index.js';
import { INGESTION_SPECS, type PartitionRun } from '../orchestration/index.js';
import { ingestionPartitions } from './partition-status-ingestion.js';
import { partitionStatusReport, type PartitionStatusReport } from './partition-status-ranges.js';
import { openStateStore, stateExists, type Workspace } from './workspace.js';

export { compactPartitionRanges, formatHoursByDay, formatPartitionRanges, hoursByDay, partitionStatusReport } from './partition-status-ranges.js';
export type { HoursByDay, PartitionGrain, PartitionRange, PartitionState, PartitionStatusReport } from './partition-status-ranges.js';

/**
 * The materialized, failed and missing partitions of `asset` as compact ranges. An ingestion
 * asset's partitions come from its endpoint, so the models are not loaded for it. Throws
 * UsageError (NOT_FOUND) for an unknown asset.
 */
export async function partitionStatus(ws: Workspace, asset: string): Promise<PartitionStatusReport> {
  const runs = stateExists(ws) ? await readRuns(ws, asset) : [];
  const { def, note } = partitionsOf(ws, asset, runs);
  return partitionStatusReport(asset, def, runs, ws.clock, note);
}

/**
 * The asset's partitions definition: an ingestion asset's from its endpoint (the graph builds it
 * from the same spec), any other's from the graph; while the models do not load, from what runs
 * recorded (and a note saying so).
 */
function partitionsOf(ws: Workspace, asset: string, runs: readonly PartitionRun[]): { def: PartitionsDefinition; note?: string } {
  const ingestion = ingestionPartitions(asset, INGESTION_SPECS.values());
  if (ingestion !== undefined) return { def: ingestion };
  try {
    if (!ws.graph.assets.has(asset)) {
      throw new UsageError(`unknown asset "${asset}"`, { code: 'NOT_FOUND', hint: 'list assets with `gmp assets`' });
    }
    return { def: ws.graph.get(asset).partitions };
  } catch (error) {
    if (!(error instanceof DefinitionError)) throw error;
    if (runs.length === 0) throw new UsageError(`"${asset}" is not an ingestion asset and has no recorded runs, and the models do not load`, { hint: 'fix the models first: `gmp compile` lists every problem' });
    // Runs come in key order: the first partitioned one starts with the first key.
    const first = runs.find((r) => r.from !== null)?.from ?? undefined;
    return {
      def: first === undefined ? unpartitioned : isHourKey(first) ? hourlyPartitions(first) : dailyPartitions(first),
      note: `the models have ${error.problems.length} definition problem(s) (\`gmp compile\` lists them): partitions shown as recorded by past runs`,
    };
  }
}

async function readRuns(ws: Workspace, asset: string): Promise<PartitionRun[]> {
  const state = await openStateStore(ws);
  try {
    return await state.partitionRuns(asset);
  } finally {
    await state.close();
  }
}
