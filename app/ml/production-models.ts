import { createObjectStore, type ObjectStore } from '../../lake/index.js';
import { loadSavedModel, productionVersions, type GameModelDefinition, type LoadedModel, type ModelVersion } from '../../ml/index.js';
import { openStateStore, stateExists, type Workspace } from '../workspace.js';

export interface ServingModel {
  definition: GameModelDefinition;
  version: ModelVersion;
  model: LoadedModel;
}

// Saved models never change once written (a run's artifacts are immutable): cache them by lake and run.
const loaded = new Map<string, Promise<LoadedModel>>();
const MAX_CACHED = 16;

/** The lake of `ws`, opened once per workspace object. */
const lakes = new WeakMap<Workspace, Promise<ObjectStore>>();
export function lakeOf(ws: Workspace): Promise<ObjectStore> {
  let lake = lakes.get(ws);
  if (lake === undefined) {
    lake = createObjectStore(ws.config.lake);
    lakes.set(ws, lake);
  }
  return lake;
}

/** A registered version's model, loaded from the lake (cached). */
export async function loadVersion(ws: Workspace, version: ModelVersion): Promise<LoadedModel> {
  const lake = await lakeOf(ws);
  const key = `${lake.describe()}\u0000${version.runId}`;
  let model = loaded.get(key);
  if (model === undefined) {
    model = loadSavedModel(lake, version.runId);
    model.catch(() => loaded.delete(key));
    if (loaded.size >= MAX_CACHED) loaded.delete(loaded.keys().next().value!);
    loaded.set(key, model);
  }
  return model;
}

/**
 * The registry as serving reads it, per workspace, for at most REGISTRY_TTL_MS: an online
 * prediction then costs no state-store round trip, and a promotion is served within that time.
 */
const REGISTRY_TTL_MS = 2_000;
const registries = new WeakMap<Workspace, { at: number; versions: Promise<ModelVersion[]> }>();

async function registryOf(ws: Workspace): Promise<ModelVersion[]> {
  const cached = registries.get(ws);
  if (cached !== undefined && performance.now() - cached.at < REGISTRY_TTL_MS) return cached.versions;
  const versions = (async () => {
    const state = await openStateStore(ws);
    try {
      return await state.listModelVersions();
    } finally {
      await state.close();
    }
  })();
  registries.set(ws, { at: performance.now(), versions });
  versions.catch(() => registries.delete(ws));
  return versions;
}

/** After a promotion through this process: serve the new production version at once. */
export function forgetRegistry(ws: Workspace): void {
  registries.delete(ws);
}

/** The production version of each model (models without one are left out). */
export async function productionModels(ws: Workspace): Promise<ServingModel[]> {
  if (!stateExists(ws)) return [];
  const production = productionVersions(await registryOf(ws));
  return Promise.all(production.map(async ({ definition, version }) => ({ definition, version, model: await loadVersion(ws, version) })));
}
