import { UsageError } from '../../core/index.js';
import type { Workspace } from '../workspace.js';
import { describeCondition, loadAlertRules, type AlertFile } from './alert-rules.js';
import { readAlertMemory, writeAlertMemory, type RememberedAlert } from './alert-memory.js';
import { alertText, postToWebhook } from './deliver-alert.js';
import { evaluateAlerts, type AlertEvaluation, type AlertState } from './evaluate-alerts.js';

/** A firing or resolved notice and where it went: the webhook, the log only (no webhook set), or nowhere yet (retried next time). */
export interface AlertNotice {
  alert: string;
  kind: 'firing' | 'resolved';
  text: string;
  delivered: 'webhook' | 'log' | 'failed';
  httpStatus: number | null;
  error: string | null;
}

interface AlertOptions {
  /** Where the webhook variable is read (default process.env). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * The daemon's duty each loop: evaluates every rule, remembers each one's state, and sends a
 * notice when a rule starts firing and once when it resolves — never the same firing twice.
 * A notice the webhook refused is retried at the next call. Throws DefinitionError for a bad file.
 */
export async function checkAlerts(ws: Workspace, options: AlertOptions = {}): Promise<{ evaluations: AlertEvaluation[]; notices: AlertNotice[] }> {
  const alerts = loadAlertRules(ws.config);
  const evaluations = await evaluateAlerts(ws, alerts, options.signal ? { signal: options.signal } : {});
  const before = readAlertMemory(ws);
  const memory: Record<string, RememberedAlert> = {};
  const notices: AlertNotice[] = [];
  for (const e of evaluations) {
    const prev = before[e.alert];
    const kind = e.state === 'firing' && prev?.notified !== 'firing' ? 'firing' : e.state === 'ok' && prev?.notified === 'firing' ? 'resolved' : null;
    let notified = prev?.notified ?? null;
    if (kind) {
      const notice = await notify(ws, alerts, e, kind, options);
      notices.push(notice);
      if (notice.delivered !== 'failed') notified = kind;
    }
    memory[e.alert] = { state: e.state, since: prev?.state === e.state ? prev.since : e.at, value: e.value, detail: e.detail, evaluatedAt: e.at, notified };
  }
  writeAlertMemory(ws, memory);
  return { evaluations, notices };
}

/**
 * `gmp alerts test`: evaluates now (one rule or all) without touching the daemon's memory; with
 * `deliver`, sends every firing one to the webhook. Throws UsageError for an unknown rule, or when
 * delivery is asked and the file names no webhook variable or it is unset.
 */
export async function testAlerts(ws: Workspace, options: AlertOptions & { only?: string; deliver?: boolean } = {}): Promise<{ evaluations: AlertEvaluation[]; notices: AlertNotice[] }> {
  const alerts = loadAlertRules(ws.config);
  if (options.only !== undefined && !alerts.rules.some((r) => r.name === options.only)) {
    throw new UsageError(`no alert rule named "${options.only}" in ${alerts.file}`, { code: 'NOT_FOUND', hint: `rules: ${alerts.rules.map((r) => r.name).join(', ') || '(none)'}` });
  }
  if (options.deliver && !webhookUrl(ws, alerts, options.env)) {
    throw new UsageError(`${webhookEnvOf(alerts)} is not set: it holds the webhook alerts go to`, {
      hint: 'set the variable to your Slack-compatible incoming-webhook URL (in .env or the environment)',
    });
  }
  const evaluations = await evaluateAlerts(ws, alerts, { ...(options.only ? { only: options.only } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const notices: AlertNotice[] = [];
  if (options.deliver) for (const e of evaluations) if (e.state === 'firing') notices.push(await notify(ws, alerts, e, 'firing', options));
  return { evaluations, notices };
}

export interface AlertListing {
  file: string;
  collectorUrl: string | null;
  /** The variable's name and whether it is set; never its value. */
  webhook: { env: string; set: boolean };
  rules: { alert: string; kind: 'metric' | 'sql'; severity: string; condition: string; description: string | null; state: AlertState | 'unknown'; since: string | null; value: number | null; detail: string | null; evaluatedAt: string | null }[];
}

/** `gmp alerts list`: the rules and the state the daemon last saw (`unknown` before its first look). */
export function listAlerts(ws: Workspace, options: { env?: NodeJS.ProcessEnv } = {}): AlertListing {
  const alerts = loadAlertRules(ws.config);
  const memory = readAlertMemory(ws);
  return {
    file: alerts.file,
    collectorUrl: alerts.collectorUrl,
    webhook: { env: webhookEnvOf(alerts), set: webhookUrl(ws, alerts, options.env) !== undefined },
    rules: alerts.rules.map((r) => {
      const m = memory[r.name];
      return { alert: r.name, kind: r.kind, severity: r.severity, condition: describeCondition(r), description: r.description, state: m?.state ?? 'unknown', since: m?.since ?? null, value: m?.value ?? null, detail: m?.detail ?? null, evaluatedAt: m?.evaluatedAt ?? null };
    }),
  };
}

const webhookEnvOf = (alerts: AlertFile): string => alerts.webhookEnv ?? 'GMP_ALERTS_WEBHOOK_URL';

/** GMP_ALERTS_WEBHOOK_URL, or the variable the file names (read where the daemon runs, as dashboard deliveries are). */
function webhookUrl(ws: Workspace, alerts: AlertFile, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = alerts.webhookEnv === null ? ws.config.alertsWebhookUrl : env[alerts.webhookEnv]?.trim();
  return url ? url : undefined;
}

async function notify(ws: Workspace, alerts: AlertFile, e: AlertEvaluation, kind: 'firing' | 'resolved', options: AlertOptions): Promise<AlertNotice> {
  const text = alertText(e, kind);
  const url = webhookUrl(ws, alerts, options.env);
  if (!url) return { alert: e.alert, kind, text, delivered: 'log', httpStatus: null, error: null };
  try {
    const status = await postToWebhook(url, text, options.signal);
    return { alert: e.alert, kind, text, delivered: 'webhook', httpStatus: status, error: null };
  } catch (error) {
    return { alert: e.alert, kind, text, delivered: 'failed', httpStatus: null, error: error instanceof Error ? error.message : String(error) };
  }
}
