/** Dashboards' own styles: served by gmp serve at /dashboards.css and inlined in an exported page. */
export const DASHBOARD_CSS = `
.dashboard .lede { color: var(--muted); margin-top: -.5rem; }
.dashboard { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
.dashboard > h1, .dashboard > h2, .dashboard > h3, .dashboard > p, .dashboard > ul, .dashboard > pre, .dashboard > form, .dashboard > .dash-error, .dashboard > .notice { flex-basis: 100%; margin-top: 0; margin-bottom: 0; }
.dash-chart { flex: 1 1 560px; max-width: 100%; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; background: var(--bg); min-width: 0; }
.dash-chart.kpi { flex: 1 1 200px; }
.dash-chart[data-kind="DataTable"] { flex-basis: 100%; }
.dash-chart header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
.dash-chart h2 { font-size: 1rem; margin: 0 0 .5rem; }
.dash-chart .csv { font-size: 13px; }
.dash-chart .big { font-size: 2rem; font-weight: 600; }
.dash-chart svg.dash-svg { width: 100%; height: auto; display: block; }
.dash-chart svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.dash-chart svg text.label { fill: var(--fg); }
.dash-chart svg text.cell { font-size: 10px; }
.dash-chart svg text.on-dark { fill: #fff; }
.dash-chart svg text.on-light { fill: #1f2328; }
.dash-chart details.sql summary { cursor: pointer; color: var(--muted); font-size: 13px; margin-top: .5rem; }
.dash-chart details.sql pre { white-space: pre-wrap; }
.dash-chart .table-wrap { overflow-x: auto; }
.dash-chart table { border-collapse: collapse; width: 100%; font-size: 13px; }
.dash-chart th, .dash-chart td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); }
.dash-chart td.num { text-align: right; font-variant-numeric: tabular-nums; }
.dash-chart td:not(:first-child) { white-space: nowrap; }
.dash-chart .legend { display: flex; flex-wrap: wrap; gap: .25rem .75rem; font-size: 12px; color: var(--muted); }
.dash-chart .legend .swatch { display: inline-block; margin-right: .25rem; vertical-align: -1px; }
.dash-inputs { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; padding: .75rem 1rem; border: 1px solid var(--line); border-radius: 8px; background: var(--code-bg); }
.dash-inputs label { display: flex; flex-direction: column; font-size: 13px; gap: .2rem; }
.dash-error { border: 1px solid var(--bad); border-radius: 8px; padding: .5rem .75rem; color: var(--bad); }
.dash-error ul { margin: .25rem 0 0; padding-left: 1.25rem; }
.dash-list { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 1rem; }
.dash-list li { border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.dash-list a { font-weight: 600; }
`;

/** What an exported page needs of gmp serve's look, with no server behind it. */
export const EXPORT_BASE_CSS = `
:root { --fg: #1b1f24; --muted: #5b6470; --bg: #fff; --line: #d8dee4; --accent: #0b5fff; --bad: #cf222e; --code-bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin: .25rem 0 1rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
pre { background: var(--code-bg); padding: .75rem; overflow: auto; border-radius: 6px; }
a { color: var(--accent); }
.muted { color: var(--muted); }
.notice { border-left: 3px solid var(--accent); padding: .25rem .75rem; }
footer { color: var(--muted); font-size: 12px; margin-top: 2rem; }
@media print { .dash-chart { break-inside: avoid; } details.sql { display: none; } }
`;
