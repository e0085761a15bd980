import { UsageError, resolvePartitionKey } from '../core/index.js';
import { createObjectStore, verifyLake, type LakeFileCheck, type ObjectStore } from '../lake/index.js';
import { RAW_ENTITIES, lakeMirrorDir, type RawEntity } from '../orchestration/index.js';
import type { Workspace } from './workspace.js';

export interface LakeVerifyInput {
  /** Only this lake dataset (`rawg/games`, `events/events`, …). */
  asset?: string;
  /** Only this partition: a day (an hourly dataset's every hour of it), an hour, `today` or `yesterday`. */
  partition?: string;
  signal?: AbortSignal;
  /** Each check as it completes (progress; damaged ones are also in the result). */
  onCheck?: (check: LakeFileCheck) => void;
}

export interface LakeVerifyReport {
  /** The lake, as `describe()` names it (no credentials). */
  lake: string;
  asset?: string;
  partition?: string;
  /** Files (lake files and cached copies) and manifests checked. */
  checked: number;
  /** The damaged ones, sorted by key, each with the command that repairs its partition. */
  damaged: LakeFileCheck[];
}

/**
 * Checks every file the lake's committed manifests name (and, for a remote lake, the local
 * mirror's cached copies) against its manifest: missing, another size, another SHA-256. Reads the
 * whole selection. Throws UsageError for an asset that is not a lake dataset or a bad partition.
 */
export async function verifyLakeFiles(ws: Workspace, input: LakeVerifyInput = {}): Promise<LakeVerifyReport> {
  const entity = input.asset === undefined ? undefined : lakeEntity(input.asset);
  const partition = input.partition === undefined ? undefined : resolvePartitionKey(input.partition, ws.clock.now());
  const store = await createObjectStore(ws.config.lake);
  const checks = await verifyLake(store, {
    ...(entity ? { source: entity.source, entity: entity.entity } : {}),
    ...(partition ? { partition } : {}),
    ...mirrorOf(ws, store),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onCheck ? { onCheck: input.onCheck } : {}),
  });
  return {
    lake: store.describe(),
    ...(input.asset ? { asset: input.asset } : {}),
    ...(partition ? { partition } : {}),
    checked: checks.length,
    damaged: checks.filter((c) => !c.ok),
  };
}

/** The lake dataset an asset key names; UsageError listing them when it names none. */
export function lakeEntity(asset: string): RawEntity {
  const found = RAW_ENTITIES.find((e) => `${e.source}/${e.entity}` === asset);
  if (found === undefined) {
    throw new UsageError(`${asset} is not a dataset of the lake`, {
      code: 'SELECTION_INVALID',
      hint: `the lake holds ${RAW_ENTITIES.map((e) => `${e.source}/${e.entity}`).join(', ')}`,
    });
  }
  return found;
}

/** The local mirror of a remote lake (where raw views read its files from), for its copies to be checked. */
export function mirrorOf(ws: Workspace, store: ObjectStore): { cacheDir?: string } {
  return store.localPathFor === undefined ? { cacheDir: lakeMirrorDir(ws.config) } : {};
}
