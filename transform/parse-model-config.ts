import { didYouMean } from './did-you-mean.js';
import { formatLocation } from './format-location.js';
import { locateCall } from './locate-call.js';
import type { Materialization, ModelFile } from './model.js';

export const MATERIALIZATIONS: readonly Materialization[] = ['view', 'table', 'incremental', 'partitioned', 'ephemeral'];
const CONFIG_KEYS = ['materialized', 'partition_by', 'unique_key', 'tags'];

/** The grain of a partitioned model's slices: UTC days (`dt = D`) or UTC hours (`[H, H+1h)`). */
export type PartitionGrain = 'day' | 'hour';
const GRAINS: readonly PartitionGrain[] = ['day', 'hour'];

export interface ModelConfig {
  materialized: Materialization;
  partitionBy: string | undefined;
  /** Set for partitioned models: `day` unless partition_by says `granularity: 'hour'`. */
  partitionGrain?: PartitionGrain;
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
  // Located only when there is a problem to report (a scan of the template per model otherwise).
  let located: string | undefined;
  const problems: string[] = [];
  const where = (): string => (located ??= formatLocation(file.file, locateCall(file.template, 'config')));
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.includes(key)) problems.push(`${where()}: unknown config key '${key}'${didYouMean(key, CONFIG_KEYS)}; known keys: ${CONFIG_KEYS.join(', ')}`);
  }
  let materialized = (config.materialized ?? folderDefault) as Materialization;
  if (!MATERIALIZATIONS.includes(materialized)) {
    problems.push(`${where()}: config materialized='${String(materialized)}' is not one of ${MATERIALIZATIONS.join(', ')}`);
    materialized = folderDefault;
  }
  const { partitionBy, grain } = parsePartitionBy(config.partition_by, where, problems);
  if (materialized === 'partitioned' && partitionBy === undefined) {
    problems.push(`${where()}: materialized='partitioned' needs partition_by='<date column>'`);
  }
  const keys = toStringList(config.unique_key);
  const uniqueKey = keys.length > 0 ? keys : undefined;
  if (materialized === 'incremental' && uniqueKey === undefined) {
    problems.push(`${where()}: materialized='incremental' needs unique_key='<column>' (or a list of columns)`);
  }
  const partitionGrain = materialized === 'partitioned' ? { partitionGrain: grain } : {};
  return { config: { materialized, partitionBy, ...partitionGrain, uniqueKey, tags: toStringList(config.tags) }, problems };
}

// `partition_by='dt'` slices by day; `partition_by={'field': 'event_hour', 'granularity': 'hour'}`
// (dbt-bigquery's spelling) by UTC hour.
function parsePartitionBy(value: unknown, where: () => string, problems: string[]): { partitionBy: string | undefined; grain: PartitionGrain } {
  if (value === undefined || value === null) return { partitionBy: undefined, grain: 'day' };
  if (typeof value !== 'object' || Array.isArray(value)) return { partitionBy: String(value), grain: 'day' };
  const spec = value as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (key !== 'field' && key !== 'granularity') problems.push(`${where()}: unknown partition_by key '${key}'; known keys: field, granularity`);
  }
  const field = typeof spec.field === 'string' && spec.field.trim() !== '' ? spec.field : undefined;
  if (field === undefined) problems.push(`${where()}: partition_by needs 'field': the column the slices are cut on`);
  const grain = (spec.granularity ?? 'day') as PartitionGrain;
  if (!GRAINS.includes(grain)) {
    problems.push(`${where()}: partition_by granularity '${String(spec.granularity)}' is not one of ${GRAINS.join(', ')}`);
    return { partitionBy: field, grain: 'day' };
  }
  return { partitionBy: field, grain };
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}
