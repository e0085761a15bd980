import { registerSecret } from '../../core/index.js';
import type { AlertEvaluation } from './evaluate-alerts.js';

const DELIVERY_TIMEOUT_MS = 10_000;

/** The notice's one line: what fired or resolved, its value and threshold. */
export function alertText(e: AlertEvaluation, kind: 'firing' | 'resolved'): string {
  const head = kind === 'firing' ? `[FIRING] ${e.alert} (${e.severity})` : `[RESOLVED] ${e.alert}`;
  return `${head}: ${e.condition}; ${e.detail}${e.description ? ` — ${e.description}` : ''}`;
}

/**
 * POSTs `{"text": …}` (Slack's incoming-webhook shape, which Mattermost, Teams connectors and
 * most chat tools accept) and resolves with the receiver's status. Rejects with a message that
 * never contains the URL: it is a secret (it carries the webhook's token).
 */
export async function postToWebhook(url: string, text: string, signal?: AbortSignal): Promise<number> {
  registerSecret(url);
  const timeout = AbortSignal.timeout(DELIVERY_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }), signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.name : 'error');
    throw new Error(`the webhook did not answer (${code})`);
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
  return res.status;
}
