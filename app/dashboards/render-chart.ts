import type { Row } from '../../warehouse/index.js';
import { escapeHtml as e } from '../docs/index.js';
import type { DashboardChart } from './parse-dashboard.js';

/** Tableau 10: distinct, colour-blind-aware series colours (drawn as SVG attributes, so an exported page needs no stylesheet). */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const W = 640;
const H = 260;
const PAD = { left: 56, right: 12, top: 12, bottom: 44 };

/** A value as the page shows it: `fmt` is num0, num1, num2, pct, pct1, or absent (integers grouped, else 2 decimals). */
export function formatValue(v: unknown, fmt?: string): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  switch (fmt) {
    case 'num0':
      return Math.round(v).toLocaleString('en-US');
    case 'num1':
      return v.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    case 'num2':
      return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'pct':
      return `${(v * 100).toFixed(0)}%`;
    case 'pct1':
      return `${(v * 100).toFixed(1)}%`;
    default:
      return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0)) || 0;
const text = (v: unknown): string => (v === null || v === undefined ? '–' : String(v));

/** The chart's SVG (or table, or big number) for its rows; the caller frames it. */
export function renderChartBody(chart: DashboardChart, rows: readonly Row[], options: { links: boolean } = { links: true }): string {
  if (rows.length === 0) return '<p class="muted">No rows for these filters.</p>';
  switch (chart.kind) {
    case 'BigValue':
      return bigValue(chart, rows);
    case 'DataTable':
      return dataTable(chart, rows, options.links);
    case 'Heatmap':
      return heatmap(chart, rows);
    case 'BarChart':
      return chart.props.horizontal === 'true' ? horizontalBars(chart, rows) : xyChart(chart, rows, 'bar');
    case 'LineChart':
      return xyChart(chart, rows, 'line');
    case 'AreaChart':
      return xyChart(chart, rows, 'area');
  }
}

function bigValue(chart: DashboardChart, rows: readonly Row[]): string {
  const row = rows[0]!;
  const comparison = chart.props.comparison ? `<div class="muted">${e(chart.props.comparison)}: ${e(formatValue(row[chart.props.comparison], chart.props.fmt))}</div>` : '';
  return `<div class="big" data-value="${e(text(row[chart.props.value!]))}">${e(formatValue(row[chart.props.value!], chart.props.fmt))}</div>${comparison}`;
}

function dataTable(chart: DashboardChart, rows: readonly Row[], links: boolean): string {
  const limit = Math.max(1, Math.min(1000, Number(chart.props.rows ?? 20) || 20));
  const columns = Object.keys(rows[0]!).filter((c) => c !== chart.props.link);
  const href = (r: Row): string | null => {
    if (!links) return null; // an exported page has no server behind its links
    const link = chart.props.link ? r[chart.props.link] : null;
    // Only links inside this site: a row's text never becomes a javascript: or remote URL.
    return typeof link === 'string' && link.startsWith('/') && !link.startsWith('//') ? link : null;
  };
  const cell = (r: Row, c: string, first: boolean): string => {
    const v = r[c];
    // A year or an id is a label, not a quantity: 2015, not 2,015.
    const shown = e(/(^|_)(year|id)$/.test(c) && typeof v === 'number' ? String(v) : formatValue(v));
    const link = first ? href(r) : null;
    return `<td${typeof v === 'number' ? ' class="num"' : ''}>${link ? `<a href="${e(link)}">${shown}</a>` : shown}</td>`;
  };
  const more = rows.length > limit ? `<p class="muted">${limit} of ${rows.length.toLocaleString('en-US')} rows shown; the CSV has them all.</p>` : '';
  return `<div class="table-wrap"><table><thead><tr>${columns.map((c) => `<th scope="col">${e(c)}</th>`).join('')}</tr></thead><tbody>${rows
    .slice(0, limit)
    .map((r) => `<tr>${columns.map((c, i) => cell(r, c, i === 0)).join('')}</tr>`)
    .join('')}</tbody></table></div>${more}`;
}

/** Series of an x/y chart: one per distinct `series` value (first seen first), or the y column alone. */
function seriesOf(chart: DashboardChart, rows: readonly Row[]): { xs: string[]; series: { name: string; values: Map<string, number> }[]; dropped: number } {
  const xs: string[] = [];
  const seenX = new Set<string>();
  const byName = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const x = text(r[chart.props.x!]);
    if (!seenX.has(x)) {
      seenX.add(x);
      xs.push(x);
    }
    const name = chart.props.series ? text(r[chart.props.series]) : chart.props.y!;
    if (!byName.has(name)) byName.set(name, new Map());
    byName.get(name)!.set(x, num(r[chart.props.y!]));
  }
  const series = [...byName].map(([name, values]) => ({ name, values }));
  // Past ten series colours repeat and lines tangle: keep the ten largest.
  series.sort((a, b) => total(b.values) - total(a.values));
  return { xs, series: series.slice(0, PALETTE.length), dropped: Math.max(0, series.length - PALETTE.length) };
}
const total = (m: Map<string, number>): number => [...m.values()].reduce((s, v) => s + v, 0);

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}

function xyChart(chart: DashboardChart, rows: readonly Row[], kind: 'bar' | 'line' | 'area'): string {
  const { xs, series, dropped } = seriesOf(chart, rows);
  const stacked = kind !== 'line' && series.length > 1;
  const top = niceMax(Math.max(...xs.map((x) => (stacked ? series.reduce((s, sr) => s + (sr.values.get(x) ?? 0), 0) : Math.max(...series.map((sr) => sr.values.get(x) ?? 0))))));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const band = plotW / xs.length;
  const cx = (i: number): number => PAD.left + band * (i + 0.5);
  const y = (v: number): number => PAD.top + plotH * (1 - v / top);
  const parts: string[] = [axes(top, xs, cx, y, chart.props.fmt)];
  if (kind === 'bar') {
    const base = new Map<string, number>();
    const barW = Math.max(1, band * 0.8);
    series.forEach((sr, s) => {
      xs.forEach((x, i) => {
        const v = sr.values.get(x);
        if (v === undefined) return;
        const from = base.get(x) ?? 0;
        base.set(x, from + v);
        parts.push(`<rect x="${(cx(i) - barW / 2).toFixed(1)}" y="${y(from + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0, y(from) - y(from + v)).toFixed(1)}" fill="${PALETTE[s]}" data-x="${e(x)}" data-y="${v}"${series.length > 1 ? ` data-series="${e(sr.name)}"` : ''}><title>${e(x)}${series.length > 1 ? ` · ${e(sr.name)}` : ''}: ${e(formatValue(v, chart.props.fmt))}</title></rect>`);
      });
    });
  } else {
    const base = new Map<string, number>();
    series.forEach((sr, s) => {
      const points = xs.map((x, i) => {
        const from = stacked ? (base.get(x) ?? 0) : 0;
        const v = sr.values.get(x) ?? 0;
        if (stacked) base.set(x, from + v);
        return { x, i, from, v };
      });
      const line = points.map((p, n) => `${n === 0 ? 'M' : 'L'}${cx(p.i).toFixed(1)} ${y(p.from + p.v).toFixed(1)}`).join(' ');
      if (kind === 'area') {
        const back = [...points].reverse().map((p) => `L${cx(p.i).toFixed(1)} ${y(p.from).toFixed(1)}`).join(' ');
        parts.push(`<path d="${line} ${back} Z" fill="${PALETTE[s]}" fill-opacity="0.55" stroke="none"/>`);
      }
      parts.push(`<path d="${line}" fill="none" stroke="${PALETTE[s]}" stroke-width="2"/>`);
      for (const p of points) {
        if (!sr.values.has(p.x)) continue;
        parts.push(`<circle cx="${cx(p.i).toFixed(1)}" cy="${y(p.from + p.v).toFixed(1)}" r="${xs.length > 60 ? 1.5 : 3}" fill="${PALETTE[s]}" data-x="${e(p.x)}" data-y="${p.v}"${series.length > 1 ? ` data-series="${e(sr.name)}"` : ''}><title>${e(p.x)}${series.length > 1 ? ` · ${e(sr.name)}` : ''}: ${e(formatValue(p.v, chart.props.fmt))}</title></circle>`);
      }
    });
  }
  const note = dropped > 0 ? `<p class="muted series-note">${series.length} of ${series.length + dropped} series drawn (the largest); the CSV has them all.</p>` : '';
  return svg(`${chart.kind} of ${chart.props.y} by ${chart.props.x}`, parts.join('')) + (series.length > 1 ? legend(series.map((s) => s.name)) : '') + note;
}

function axes(top: number, xs: readonly string[], cx: (i: number) => number, y: (v: number) => number, fmt?: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => top * f);
  const every = Math.max(1, Math.ceil(xs.length / 12));
  return (
    ticks.map((t) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#d0d7de" stroke-width="${t === 0 ? 1 : 0.5}"/><text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${e(formatValue(t, fmt))}</text>`).join('') +
    xs.map((x, i) => (i % every === 0 ? `<text x="${cx(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="tick">${e(x.length > 12 ? `${x.slice(0, 11)}…` : x)}</text>` : '')).join('')
  );
}

function horizontalBars(chart: DashboardChart, rows: readonly Row[]): string {
  const shown = rows.slice(0, 40);
  const rowH = 22;
  const height = shown.length * rowH + 8;
  const labelW = 150;
  const top = niceMax(Math.max(...shown.map((r) => num(r[chart.props.y!]))));
  const plotW = W - labelW - 70;
  const bars = shown.map((r, i) => {
    const x = text(r[chart.props.x!]);
    const v = num(r[chart.props.y!]);
    const w = (plotW * v) / top;
    const yy = 4 + i * rowH;
    return `<text x="${labelW - 6}" y="${yy + 15}" text-anchor="end" class="label">${e(x.length > 22 ? `${x.slice(0, 21)}…` : x)}</text><rect x="${labelW}" y="${yy + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 6}" fill="${PALETTE[0]}" data-x="${e(x)}" data-y="${v}"><title>${e(x)}: ${e(formatValue(v, chart.props.fmt))}</title></rect><text x="${(labelW + w + 4).toFixed(1)}" y="${yy + 15}" class="tick">${e(formatValue(v, chart.props.fmt))}</text>`;
  });
  return svg(`${chart.props.y} by ${chart.props.x}`, bars.join(''), height);
}

function heatmap(chart: DashboardChart, rows: readonly Row[]): string {
  const xs = [...new Set(rows.map((r) => text(r[chart.props.x!])))].slice(0, 30);
  const ys = [...new Set(rows.map((r) => text(r[chart.props.y!])))].slice(0, 30);
  const values = new Map(rows.map((r) => [`${text(r[chart.props.x!])}\u0000${text(r[chart.props.y!])}`, num(r[chart.props.value!])]));
  const max = Math.max(1, ...values.values());
  const labelW = 140;
  const cellW = Math.max(18, Math.floor((W - labelW - 8) / xs.length));
  const cellH = 22;
  const headH = 90;
  const width = labelW + cellW * xs.length + 8;
  const height = headH + cellH * ys.length + 4;
  const parts: string[] = [];
  xs.forEach((x, i) => {
    const cx = labelW + cellW * i + cellW / 2;
    parts.push(`<text transform="translate(${cx.toFixed(1)} ${headH - 6}) rotate(-50)" class="label">${e(x.length > 16 ? `${x.slice(0, 15)}…` : x)}</text>`);
  });
  ys.forEach((yv, j) => {
    const yy = headH + cellH * j;
    parts.push(`<text x="${labelW - 6}" y="${yy + 15}" text-anchor="end" class="label">${e(yv.length > 20 ? `${yv.slice(0, 19)}…` : yv)}</text>`);
    xs.forEach((x, i) => {
      const v = values.get(`${x}\u0000${yv}`);
      const share = v === undefined ? 0 : v / max;
      // Light to dark blue by value; an empty cell stays blank.
      const fill = v === undefined ? '#f6f8fa' : `rgb(${Math.round(235 - share * 190)},${Math.round(242 - share * 150)},${Math.round(250 - share * 90)})`;
      const rx = labelW + cellW * i;
      parts.push(`<rect x="${rx}" y="${yy}" width="${cellW - 1}" height="${cellH - 1}" fill="${fill}"${v === undefined ? '' : ` data-x="${e(x)}" data-y="${e(yv)}" data-value="${v}"`}><title>${e(yv)} × ${e(x)}: ${e(formatValue(v ?? null, chart.props.fmt))}</title></rect>`);
      if (v !== undefined && cellW >= 30) parts.push(`<text x="${rx + cellW / 2}" y="${yy + 15}" text-anchor="middle" class="cell ${share > 0.55 ? 'on-dark' : 'on-light'}">${e(formatValue(v, chart.props.fmt))}</text>`);
    });
  });
  return svg(`${chart.props.value} by ${chart.props.y} and ${chart.props.x}`, parts.join(''), height, width);
}

function svg(label: string, body: string, height = H, width = W): string {
  return `<svg class="dash-svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(label)}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

function legend(names: readonly string[]): string {
  return `<div class="legend">${names.map((n, i) => `<span><i class="swatch"><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="${PALETTE[i]}"/></svg></i>${e(n)}</span>`).join('')}</div>`;
}
