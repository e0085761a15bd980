import { html } from 'hono/html';
import type { GamePrediction, ModelOverview, ModelPrediction, MlRunSummary } from '../../app/index.js';
import { statusBadge, when, type Html } from './layout.js';

/** A horizontal bar as SVG (the CSP allows no inline style): `share` of `width` pixels. */
const bar = (share: number, width: number): Html =>
  html`<svg class="bar" width="${width}" height="12" aria-hidden="true"><rect width="${Math.max(1, Math.min(1, share) * width).toFixed(1)}" height="12" /></svg>`;

const f = (v: number | undefined, digits = 3): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits));
const at = (ms: number | null): string => (ms === null ? '-' : when(new Date(ms).toISOString()));

/** The holdout metric against the two baselines, as labelled horizontal bars (lower or higher is better, said). */
function baselineBars(o: ModelOverview): Html {
  const m = o.production!.metrics;
  const regression = o.task === 'regression';
  const key = regression ? 'rmse' : 'auc';
  const bars: [string, number | undefined][] = [
    ['XGBoost (this version)', m[key]],
    ['linear baseline', m[`linear_${key}`]],
    ['mean baseline', m[`baseline_${key}`]],
  ];
  const max = Math.max(...bars.map(([, v]) => v ?? 0), 1e-9);
  const improvement = regression && m.rmse !== undefined && m.baseline_rmse ? 1 - m.rmse / m.baseline_rmse : undefined;
  return html`<figure class="bars" aria-label="${key} on the holdout: model against baselines">
      <figcaption>${key.toUpperCase()} on the holdout (${m.rows_holdout ?? '?'} games released after the training cut-off; ${regression ? 'lower' : 'higher'} is better)</figcaption>
      ${bars.map(
        ([label, v]) => html`<div class="bar-row"><span class="bar-label">${label}</span>${bar((v ?? 0) / max, 240)}<span class="bar-value">${f(v, 4)}</span></div>`,
      )}
    </figure>
    ${improvement === undefined ? '' : html`<p class="muted">RMSE ${Math.abs(improvement * 100).toFixed(1)}% ${improvement >= 0 ? 'below' : 'above'} the mean baseline's.</p>`}`;
}

/** The validation metric per boosting round, as a server-drawn SVG line (train dashed). */
function curve(c: NonNullable<NonNullable<ModelOverview['production']>['curve']>): Html {
  const w = 520;
  const h = 120;
  const all = [...c.train, ...c.valid];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min || 1;
  const n = Math.max(c.valid.length, 2);
  const path = (values: readonly number[]) =>
    values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(40 + (i / (n - 1)) * (w - 50)).toFixed(1)} ${(10 + (1 - (v - min) / span) * (h - 30)).toFixed(1)}`).join(' ');
  return html`<figure class="chart"><figcaption>${c.metric} per boosting round: validation (solid), training (dashed)</figcaption>
    <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="validation ${c.metric} from ${f(c.valid[0])} to ${f(c.valid.at(-1))} over ${c.valid.length} rounds">
      <text x="2" y="14">${f(max)}</text><text x="2" y="${h - 16}">${f(min)}</text>
      <path d="${path(c.valid)}" /><path d="${path(c.train)}" stroke-dasharray="4 3" opacity="0.6" />
      <text x="40" y="${h - 2}">round 0</text><text x="${w - 10}" y="${h - 2}" text-anchor="end">round ${c.valid.length - 1}</text>
    </svg></figure>`;
}

function modelSection(o: ModelOverview): Html {
  const p = o.production;
  return html`<section class="model" id="${o.model}">
    <h2>${o.model}</h2>
    <p class="muted">${o.description}</p>
    ${p === null
      ? html`<p>No version in production yet: train it with <code>gmp materialize --select ml/${o.model}</code>.</p>`
      : html`<p>Production: <strong>v${p.version}</strong> from run <code>${p.runId}</code>.</p>
          <div class="charts">${baselineBars(o)} ${p.curve ? curve(p.curve) : ''}</div>
          <h3>Feature importance (total gain)</h3>
          <table class="data importance"><thead><tr><th>Feature</th><th>Share of gain</th></tr></thead><tbody>
            ${p.importance.map((i) => html`<tr><td>${i.label}</td><td>${bar(i.share, 200)} ${(i.share * 100).toFixed(1)}%</td></tr>`)}
          </tbody></table>`}
    <h3>Versions</h3>
    ${o.versions.length === 0
      ? html`<p class="muted">No version registered.</p>`
      : html`<table class="data versions"><thead><tr><th>Version</th><th>Aliases</th><th>Run</th><th>Registered</th></tr></thead><tbody>
          ${o.versions.slice(0, 10).map((v) => html`<tr><td>v${v.version}</td><td>${v.aliases.map((a) => html`<span class="badge ${a === 'production' ? 'ok' : 'info'}">${a}</span> `)}</td><td><code>${v.runId}</code></td><td>${when(v.createdAt)}</td></tr>`)}
        </tbody></table>`}
    ${o.history.length === 0
      ? ''
      : html`<h3>Alias history</h3><ul class="history">${o.history.slice(0, 8).map((h) => html`<li>${when(h.at)} · <strong>${h.alias}</strong> → v${h.version} by ${h.by}: ${h.reason}</li>`)}</ul>`}
  </section>`;
}

function runsTable(runs: readonly MlRunSummary[]): Html {
  return html`<table class="data" id="ml-runs"><thead><tr><th>Run</th><th>Model</th><th>Status</th><th>Started</th><th>Metric</th><th>Model</th><th>Linear</th><th>Mean</th><th>Version</th></tr></thead><tbody>
    ${runs.map((r) => {
      const key = r.metrics.rmse !== undefined ? 'rmse' : 'auc';
      return html`<tr><td><code>${r.runId}</code></td><td>${r.experiment}</td><td>${statusBadge(r.status === 'FINISHED' ? 'succeeded' : r.status === 'FAILED' ? 'failed' : 'running')}</td>
        <td>${at(r.startTime)}</td><td>${r.status === 'FINISHED' ? key : '-'}</td><td>${f(r.metrics[key], 4)}</td><td>${f(r.metrics[`linear_${key}`], 4)}</td><td>${f(r.metrics[`baseline_${key}`], 4)}</td>
        <td>${r.version ? html`v${r.version.version} ${r.version.aliases.join(', ')}` : r.error ? html`<span class="muted" title="${r.error}">${r.error.slice(0, 80)}</span>` : '-'}</td></tr>`;
    })}
  </tbody></table>`;
}

/** The models page: each model's production version against its baselines, its reasons, versions, and the runs. */
export function modelsPage(data: { models: readonly ModelOverview[]; runs: readonly MlRunSummary[] }): Html {
  return html`<h1>Models</h1>
    <p class="muted">Trained by the assets <code>ml/game_rating_model</code> and <code>ml/game_popularity_model</code> (weekly, schedule <code>weekly_models</code>) on a time split of <code>marts.ml_game_features</code>; a new version becomes production only when it beats production on the same holdout. On the built-in sandbox the catalogue is synthetic, and so is what the models learn.</p>
    ${data.models.map(modelSection)}
    <h2>Training runs</h2>
    ${data.runs.length === 0 ? html`<p class="muted">No training run yet: <code>gmp materialize --select tag:training</code>.</p>` : runsTable(data.runs)}`;
}

function reasons(p: ModelPrediction): Html {
  const unit = p.target === 'rating' ? 'rating points' : 'log-odds';
  return html`<ul class="reasons">${p.contributions.map(
    (c) => html`<li><span class="${c.contribution >= 0 ? 'up' : 'down'}">${c.contribution >= 0 ? '▲ +' : '▼ −'}${Math.abs(c.contribution).toFixed(3)}</span> ${c.label}${c.value === null ? ' (unknown)' : c.feature.includes('=') ? '' : ` = ${Math.round(c.value * 100) / 100}`}</li>`,
  )}</ul><p class="muted">Contributions in ${unit}, from the model's average (${p.baseline.toFixed(3)}).</p>`;
}

/** The game page's prediction section: what the production models say, and why. */
export function predictionSection(p: GamePrediction | null, problem: string | null): Html {
  if (p === null) return html`<section id="prediction"><h2>Prediction</h2><p class="muted">${problem ?? 'No prediction.'}</p></section>`;
  return html`<section id="prediction"><h2>Prediction</h2><div class="cards">
    ${p.rating
      ? html`<div class="card"><div class="muted">Predicted rating</div><div class="big">${p.rating.value.toFixed(2)}</div><div class="muted"><a href="/models#${p.rating.model}">${p.rating.model} v${p.rating.version}</a></div>${reasons(p.rating)}</div>`
      : ''}
    ${p.popularity
      ? html`<div class="card"><div class="muted">Chance of becoming popular</div><div class="big">${(p.popularity.value * 100).toFixed(0)}%</div><div class="muted"><a href="/models#${p.popularity.model}">${p.popularity.model} v${p.popularity.version}</a></div>${reasons(p.popularity)}</div>`
      : ''}
  </div></section>`;
}
