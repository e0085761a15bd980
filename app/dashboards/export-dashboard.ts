import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { UsageError, registerSecret } from '../../core/index.js';
import { escapeHtml as e } from '../docs/index.js';
import type { Workspace } from '../workspace.js';
import { DASHBOARD_CSS, EXPORT_BASE_CSS } from './dashboard-css.js';
import { renderDashboardBody } from './render-dashboard.js';
import { runDashboard, type DashboardRun } from './run-dashboard.js';

const run = promisify(execFile);

/** A page rendered as one HTML document with its styles inline: no script, no request, opens anywhere. */
export function selfContainedHtml(page: DashboardRun, generatedAt: Date): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="gmp dashboards export" />
<title>${e(page.dashboard.title)}</title>
<style>${EXPORT_BASE_CSS}${DASHBOARD_CSS}</style>
</head>
<body>
<main>
${renderDashboardBody(page, { interactive: false })}
<footer>Exported by gmp from ${e(path.basename(page.dashboard.file))} at ${e(generatedAt.toISOString().slice(0, 19).replace('T', ' '))} UTC.</footer>
</main>
</body>
</html>
`;
}

export interface ExportedDashboard {
  html: string;
  /** Absent when no Chromium was found (or `pdf: false`). */
  pdf: string | null;
  /** Why there is no PDF, for people. */
  pdfNote: string | null;
  problems: number;
}

/** Chromium as the machine has it: the one configured (GMP_CHROMIUM), else the usual names on PATH. */
export function findChromium(configured: string | undefined, searchPath = process.env.PATH ?? ''): string | null {
  if (configured) return existsSync(configured) ? configured : null;
  const dirs = searchPath.split(path.delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    for (const dir of dirs) if (existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

/**
 * Writes `<out>/<page>.html` (self-contained) and, where Chromium is present, `<out>/<page>.pdf`
 * printed from it. Files appear whole (written aside, then renamed).
 */
export async function exportDashboard(ws: Workspace, name: string, options: { out: string; inputs?: Record<string, string>; pdf?: boolean }): Promise<ExportedDashboard> {
  const page = await runDashboard(ws, name, options.inputs ?? {});
  const failed = page.problems.length + [...page.results.values()].filter((r) => r.error).length;
  await mkdir(options.out, { recursive: true });
  const htmlPath = path.resolve(options.out, `${page.dashboard.name}.html`);
  await writeWhole(htmlPath, selfContainedHtml(page, ws.clock.now()));
  if (options.pdf === false) return { html: htmlPath, pdf: null, pdfNote: 'PDF not asked for', problems: failed };
  const chromium = findChromium(ws.config.chromium);
  if (!chromium) {
    const why = ws.config.chromium ? `GMP_CHROMIUM=${ws.config.chromium} does not exist` : 'no Chromium on PATH (install chromium, or set GMP_CHROMIUM)';
    return { html: htmlPath, pdf: null, pdfNote: `${why}: HTML only`, problems: failed };
  }
  const pdfPath = path.resolve(options.out, `${page.dashboard.name}.pdf`);
  const temp = `${pdfPath}.tmp-${process.pid}`;
  try {
    await run(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--no-pdf-header-footer', `--print-to-pdf=${temp}`, pathToFileURL(htmlPath).href], { timeout: 60_000 });
    await rename(temp, pdfPath);
  } catch (error) {
    throw new UsageError(`Chromium could not print ${path.basename(htmlPath)} to PDF: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { hint: 'the HTML was written; export with --no-pdf to skip the PDF' });
  }
  return { html: htmlPath, pdf: pdfPath, pdfNote: null, problems: failed };
}

async function writeWhole(file: string, content: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, content);
  await rename(temp, file);
}

export interface Delivery {
  dashboard: string;
  status: number;
  bytes: number;
  attempts: number;
}

/**
 * POSTs a page to a webhook as JSON — `{text, dashboard, title, generated_at, run_id, html}` — as a
 * scheduled report (Slack-style receivers read `text`). Retries a network failure or a 5xx three
 * times; the URL is treated as a secret (webhook URLs carry tokens): no error or log shows it.
 */
export async function deliverDashboard(ws: Workspace, name: string, webhook: string, options: { inputs?: Record<string, string>; signal?: AbortSignal; retryDelayMs?: number } = {}): Promise<Delivery> {
  let url: URL;
  try {
    url = new URL(webhook);
  } catch {
    throw new UsageError('the webhook is not a URL', { hint: 'give an http:// or https:// address' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`the webhook must be http(s), not ${url.protocol}`);
  registerSecret(webhook);
  const page = await runDashboard(ws, name, options.inputs ?? {});
  const now = ws.clock.now();
  const body = JSON.stringify({
    text: `${page.dashboard.title} — gmp report of ${now.toISOString().slice(0, 10)}${page.data ? ` (data from run ${page.data.runId})` : ''}`,
    dashboard: page.dashboard.name,
    title: page.dashboard.title,
    generated_at: now.toISOString(),
    run_id: page.data?.runId ?? null,
    html: selfContainedHtml(page, now),
  });
  let last = '';
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'gmp-dashboards' }, body, signal: options.signal ?? AbortSignal.timeout(30_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { dashboard: page.dashboard.name, status: res.status, bytes: Buffer.byteLength(body), attempts: attempt };
      last = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) break;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      last = error instanceof Error && error.cause instanceof Error ? error.cause.message : 'network error';
    }
    if (attempt < 4) await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 1000) * 2 ** (attempt - 1)));
  }
  throw new UsageError(`the webhook refused the ${page.dashboard.name} report: ${last.replaceAll(webhook, '<webhook>')}`, { hint: 'check the URL in the variable the page names (deliver: webhook_env) and that the receiver is up' });
}
