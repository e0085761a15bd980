import { queryWarehouse } from '../query.js';
import type { Workspace } from '../workspace.js';
import { describeCondition, type AlertFile, type AlertRule } from './alert-rules.js';
import { readMetricsText, sumSamples, type MetricSample } from './read-metrics.js';

/** `firing` past the threshold, `ok` within it, `no_data` nothing to judge yet, `error` the source failed. */
export type AlertState = 'firing' | 'ok' | 'no_data' | 'error';

export interface AlertEvaluation {
  alert: string;
  severity: AlertRule['severity'];
  condition: string;
  description: string | null;
  state: AlertState;
  value: number | null;
  /** Why no data, what failed, or the value against the threshold. */
  detail: string;
  at: string;
}

const FETCH_TIMEOUT_MS = 10_000;

/**
 * Evaluates the rules now (only `only` when given): metric rules against one scrape of the
 * collector's /metrics (with GMP_COLLECT_WRITE_KEY as its bearer key when set), SQL rules against
 * the warehouse opened for readers. A table that does not exist yet, a query returning no row or
 * NULL, no collector URL: `no_data`. Never throws for a rule; each carries its own outcome.
 */
export async function evaluateAlerts(ws: Workspace, alerts: AlertFile, options: { only?: string; signal?: AbortSignal } = {}): Promise<AlertEvaluation[]> {
  let scrape: Promise<MetricSample[]> | undefined;
  const metrics = (): Promise<MetricSample[]> => (scrape ??= scrapeCollector(ws, alerts.collectorUrl!, options.signal));
  const out: AlertEvaluation[] = [];
  for (const rule of alerts.rules) {
    if (options.only !== undefined && rule.name !== options.only) continue;
    const base = { alert: rule.name, severity: rule.severity, condition: describeCondition(rule), description: rule.description };
    const outcome = rule.kind === 'metric' ? await metricValue(rule, alerts.collectorUrl === null ? null : metrics) : await sqlValue(ws, rule.sql, options.signal);
    out.push({ ...base, ...judge(rule, outcome), at: ws.clock.now().toISOString() });
  }
  return out;
}

type Outcome = { value: number } | { state: 'no_data' | 'error'; detail: string };

function judge(rule: AlertRule, outcome: Outcome): Pick<AlertEvaluation, 'state' | 'value' | 'detail'> {
  if (!('value' in outcome)) return { state: outcome.state, value: null, detail: outcome.detail };
  const v = outcome.value;
  const firing = rule.above !== null ? v > rule.above : v < rule.below!;
  const threshold = rule.above !== null ? `above ${rule.above}` : `below ${rule.below}`;
  return { state: firing ? 'firing' : 'ok', value: v, detail: `value ${round(v)} ${firing ? 'is' : 'is not'} ${threshold}` };
}

async function metricValue(rule: Extract<AlertRule, { kind: 'metric' }>, metrics: (() => Promise<MetricSample[]>) | null): Promise<Outcome> {
  if (metrics === null) return { state: 'no_data', detail: 'no collector to read: set GMP_COLLECTOR_URL, or collector_url in the alerts file' };
  let samples: MetricSample[];
  try {
    samples = await metrics();
  } catch (error) {
    return { state: 'error', detail: error instanceof Error ? error.message : String(error) };
  }
  // A counter with labels (failed by reason) has no sample before its first increment: 0 in a ratio.
  const value = sumSamples(samples, rule.metric, rule.labels);
  if (rule.per.length === 0) return value === null ? { state: 'no_data', detail: `the collector exposes no ${rule.metric} sample yet` } : { value };
  const per = rule.per.reduce((a, name) => a + (sumSamples(samples, name) ?? 0), 0);
  return per === 0 ? { state: 'no_data', detail: `${rule.per.join(' + ')} is 0: nothing to divide by yet` } : { value: (value ?? 0) / per };
}

async function scrapeCollector(ws: Workspace, url: string, signal?: AbortSignal): Promise<MetricSample[]> {
  const key = ws.config.collectWriteKey;
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(`${url}/metrics`, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.name : 'error');
    throw new Error(`the collector at ${url} did not answer (${code})`);
  }
  if (!res.ok) throw new Error(`the collector at ${url} answered /metrics with HTTP ${res.status}${res.status === 401 ? ' (set GMP_COLLECT_WRITE_KEY to a key it accepts)' : ''}`);
  return readMetricsText(await res.text());
}

async function sqlValue(ws: Workspace, sql: string, signal?: AbortSignal): Promise<Outcome> {
  try {
    const [row] = await queryWarehouse(ws, sql, signal ? { signal } : {});
    if (!row) return { state: 'no_data', detail: 'the query returned no row' };
    const raw = 'value' in row ? row.value : Object.values(row)[0];
    if (raw === null || raw === undefined) return { state: 'no_data', detail: 'the query returned NULL' };
    const value = Number(raw);
    return Number.isFinite(value) ? { value } : { state: 'error', detail: `the query returned ${JSON.stringify(String(raw))}, not a number` };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    // A mart not built yet (or no warehouse at all) is nothing to judge, not a failure.
    if (/does not exist|no such table|not found|no warehouse/i.test(message)) return { state: 'no_data', detail: message };
    return { state: 'error', detail: message };
  }
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
