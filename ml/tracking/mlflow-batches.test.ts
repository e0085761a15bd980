import { describe, expect, it } from 'vitest';
import { MLFLOW_LIMITS, planLogBatches, type LogBatch } from './mlflow-batches.js';
import type { MetricPoint } from './run-record.js';

const points = (key: string, n: number): MetricPoint[] => Array.from({ length: n }, (_, step) => ({ key, value: step / 10, step, timestamp: 1_000 + step }));
const entities = (b: LogBatch) => b.metrics.length + b.params.length + b.tags.length;
const bodyBytes = (b: LogBatch) => Buffer.byteLength(JSON.stringify({ run_id: 'x'.repeat(32), ...b }));

function expectWithinLimits(batches: LogBatch[]): void {
  for (const b of batches) {
    expect(b.metrics.length).toBeLessThanOrEqual(MLFLOW_LIMITS.metricsPerBatch);
    expect(b.params.length).toBeLessThanOrEqual(MLFLOW_LIMITS.paramsPerBatch);
    expect(b.tags.length).toBeLessThanOrEqual(MLFLOW_LIMITS.tagsPerBatch);
    expect(entities(b)).toBeLessThanOrEqual(MLFLOW_LIMITS.entitiesPerBatch);
    expect(entities(b)).toBeGreaterThan(0);
    // MLflow refuses a log-batch body over 1 MB.
    expect(bodyBytes(b)).toBeLessThan(1_000_000);
  }
}

describe('planLogBatches', () => {
  it('sends a small run in one request', () => {
    const batches = planLogBatches({ eta: '0.1' }, { 'gmp.run_id': 'r1' }, points('rmse', 50));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ params: [{ key: 'eta', value: '0.1' }], tags: [{ key: 'gmp.run_id', value: 'r1' }] });
    expect(batches[0]!.metrics.map((m) => m.step)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('splits past 100 params, 100 tags and 1000 metrics, losing and reordering nothing', () => {
    const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, String(i)]));
    const tags = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`t${i}`, String(i)]));
    const metrics = [...points('train_rmse', 1500), ...points('validation_rmse', 1500)];
    const batches = planLogBatches(params, tags, metrics);

    expectWithinLimits(batches);
    expect(batches.flatMap((b) => b.params.map((p) => p.key))).toEqual(Object.keys(params));
    expect(batches.flatMap((b) => b.tags.map((t) => t.key))).toEqual(Object.keys(tags));
    expect(batches.flatMap((b) => b.metrics.map((m) => `${m.key}@${m.step}`))).toEqual(metrics.map((m) => `${m.key}@${m.step}`));
  });

  it('keeps each request under MLflow\'s 1 MB body limit when values are long', () => {
    const params = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, 'é'.repeat(6_000)]));
    const tags = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`t${i}`, 'é'.repeat(8_000)]));
    const batches = planLogBatches(params, tags, []);
    expect(batches.length).toBeGreaterThan(2);
    expectWithinLimits(batches);
  });

  it('cuts values longer than MLflow keeps at its limit, counting characters as MLflow does', () => {
    const [batch] = planLogBatches({ columns: 'a'.repeat(7_000), emoji: '😀'.repeat(6_001) }, { note: 'b'.repeat(9_000), short: 'ok' }, []);
    const params = Object.fromEntries(batch!.params.map((p) => [p.key, p.value]));
    const tags = Object.fromEntries(batch!.tags.map((t) => [t.key, t.value]));
    expect(params.columns).toBe('a'.repeat(6_000));
    // 6000 emoji, not 3000 and never half of a surrogate pair.
    expect(params.emoji).toBe('😀'.repeat(6_000));
    expect(tags).toEqual({ note: 'b'.repeat(8_000), short: 'ok' });
  });

  it('sends NaN and the infinities as the strings MLflow reads, and whole timestamps and steps', () => {
    const [batch] = planLogBatches({}, {}, [
      { key: 'rmse', value: Number.NaN, step: 0, timestamp: 1.4 },
      { key: 'rmse', value: Infinity, step: 1, timestamp: 2 },
      { key: 'rmse', value: -Infinity, step: 2, timestamp: 3 },
      { key: 'rmse', value: 0.25, step: 3, timestamp: 4 },
    ]);
    expect(batch!.metrics).toEqual([
      { key: 'rmse', value: 'NaN', step: 0, timestamp: 1 },
      { key: 'rmse', value: 'Infinity', step: 1, timestamp: 2 },
      { key: 'rmse', value: '-Infinity', step: 2, timestamp: 3 },
      { key: 'rmse', value: 0.25, step: 3, timestamp: 4 },
    ]);
  });

  it('plans nothing for a run with nothing to log', () => {
    expect(planLogBatches({}, {}, [])).toEqual([]);
  });
});
