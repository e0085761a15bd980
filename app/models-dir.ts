import path from 'node:path';
import { findProjectRoot, loadConfig } from '../core/index.js';
import { modelsDirOf } from './workspace.js';

/**
 * The models folder: `projectDir` when given, else the project's GMP_MODELS_DIR, else gmp's own
 * models/. Reads the configuration leniently (no warehouse credentials needed to compile).
 */
export async function modelsDirFor(projectDir?: string): Promise<string> {
  if (projectDir !== undefined) return path.resolve(projectDir);
  return modelsDirOf(loadConfig(process.env, findProjectRoot(process.cwd()), { requireWarehouseCredentials: false }));
}
