import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { html, raw } from 'hono/html';
import { DASHBOARD_CSS, dashboardChartCsv, listDashboards, renderDashboardBody, runDashboard, type Workspace } from '../../app/index.js';
import { csvResponse } from '../api/csv-response.js';
import { json } from '../api/openapi-json.js';
import { ErrorBodySchema } from '../api/schemas.js';
import { layout } from '../pages/layout.js';

const ProblemSchema = z.object({ file: z.string(), line: z.number().int(), message: z.string() }).openapi('DashboardProblem');
const DashboardSummarySchema = z
  .object({ name: z.string(), title: z.string(), description: z.string(), charts: z.number().int(), problems: z.array(ProblemSchema) })
  .openapi('DashboardSummary');
const DashboardSchema = z
  .object({
    name: z.string(),
    title: z.string(),
    problems: z.array(ProblemSchema),
    inputs: z.array(z.object({ name: z.string(), kind: z.string(), value: z.union([z.string(), z.number(), z.null()]), options: z.array(z.object({ value: z.string(), label: z.string() })) })),
    charts: z.array(
      z.object({
        index: z.number().int(),
        kind: z.string(),
        title: z.string().nullable(),
        query: z.string(),
        sql: z.string().nullable(),
        columns: z.array(z.string()),
        rows: z.array(z.record(z.string(), z.unknown())),
        truncated: z.boolean(),
        error: z.string().nullable(),
      }),
    ),
    data: z.object({ runId: z.string(), publishedAt: z.string() }).nullable(),
  })
  .openapi('Dashboard');
const NameParam = z.object({ name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'market-overview' }) });
const inputsNote = 'Filter inputs go in the query string by name (e.g. ?genre=action&min_rating=3), exactly as on the page; each is bound as a SQL parameter.';

/** Dashboards as code: the pages under /dashboards, each chart's CSV, and the same data as JSON. */
export function registerDashboardRoutes(app: OpenAPIHono, ws: Workspace, options: { readOnly: boolean }): void {
  const frame = { readOnly: options.readOnly };
  const stylesheet = raw('<link rel="stylesheet" href="/dashboards.css" />');

  app.get('/dashboards.css', (c) => c.body(DASHBOARD_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));

  app.get('/dashboards', async (c) => {
    const pages = await listDashboards(ws);
    const body = html`${stylesheet}<h1>Dashboards</h1>
      <p class="muted">Markdown pages with SQL in <code>${pages[0] ? pages[0].dashboard.file.replace(/[^/\\]+$/, '') : 'the dashboards folder'}</code>: add one and reload. <code>gmp dashboards check</code> validates them all.</p>
      ${pages.length === 0
        ? html`<p class="notice">No dashboard yet: add a Markdown page to the dashboards folder (GMP_DASHBOARDS_DIR).</p>`
        : html`<ul class="dash-list">${pages.map(
            (p) => html`<li><a href="/dashboards/${p.dashboard.name}">${p.dashboard.title}</a>
              <div class="muted">${p.dashboard.description}</div>
              <div class="muted">${p.dashboard.charts.length} charts${p.problems.length ? html` · <span class="error-text">${p.problems.length} problems</span>` : ''}</div></li>`,
          )}</ul>`}`;
    return c.html(layout({ ...frame, title: 'Dashboards', active: '/dashboards', principal: c.get('principal'), body }));
  });

  app.get('/dashboards/:name', async (c) => {
    const run = await runDashboard(ws, c.req.param('name'), c.req.query(), { signal: c.req.raw.signal });
    return c.html(
      layout({
        ...frame,
        title: run.dashboard.title,
        active: '/dashboards',
        principal: c.get('principal'),
        body: html`${stylesheet}<p class="toolbar"><a href="/dashboards">← Dashboards</a></p>${raw(renderDashboardBody(run, { interactive: true }))}`,
        islands: ['dashboard'],
      }),
    );
  });

  app.get('/dashboards/:name/charts/:file{[0-9]+\\.csv}', async (c) => {
    const index = Number(c.req.param('file').replace(/\.csv$/, ''));
    const name = c.req.param('name');
    return csvResponse(dashboardChartCsv(ws, name, index, c.req.query(), { signal: c.req.raw.signal }), `${name}-chart-${index}.csv`);
  });

  app.openapi(
    createRoute({ method: 'get', path: '/api/v1/dashboards', tags: ['dashboards'], summary: 'Every dashboard page, with the problems of its file', responses: { 200: json(z.object({ dashboards: z.array(DashboardSummarySchema) }), 'the pages') } }),
    async (c) => {
      const pages = await listDashboards(ws);
      return c.json({ dashboards: pages.map((p) => ({ name: p.dashboard.name, title: p.dashboard.title, description: p.dashboard.description, charts: p.dashboard.charts.length, problems: p.problems })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/dashboards/{name}',
      tags: ['dashboards'],
      summary: "One dashboard's charts with their rows, for the filter values given",
      description: inputsNote,
      request: { params: NameParam },
      responses: { 200: json(DashboardSchema, 'the charts and their data'), 404: json(ErrorBodySchema, 'no such page') },
    }),
    async (c) => {
      const run = await runDashboard(ws, c.req.valid('param').name, c.req.query(), { signal: c.req.raw.signal });
      return c.json(
        {
          name: run.dashboard.name,
          title: run.dashboard.title,
          problems: run.problems,
          inputs: run.inputs.map((s) => ({ name: s.input.name, kind: s.input.kind, value: s.value, options: s.options })),
          charts: run.dashboard.charts.map((chart) => {
            const outcome = run.results.get(chart.data);
            return {
              index: chart.index,
              kind: chart.kind,
              title: chart.props.title ?? null,
              query: chart.data,
              sql: outcome?.query.source ?? null,
              columns: outcome?.columns ?? [],
              rows: outcome?.rows ?? [],
              truncated: outcome?.truncated ?? false,
              error: outcome?.error?.message ?? null,
            };
          }),
          data: run.data ? { runId: run.data.runId, publishedAt: run.data.publishedAt } : null,
        },
        200,
      );
    },
  );
}
