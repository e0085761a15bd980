// The model lifecycle at the scale of the catalogue: 200,000 games of ml_game_features (synthetic,
// shaped as the mart), trained through the same path the assets take (time split, XGBoost in a
// child process, baselines, TypeScript scoring of the holdout, tracking, registry); batch scoring
// as ml/game_predictions does it (encode + both models); and the online API under autocannon.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import { openWorkspace } from '../app/index.js';
import { createLogger, createPrng, fixedClock } from '../core/index.js';
import { createObjectStore } from '../lake/index.js';
import { GAME_MODELS, encodeRow, predictRow, runTraining, type FeatureRow, type TrainingOutcome } from '../ml/index.js';
import { createStateStore } from '../orchestration/index.js';
import { startServer } from '../server/index.js';
import { createDuckDbWarehouse, createSharedWarehouse } from '../warehouse/index.js';
import type { Benchmark } from './benchmark.js';
import { progress } from './progress.js';

const GAMES = Number(process.env.GMP_BENCH_ML_GAMES ?? 200_000);
const GENRES = ['action', 'indie', 'adventure', 'role-playing-games-rpg', 'strategy', 'shooter', 'casual', 'simulation', 'puzzle', 'arcade', 'platformer', 'racing', 'sports', 'fighting', 'family'];
const PARENTS = ['pc', 'playstation', 'xbox', 'nintendo', 'ios', 'android', 'mac', 'linux', 'web'];
const TAGS = Array.from({ length: 20 }, (_, i) => `tag-${i}`);
const ESRB = ['everyone', 'everyone-10-plus', 'teen', 'mature', 'adults-only'];

/** Rows shaped as marts.ml_game_features, with ratings and popularity depending on them (seeded). */
export function syntheticFeatureRows(n: number, seed = 7): FeatureRow[] {
  const rand = createPrng(seed);
  const pick = <T>(xs: readonly T[], k: number) => [...new Set(Array.from({ length: k }, () => xs[Math.floor(rand() * xs.length)]!))].sort();
  const publisherQuality = Array.from({ length: 2000 }, () => rand() * 2 - 1);
  const rows: FeatureRow[] = [];
  const start = Date.UTC(2010, 0, 1);
  for (let i = 0; i < n; i++) {
    const released = new Date(start + Math.floor(rand() * 15 * 365) * 86_400_000).toISOString().slice(0, 10);
    const genres = pick(GENRES, 1 + Math.floor(rand() * 3));
    const parents = pick(PARENTS, 1 + Math.floor(rand() * 4));
    const publisher = Math.floor(rand() ** 2 * publisherQuality.length);
    const quality = publisherQuality[publisher]! + (genres.includes('role-playing-games-rpg') ? 0.4 : 0) - (genres.includes('casual') ? 0.3 : 0) + (rand() - 0.5);
    const metacritic = rand() < 0.3 ? Math.round(70 + quality * 12 + (rand() - 0.5) * 10) : null;
    const rated = rand() < 0.6;
    const ratingsCount = Math.floor(Math.exp(2 + quality + parents.length * 0.4 + rand() * 2));
    rows.push({
      game_id: i + 1,
      released,
      release_year: Number(released.slice(0, 4)),
      release_month: Number(released.slice(5, 7)),
      metacritic,
      playtime: Math.floor(rand() * 40),
      esrb_rating: rand() < 0.5 ? null : ESRB[Math.floor(rand() * ESRB.length)],
      genres: genres.join('|'),
      genre_count: genres.length,
      parent_platforms: parents.join('|'),
      platform_count: parents.length + Math.floor(rand() * 3),
      store_count: Math.floor(rand() * 5),
      top_tags: pick(TAGS, Math.floor(rand() * 6)).join('|'),
      publisher_prior_games: Math.floor(rand() * 40),
      publisher_prior_avg_rating: rand() < 0.2 ? null : 3 + publisherQuality[publisher]! * 0.8 + (rand() - 0.5) * 0.3,
      developer_prior_games: Math.floor(rand() * 20),
      developer_prior_avg_rating: rand() < 0.4 ? null : 3 + quality * 0.5,
      views_7d: Math.floor(ratingsCount / 50),
      wishlist_adds_7d: Math.floor(ratingsCount / 400),
      rating: rated ? Math.min(5, Math.max(1, 3.2 + quality * 0.8 + (rand() - 0.5) * 0.6)) : null,
      ratings_count: ratingsCount,
      popular: ratingsCount > 100,
    });
  }
  return rows;
}

async function loadTest(args: string[]): Promise<autocannon.Result> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const { stdout } = await promisify(execFile)(process.execPath, [cli, '--json', '-c', '10', '-d', '10', ...args], { maxBuffer: 10_000_000 });
  return JSON.parse(stdout) as autocannon.Result;
}

export const mlLifecycle: Benchmark = {
  name: 'ml-lifecycle',
  target: `at ${GAMES.toLocaleString('en')} games: training (both models, as the assets do) < 5 min; batch scoring ≥ 20,000 games/s; online prediction p99 ≤ 100 ms under load`,
  async run() {
    const home = mkdtempSync(path.join(tmpdir(), 'gmp-bench-ml-'));
    try {
      const t0 = performance.now();
      const rows = syntheticFeatureRows(GAMES);
      progress(`ml-lifecycle: ${GAMES.toLocaleString('en')} feature rows generated in ${((performance.now() - t0) / 1000).toFixed(1)} s; training…`);
      const clock = fixedClock('2025-06-30T12:00:00Z');
      const lakeDir = path.join(home, 'lake');
      mkdirSync(lakeDir, { recursive: true });
      const lake = await createObjectStore({ type: 'local', root: lakeDir });
      const state = await createStateStore({ type: 'sqlite', path: path.join(home, 'state.sqlite') });
      const training: Record<string, number> = {};
      const outcomes: TrainingOutcome[] = [];
      try {
        for (const definition of GAME_MODELS) {
          const t = performance.now();
          const outcome = await runTraining({ definition, rows, asOf: '2025-06-30', store: state, lake, clock, logger: createLogger({ level: 'silent' }), runId: `bench-${definition.model}` });
          training[definition.model] = (performance.now() - t) / 1000;
          outcomes.push(outcome);
          progress(`ml-lifecycle: ${definition.model} trained in ${training[definition.model]!.toFixed(1)} s (${outcome.trained.metrics.best_iteration! + 1} rounds)`);
        }
      } finally {
        await state.close();
      }

      // Batch scoring as ml/game_predictions does: encode with each model's spec, score both.
      const t1 = performance.now();
      let checksum = 0;
      for (const row of rows) for (const o of outcomes) checksum += predictRow(o.trained.trees, encodeRow(o.trained.spec, row));
      const batchS = (performance.now() - t1) / 1000;
      progress(`ml-lifecycle: batch scoring ${Math.round(GAMES / batchS).toLocaleString('en')} games/s; serving…`);

      // The online API: a warehouse holding the features mart, the registry above, gmp serve.
      const file = path.join(home, 'warehouse.duckdb');
      const jsonl = path.join(home, 'features.jsonl');
      writeFileSync(jsonl, rows.map((r) => JSON.stringify(r)).join('\n'));
      const w = await createDuckDbWarehouse({ path: file });
      await w.execute(['CREATE SCHEMA marts', `CREATE TABLE marts.ml_game_features AS SELECT * FROM read_json_auto('${jsonl}', format = 'newline_delimited')`]);
      await w.close();
      const shared = createSharedWarehouse({ type: 'duckdb', path: file });
      await shared.publishSnapshot();
      await shared.close();
      const ws = openWorkspace({ env: { GMP_HOME: home, GMP_WAREHOUSE_URL: file, GMP_LAKE_URL: lakeDir }, cwd: home, clock });
      const server = await startServer({ ws, host: '127.0.0.1', port: 0, readOnly: true, logger: createLogger({ level: 'silent' }) });
      let online: autocannon.Result;
      try {
        await fetch(`${server.url}/api/v1/games/4242/prediction`); // loads the models
        online = await loadTest([`${server.url}/api/v1/games/4242/prediction`]);
      } finally {
        await server.close();
      }
      const rating = outcomes[0]!.trained.metrics;
      const popularity = outcomes[1]!.trained.metrics;
      const trainingTotal = Object.values(training).reduce((a, b) => a + b, 0);
      return {
        name: this.name,
        figures: {
          games: GAMES,
          trainingS: Object.fromEntries(Object.entries(training).map(([k, v]) => [k, Math.round(v * 10) / 10])),
          trainingTotalS: Math.round(trainingTotal * 10) / 10,
          ratingRmse: rating.rmse,
          ratingBaselineRmse: rating.baseline_rmse,
          ratingLinearRmse: rating.linear_rmse,
          popularityAuc: popularity.auc,
          scorerMaxAbsDiff: Math.max(rating.scorer_max_abs_diff!, popularity.scorer_max_abs_diff!),
          batchScoringGamesPerS: Math.round(GAMES / batchS),
          batchChecksum: Math.round(checksum),
          onlineRequestsPerS: Math.round(online.requests.average),
          onlineP50Ms: online.latency.p50,
          onlineP99Ms: online.latency.p99,
          onlineErrors: online.errors + online.non2xx,
          onlineConnections: 10,
        },
        target: this.target,
        met: trainingTotal < 300 && GAMES / batchS >= 20_000 && online.latency.p99 <= 100 && online.errors + online.non2xx === 0,
      };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};
