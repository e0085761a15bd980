import { didYouMean } from './did-you-mean.js';
import { formatLocation } from './format-location.js';
import { locateCall } from './locate-call.js';
import type { Materialization, ModelFile } from './model.js';

export const MATERIALIZATIONS: readonly Materialization[] = ['view', 'table', 'incremental', 'partitioned', 'ephemeral'];
const CONFIG_KEYS = ['materialized', 'partition_by', 'unique_key', 'tags'];

export interface ModelConfig {
  materialized: Materialization;
  partitionBy: string | undefined;
  uniqueKey: string[] | undefined;
  tags: string[];
}

/**
 * Validates what a model's `config(...)` calls set, over its folder default; every problem
 * (unknown key, unknown materialization, a missing key the materialization needs) is returned.
 */
export function parseModelConfig(
  file: ModelFile,
  config: Record<string, unknown>,
  folderDefault: Materialization,
): { config: ModelConfig; problems: string[] } {
  const where = formatLocation(file.file, locateCall(file.template, 'config'));
  const problems: string[] = [];
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) problems.push(`${where}: unknown config key '${key}'${didYouMean(key, CONFIG_KEYS)}; known keys: ${CONFIG_KEYS.join(', ')}`);
  }
  let materialized = (config.materialized ?? folderDefault) as Materialization;
  if (!MATERIALIZATIONS.includes(materialized)) {
    problems.push(`${where}: config materialized='${String(materialized)}' is not one of ${MATERIALIZATIONS.join(', ')}`);
    materialized = folderDefault;
  }
  const partitionBy = config.partition_by === undefined || config.partition_by === null ? undefined : String(config.partition_by);
  if (materialized === 'partitioned' && partitionBy === undefined) {
    problems.push(`${where}: materialized='partitioned' needs partition_by='<date column>'`);
  }
  const keys = toStringList(config.unique_key);
  const uniqueKey = keys.length > 0 ? keys : undefined;
  if (materialized === 'incremental' && uniqueKey === undefined) {
    problems.push(`${where}: materialized='incremental' needs unique_key='<column>' (or a list of columns)`);
  }
  return { config: { materialized, partitionBy, uniqueKey, tags: toStringList(config.tags) }, problems };
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
