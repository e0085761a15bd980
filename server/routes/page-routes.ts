import type { OpenAPIHono } from '@hono/zod-openapi';
import { html } from 'hono/html';
import { EVENT_LEVELS, assetGraphLayout, daemonStatus, effectiveSettings, gameProfile, listFavorites, modelsOverview, predictGame, listTaxonomy, marketKpis, searchGames, assetOverview, backfillStatus, budgetReport, getRun, hasRole, listAssets, listBackfills, listSchedules, modelsDirOf, pageAssets, pageRunEvents, pageRuns, pipelineStatus, queryLineage, type Workspace } from '../../app/index.js';
import { assetPage, assetsPage } from '../pages/assets-page.js';
import { graphPage } from '../pages/graph-page.js';
import { gamePage } from '../pages/game-page.js';
import { sqlPage } from '../pages/sql-page.js';
import { remoteImagesOn } from '../middleware/security-headers.js';
import { explorePage, PAGE_SIZES, type ExploreState } from '../pages/explore-page.js';
import { GamesQuerySchema } from '../api/market-schemas.js';
import { UsageError } from '../../core/index.js';
import { backfillPage, backfillsPage } from '../pages/backfills-page.js';
import { launchPage } from '../pages/launch-page.js';
import { schedulesPage } from '../pages/schedules-page.js';
import { modelsPage, predictionSection } from '../pages/models-page.js';
import { layout } from '../pages/layout.js';
import { loginPage } from '../pages/login-page.js';
import { overviewPage } from '../pages/overview-page.js';
import { runPage, runsPage } from '../pages/runs-page.js';
import { registerPeoplePages } from './people-pages.js';

const RUN_STATUSES = new Set(['running', 'succeeded', 'failed', 'canceled']);
const EVENT_TYPES = new Set(['RUN_START', 'RUN_END', 'STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE', 'STEP_SKIPPED', 'LOG']);

/** The operations pages: server-rendered HTML over the application layer, with small islands. */
export function registerPageRoutes(app: OpenAPIHono, ws: Workspace, options: { readOnly: boolean }): void {
  const frame = { readOnly: options.readOnly };

  app.get('/login', async (c) => {
    const registration = (await effectiveSettings(ws, { localMode: c.get('localMode') })).registration.value;
    return c.html(layout({ ...frame, title: 'Sign in', active: '', body: loginPage(c.req.query('next') ?? '/', registration === 'open' && !options.readOnly), islands: ['login'] }));
  });
  registerPeoplePages(app, ws, frame);

  app.get('/', async (c) => {
    const [latest, failed, status, budget, schedules, daemons] = await Promise.all([
      pageRuns(ws, { limit: 10 }),
      pageRuns(ws, { limit: 10, status: 'failed' }),
      pipelineStatus(ws),
      budgetReport(ws),
      listSchedules(ws),
      daemonStatus(ws),
    ]);
    return c.html(layout({ ...frame, title: 'Overview', active: '/', principal: c.get('principal'), body: overviewPage({ latest: latest.runs, failed: failed.runs, status, budget, schedules, daemons }) }));
  });

  app.get('/runs', async (c) => {
    const status = c.req.query('status');
    const kind = c.req.query('kind');
    const cursor = c.req.query('cursor');
    const filters = { ...(status && RUN_STATUSES.has(status) ? { status } : {}), ...(kind ? { kind: kind.slice(0, 100) } : {}) };
    const page = await pageRuns(ws, { limit: 50, ...(cursor ? { cursor } : {}), ...(filters as { status?: 'running' }) });
    return c.html(layout({ ...frame, title: 'Runs', active: '/runs', principal: c.get('principal'), body: runsPage(page.runs, page.next, filters) }));
  });

  app.get('/runs/:runId', async (c) => {
    const runId = c.req.param('runId');
    const type = c.req.query('type');
    const asset = c.req.query('asset');
    const partition = c.req.query('partition');
    const level = EVENT_LEVELS.find((l) => l === c.req.query('level'));
    const q = c.req.query('q');
    const cursor = c.req.query('cursor');
    const types = type ? type.split(',').map((t) => t.trim()).filter((t) => EVENT_TYPES.has(t)) : [];
    const run = await getRun(ws, runId);
    const events = await pageRunEvents(ws, runId, {
      limit: 200,
      ...(cursor ? { cursor } : {}),
      ...(types.length > 0 ? { types: types as never } : {}),
      ...(level ? { level } : {}),
      ...(asset ? { asset } : {}),
      ...(partition ? { partition } : {}),
      ...(q ? { q } : {}),
    });
    const principal = c.get('principal');
    const filters = { ...(type ? { type } : {}), ...(level ? { level } : {}), ...(asset ? { asset } : {}), ...(partition ? { partition } : {}), ...(q ? { q } : {}) };
    return c.html(
      layout({
        ...frame,
        title: `Run ${runId}`,
        active: '/runs',
        principal,
        body: runPage(run, events.events, events.next, filters, !options.readOnly && hasRole(principal, 'operator')),
        islands: ['run-live'],
      }),
    );
  });

  app.get('/backfills', async (c) =>
    c.html(layout({ ...frame, title: 'Backfills', active: '/backfills', principal: c.get('principal'), body: backfillsPage(await listBackfills(ws, { limit: 50 })) })),
  );

  app.get('/backfills/:backfillId', async (c) => {
    const principal = c.get('principal');
    const report = await backfillStatus(ws, c.req.param('backfillId'));
    return c.html(
      layout({ ...frame, title: `Backfill ${report.backfill.backfillId}`, active: '/backfills', principal, body: backfillPage(report, !options.readOnly && hasRole(principal, 'operator')), islands: ['backfill'] }),
    );
  });

  app.get('/schedules', async (c) => {
    const [schedules, daemons] = await Promise.all([listSchedules(ws), daemonStatus(ws)]);
    const ticks = (await Promise.all(schedules.map((s) => pageRuns(ws, { limit: 10, kind: `schedule:${s.schedule}` })))).flatMap((p) => p.runs);
    ticks.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return c.html(layout({ ...frame, title: 'Schedules', active: '/schedules', principal: c.get('principal'), body: schedulesPage(schedules, ticks.slice(0, 20), daemons) }));
  });

  app.get('/launch', (c) => {
    const principal = c.get('principal');
    if (options.readOnly || !hasRole(principal, 'operator')) {
      return c.html(layout({ ...frame, title: 'Launch', active: '/launch', principal, body: html`<h1>Launch</h1><p class="notice">${options.readOnly ? 'This server is read-only.' : `You are a ${principal.role}: launching needs an operator.`}</p>` }));
    }
    const select = c.req.query('select');
    const partition = c.req.query('partition');
    return c.html(layout({ ...frame, title: 'Launch', active: '/launch', principal, body: launchPage({ ...(select ? { select } : {}), ...(partition ? { partition } : {}) }), islands: ['launch'] }));
  });

  app.get('/assets', (c) => {
    const q = c.req.query('q')?.slice(0, 200);
    const group = c.req.query('group');
    const kind = c.req.query('kind');
    const tag = c.req.query('tag');
    const filters = { ...(q ? { q } : {}), ...(group ? { group } : {}), ...(kind ? { kind } : {}), ...(tag ? { tag } : {}) };
    // Checks are shown on their assets; the catalog lists them only when asked (Kind: check).
    const assets = pageAssets(ws, { limit: 10_000, ...filters }).assets.filter((a) => kind === 'check' || a.kind !== 'check');
    return c.html(layout({ ...frame, title: 'Assets', active: '/assets', principal: c.get('principal'), body: assetsPage(assets, listAssets(ws), filters) }));
  });

  app.get('/assets/:key{.+}', async (c) => {
    const key = c.req.param('key');
    const principal = c.get('principal');
    const overview = await assetOverview(ws, key);
    const isModel = ws.project.models.some((m) => `${m.schema}/${m.name}` === key);
    const lineage = isModel ? await queryLineage({ asset: key, columns: true, direction: 'upstream', projectDir: modelsDirOf(ws.config) }) : null;
    const columns = lineage?.kind === 'columns' ? lineage.columns : null;
    return c.html(layout({ ...frame, title: key, active: '/assets', principal, body: assetPage(overview, columns, !options.readOnly && hasRole(principal, 'operator')), islands: ['asset'] }));
  });

  app.get('/explore', async (c) => {
    // A form sends every field (empty ones as "") and a multi-select as repeated keys: one comma list each.
    const given = Object.entries(c.req.queries())
      .map(([k, vs]) => [k, vs.filter((v) => v !== '').join(',')] as const)
      .filter(([, v]) => v !== '');
    const parsed = GamesQuerySchema.safeParse(Object.fromEntries(given));
    if (!parsed.success) throw new UsageError(`bad filter: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { hint: 'start again from /explore' });
    const q = parsed.data;
    const state: ExploreState = {
      ...(q.search ? { search: q.search } : {}),
      genres: q.genres ?? [],
      parent_platforms: q.parent_platforms ?? [],
      stores: q.stores ?? [],
      platforms: q.platforms ?? [],
      tags: q.tags ?? [],
      developers: q.developers ?? [],
      publishers: q.publishers ?? [],
      favorites: c.req.query('favorites') === '1',
      ...(q.rating_min ? { rating_min: q.rating_min } : {}),
      ...(q.metacritic_min ? { metacritic_min: q.metacritic_min } : {}),
      ...(q.released_from ? { released_from: q.released_from } : {}),
      ...(q.released_to ? { released_to: q.released_to } : {}),
      ordering: q.ordering ?? '-added',
      page_size: (PAGE_SIZES as readonly number[]).includes(q.page_size) ? q.page_size : 24,
      ...(q.cursor ? { cursor: q.cursor } : {}),
    };
    // A slider left at 0 means "any": it must not drop the games with no rating or Metacritic score.
    const favoritesOnly = c.req.query('favorites') === '1';
    const ids = favoritesOnly ? (await listFavorites(ws, c.get('principal'))).map((f) => f.gameId) : undefined;
    const filters = Object.fromEntries(
      Object.entries({ ...q, ordering: undefined, page_size: undefined, cursor: undefined, rating_min: q.rating_min || undefined, metacritic_min: q.metacritic_min || undefined, ids }).filter(
        ([k, v]) => v !== undefined && (k === 'ids' || !(Array.isArray(v) && v.length === 0)),
      ),
    );
    const [page, kpis, genres, parents, stores] = await Promise.all([
      searchGames(ws, { ...filters, ordering: state.ordering, page_size: state.page_size, ...(state.cursor ? { cursor: state.cursor } : {}) }),
      marketKpis(ws, filters),
      listTaxonomy(ws, 'genres'),
      listTaxonomy(ws, 'parent_platforms'),
      listTaxonomy(ws, 'stores'),
    ]);
    return c.html(layout({ ...frame, title: 'Explore', active: '/explore', principal: c.get('principal'), body: explorePage({ state, page, kpis, genres, parents, stores, images: remoteImagesOn(c.req.header('cookie')) }), islands: ['explore'] }));
  });

  app.get('/games/:id{[0-9]+}', async (c) => {
    const principal = c.get('principal');
    const game = await gameProfile(ws, Number(c.req.param('id')));
    // The page goes without a prediction when no model is in production yet (or scoring fails).
    const prediction = await predictGame(ws, game.id).then(
      (p) => ({ p, problem: null }),
      (error: unknown) => ({ p: null, problem: error instanceof Error ? error.message : String(error) }),
    );
    // No favorite button where it could not work (a read-only server changes nothing).
    const favorite = options.readOnly ? null : (await listFavorites(ws, principal)).some((f) => f.gameId === game.id);
    return c.html(layout({ ...frame, title: game.name, active: '/explore', principal, body: gamePage(game, remoteImagesOn(c.req.header('cookie')), favorite, predictionSection(prediction.p, prediction.problem)), islands: ['favorite'] }));
  });

  app.get('/models', async (c) => {
    const data = await modelsOverview(ws);
    return c.html(layout({ ...frame, title: 'Models', active: '/models', principal: c.get('principal'), body: modelsPage(data) }));
  });

  app.get('/favorites', (c) => c.redirect('/explore?favorites=1', 302));

  app.get('/sql', async (c) => {
    const principal = c.get('principal');
    const access = (await effectiveSettings(ws, { localMode: c.get('localMode') })).sqlConsole.value;
    if (access === 'off' || (access === 'operators' && !hasRole(principal, 'operator'))) {
      const why = access === 'off' ? 'The SQL console is turned off on this server.' : `The SQL console is for operators; you are a ${principal.role}.`;
      const fix = hasRole(principal, 'admin') ? html` Change it on <a href="/settings">Settings</a>.` : ' An admin can change that.';
      return c.html(layout({ ...frame, title: 'SQL', active: '/sql', principal, body: html`<h1>SQL console</h1><p class="notice">${why}${fix}</p>` }));
    }
    // Marts first (what people query), then staging; by name within each.
    const schema = ws.project.models
      .map((m) => ({ relation: m.relation, description: m.description, columns: m.columns ?? [] }))
      .sort((a, b) => Number(a.relation.startsWith('staging.')) - Number(b.relation.startsWith('staging.')) || a.relation.localeCompare(b.relation));
    return c.html(layout({ ...frame, title: 'SQL', active: '/sql', principal, body: sqlPage(schema, access, 'select name, released, rating\nfrom marts.dim_games\norder by ratings_count desc\nlimit 20'), islands: ['sql'] }));
  });

  app.get('/graph', (c) => {
    const select = (c.req.query('select') ?? '').slice(0, 500);
    const graph = assetGraphLayout(ws, select || undefined);
    const groups = [...new Set(listAssets(ws).filter((a) => a.kind !== 'check').map((a) => a.group))].sort();
    return c.html(layout({ ...frame, title: 'Graph', active: '/graph', principal: c.get('principal'), body: graphPage(graph, select, groups), islands: ['graph'] }));
  });
}
