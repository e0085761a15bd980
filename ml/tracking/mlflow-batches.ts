import type { MetricPoint } from './run-record.js';

/** MLflow's limits for one `runs/log-batch` request (mlflow/utils/validation.py) and for values. */
export const MLFLOW_LIMITS = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  entitiesPerBatch: 1000,
  /** The server refuses a log-batch body over 1 MB; this leaves room for the envelope. */
  batchBytes: 900_000,
  paramValueChars: 6000,
  tagValueChars: 8000,
} as const;

export interface MlflowKeyValue {
  key: string;
  value: string;
}

/** A metric as MLflow's JSON takes it: NaN and the infinities travel as the strings protobuf reads. */
export interface MlflowMetric {
  key: string;
  value: number | 'NaN' | 'Infinity' | '-Infinity';
  timestamp: number;
  step: number;
}

export interface LogBatch {
  metrics: MlflowMetric[];
  params: MlflowKeyValue[];
  tags: MlflowKeyValue[];
}

/**
 * Splits a run's params, tags and metrics into log-batch requests within MLflow's limits (counts
 * per kind, entities per request, body size), params and tags first, in their given order. Values
 * longer than MLflow keeps are cut to its limit, as its own server would.
 */
export function planLogBatches(params: Record<string, string>, tags: Record<string, string>, metrics: readonly MetricPoint[]): LogBatch[] {
  const batches: LogBatch[] = [];
  let current: LogBatch = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  const add = (kind: keyof LogBatch, entity: MlflowKeyValue | MlflowMetric, limit: number) => {
    const size = Buffer.byteLength(JSON.stringify(entity)) + 1;
    const entities = current.metrics.length + current.params.length + current.tags.length;
    if (current[kind].length >= limit || entities >= MLFLOW_LIMITS.entitiesPerBatch || (entities > 0 && bytes + size > MLFLOW_LIMITS.batchBytes)) {
      batches.push(current);
      current = { metrics: [], params: [], tags: [] };
      bytes = 0;
    }
    (current[kind] as (typeof entity)[]).push(entity);
    bytes += size;
  };
  for (const [key, value] of Object.entries(params)) add('params', { key, value: cut(value, MLFLOW_LIMITS.paramValueChars) }, MLFLOW_LIMITS.paramsPerBatch);
  for (const [key, value] of Object.entries(tags)) add('tags', { key, value: cut(value, MLFLOW_LIMITS.tagValueChars) }, MLFLOW_LIMITS.tagsPerBatch);
  for (const point of metrics) add('metrics', toMlflowMetric(point), MLFLOW_LIMITS.metricsPerBatch);
  if (current.metrics.length + current.params.length + current.tags.length > 0) batches.push(current);
  return batches;
}

function toMlflowMetric(point: MetricPoint): MlflowMetric {
  const value = Number.isNaN(point.value) ? 'NaN' : point.value === Infinity ? 'Infinity' : point.value === -Infinity ? '-Infinity' : point.value;
  return { key: point.key, value, timestamp: Math.round(point.timestamp), step: Math.round(point.step) };
}

/** The first `max` code points of `text` (MLflow counts Python characters), never half a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  return points.length <= max ? text : points.slice(0, max).join('');
}
