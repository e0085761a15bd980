import { html } from 'hono/html';
import type { AssetFreshness, BudgetStatus, DaemonStatus, RunRow, ScheduleSummary } from '../../app/index.js';
import { runsTable } from './runs-page.js';
import { statusBadge, when, type Html } from './layout.js';

export interface OverviewData {
  latest: RunRow[];
  failed: RunRow[];
  status: AssetFreshness[];
  budget: BudgetStatus[];
  schedules: ScheduleSummary[];
  daemons: DaemonStatus[];
}

/** What needs attention first: failures, failed checks, late partitions; then budget, schedules and the latest runs. */
export function overviewPage(d: OverviewData): Html {
  const badChecks = d.status.flatMap((a) => a.checks.filter((c) => c.status === 'failed' || c.status === 'errored').map((c) => ({ asset: a.asset, ...c })));
  const late = d.status.filter((a) => a.status === 'late');
  const budget = d.budget.find((b) => b.inUse);
  const lastTick = d.schedules.map((s) => s.lastTick).filter((t): t is string => t !== null).sort().pop() ?? null;
  return html`<h1>Overview</h1>
    <div class="cards">
      <div class="card"><div class="muted">Failed runs (recent)</div><div class="big">${d.failed.length}</div></div>
      <div class="card"><div class="muted">Failed checks</div><div class="big">${badChecks.length}</div></div>
      <div class="card"><div class="muted">Late assets</div><div class="big">${late.length}</div></div>
      <div class="card"><div class="muted">API requests left${budget ? ` (${budget.endpoint === 'sandbox' ? 'sandbox' : budget.endpoint})` : ''}</div>
        <div class="big">${budget ? budget.remaining : '-'}</div><div class="muted">${budget ? `${budget.usage.month} of ${budget.limits.perMonth} used this month` : ''}</div></div>
      ${daemonCard(d.daemons)}
      <div class="card"><div class="muted">Schedules: last tick</div><div>${when(lastTick)}</div><div class="muted">next ${when(d.schedules.map((s) => s.nextTick).filter((t): t is string => t !== null).sort()[0])}</div></div>
    </div>
    ${d.failed.length > 0 ? html`<h2>Failed runs</h2>${runsTable(d.failed)}` : ''}
    ${badChecks.length > 0
      ? html`<h2>Failed checks</h2><table class="data"><thead><tr><th>Asset</th><th>Check</th><th>Partition</th><th>Status</th><th class="num">Failing rows</th></tr></thead><tbody>
          ${badChecks.slice(0, 50).map((c) => html`<tr><td>${c.asset}</td><td>${c.check}</td><td>${c.partition ?? '-'}</td><td>${statusBadge(c.status)}</td><td class="num">${c.failing ?? ''}</td></tr>`)}
        </tbody></table>`
      : ''}
    ${late.length > 0
      ? html`<h2>Late partitions</h2><table class="data"><thead><tr><th>Asset</th><th>Due</th><th>Latest</th><th>Late</th></tr></thead><tbody>
          ${late.map((a) => html`<tr><td>${a.asset}</td><td>${a.due ?? '-'}</td><td>${a.latest ?? 'never'}</td><td>${a.late.length > 5 ? `${a.late.slice(0, 5).join(', ')} +${a.late.length - 5}` : a.late.join(', ')}</td></tr>`)}
        </tbody></table>`
      : ''}
    <h2>Latest runs</h2>
    ${runsTable(d.latest)}
    <p><a href="/runs">All runs →</a></p>`;
}

/** The daemon's heartbeat: running ones first; a silent one (killed or hung) is the news. */
function daemonCard(daemons: readonly DaemonStatus[]): Html {
  const shown = daemons.find((d) => d.state === 'running') ?? daemons.find((d) => d.state === 'silent') ?? daemons[0];
  const running = daemons.filter((d) => d.state === 'running').length;
  return html`<div class="card" id="daemon" data-state="${shown?.state ?? 'none'}"><div class="muted">Daemon</div>
    ${shown === undefined
      ? html`<div>none this week</div><div class="muted">schedules run under <code>gmp daemon</code></div>`
      : html`<div>${statusBadge(shown.state)}${running > 1 ? ` ×${running}` : ''}</div>
          <div class="muted">${shown.state === 'stopped' ? `stopped ${when(shown.stoppedAt)}` : `heartbeat ${when(shown.heartbeatAt)}`}${shown.once ? ' (--once)' : ''}</div>
          ${shown.state === 'running' && shown.nextTick ? html`<div class="muted">waits for ${shown.nextTick.replace('@', ' at ')}</div>` : ''}`}
  </div>`;
}
