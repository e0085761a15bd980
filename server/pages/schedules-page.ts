import { html } from 'hono/html';
import type { DaemonStatus, RunRow, ScheduleSummary } from '../../app/index.js';
import { runsTable } from './runs-page.js';
import { statusBadge, when, type Html } from './layout.js';

/** The schedules with their next and last tick, and the runs their ticks made. */
export function schedulesPage(schedules: readonly ScheduleSummary[], ticks: readonly RunRow[], daemons: readonly DaemonStatus[]): Html {
  return html`<h1>Schedules</h1>
    <p class="muted">Run by <code>gmp daemon</code> (or the cloud scheduler). Times are UTC.</p>
    <table class="data">
      <thead><tr><th>Schedule</th><th>Cron</th><th>What</th><th>Next tick</th><th>Next run materializes</th><th>Last tick</th></tr></thead>
      <tbody>
        ${schedules.map(
          (s) => html`<tr>
            <td>${s.schedule}</td><td><code>${s.cron}</code></td><td>${s.description}</td><td>${when(s.nextTick)}</td>
            <td>${s.nextTarget ? html`<code>${s.nextTarget.select}</code> ${s.nextTarget.partition ?? ''}` : '-'}</td><td>${when(s.lastTick)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <h2>Daemons</h2>
    ${daemons.length === 0
      ? html`<p class="muted">No daemon has run this week: start one with <code>gmp daemon</code>.</p>`
      : html`<table class="data" id="daemons"><thead><tr><th>Daemon</th><th>State</th><th>Started</th><th>Heartbeat</th><th>Stopped</th><th>Waits for</th></tr></thead><tbody>
          ${daemons.map(
            (d) => html`<tr><td><code>${d.owner}</code>${d.once ? ' (--once)' : ''}</td><td>${statusBadge(d.state)}</td><td>${when(d.startedAt)}</td><td>${when(d.heartbeatAt)}</td>
              <td>${when(d.stoppedAt)}</td><td>${d.state === 'running' && d.nextTick ? d.nextTick.replace('@', ' at ') : '-'}</td></tr>`,
          )}
        </tbody></table>`}
    <h2>Past ticks</h2>
    ${ticks.length > 0 ? runsTable(ticks) : html`<p class="muted">No tick has run yet.</p>`}`;
}
