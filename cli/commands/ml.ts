import type { Command } from 'commander';
import { positiveInt } from '../parse-options.js';
import { formatDuration, formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

const f4 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : v.toFixed(4));

/** `gmp ml`: training runs (MLflow's shape), the model registry and predictions. */
export function registerMl(program: Command): void {
  const ml = program
    .command('ml')
    .enablePositionalOptions()
    .description('prediction models: training runs, versions and aliases, promotion, predictions')
    .addHelpText(
      'after',
      `
Two models learn from marts.ml_game_features: game_rating_model (regression: the rating) and
game_popularity_model (classification: more than 100 ratings). Training is an asset:
  gmp materialize --select tag:training      train both (XGBoost, in a child process), then
                                             register each as a new version (alias candidate)
  gmp materialize --select ml/game_predictions+   score every game with the production models
The schedule weekly_models retrains them on Mondays. A new version becomes production only if it
beats production on the same holdout (games released after its training cut-off).

Examples:
  gmp ml runs                      the latest runs with their holdout metrics and baselines
  gmp ml runs --json               every run as JSON (metrics include rmse and baseline_rmse)
  gmp ml show <run-id>             params, every metric (per boosting round), tags, artifacts
  gmp ml compare <run-id> <run-id> side by side
  gmp ml models                    versions, aliases and who moved them
  gmp ml promote game_rating_model 3   refused when v3 is not better on its holdout
  gmp ml predict 3498              a game's predictions and their top reasons

Set MLFLOW_TRACKING_URI to also log every run to an MLflow tracking server.`,
    );

  ml.command('runs')
    .description('the latest training runs: status, holdout metric against the mean and linear baselines, version')
    .option('-m, --model <name>', 'one model (game_rating_model, game_popularity_model)')
    .option('-n, --limit <n>', 'how many runs', positiveInt, 20)
    .option('--json', 'print as JSON (params, tags, artifacts, each metric at its last step)')
    .action(async (opts: { model?: string; limit: number; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listMlRuns } = await import('../../app/index.js');
      const runs = await listMlRuns(ws, { ...(opts.model ? { model: opts.model } : {}), limit: opts.limit });
      if (opts.json) return printJson(runs);
      if (runs.length === 0) {
        process.stdout.write('no training runs yet: `gmp materialize --select tag:training` trains the models (after `gmp demo`)\n');
        return;
      }
      const rows = runs.map((r) => {
        const m = r.metrics;
        const regression = m.rmse !== undefined;
        return {
          run: r.runId,
          model: r.experiment,
          status: r.status,
          started: new Date(r.startTime).toISOString().replace('T', ' ').slice(0, 19),
          took: r.endTime === null ? '' : formatDuration(r.endTime - r.startTime),
          metric: r.status === 'FINISHED' ? (regression ? 'rmse' : 'auc') : '',
          value: f4(regression ? m.rmse : m.auc),
          mean_baseline: f4(regression ? m.baseline_rmse : m.baseline_auc),
          linear: f4(regression ? m.linear_rmse : m.linear_auc),
          version: r.version ? `v${r.version.version}${r.version.aliases.length > 0 ? ` (${r.version.aliases.join(', ')})` : ''}` : '',
        };
      });
      process.stdout.write(`${formatTable(rows)}\n`);
      const failed = runs.filter((r) => r.status === 'FAILED');
      for (const r of failed.slice(0, 3)) process.stdout.write(`\n${r.runId} failed: ${r.error ?? 'unknown reason'}\n`);
    });

  ml.command('show')
    .description('one run: params, final metrics, the boosting rounds, tags and artifacts')
    .argument('<run-id>', 'a run id from `gmp ml runs`')
    .option('--json', 'print the run as JSON, with every metric point')
    .action(async (runId: string, opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { showMlRun } = await import('../../app/index.js');
      const run = await showMlRun(ws, runId);
      if (opts.json) return printJson(run);
      const out: string[] = [];
      out.push(`${run.runId}  ${run.experiment}  ${run.status}${run.version ? `  v${run.version.version} ${run.version.aliases.join(', ')}` : ''}`);
      out.push(`started ${new Date(run.startTime).toISOString()}${run.endTime === null ? '' : `, took ${formatDuration(run.endTime - run.startTime)}`}`);
      if (run.error) out.push(`error: ${run.error}`);
      const finals = run.metrics.filter((m) => m.step === 0 && !/^(train|valid)_/.test(m.key));
      if (finals.length > 0) out.push('', 'metrics (holdout):', formatTable(finals.map((m) => ({ metric: m.key, value: m.value }))));
      const rounds = run.metrics.filter((m) => /^(train|valid)_/.test(m.key));
      if (rounds.length > 0) {
        const steps = [...new Set(rounds.map((m) => m.step))].sort((a, b) => a - b);
        const keys = [...new Set(rounds.map((m) => m.key))].sort();
        const shown = steps.length <= 12 ? steps : [...steps.slice(0, 5), ...steps.slice(-5)];
        out.push('', `boosting rounds (${steps.length}${shown.length < steps.length ? ', first and last 5' : ''}):`);
        out.push(formatTable(shown.map((step) => Object.fromEntries([['round', step], ...keys.map((k) => [k, rounds.find((m) => m.key === k && m.step === step)?.value ?? null])]))));
      }
      out.push('', 'params:', ...Object.entries(run.params).map(([k, v]) => `  ${k} = ${v}`));
      out.push('', 'tags:', ...Object.entries(run.tags).map(([k, v]) => `  ${k} = ${v}`));
      if (run.artifacts.length > 0) out.push('', 'artifacts (lake):', ...run.artifacts.map((a) => `  ${a.path}  ${a.bytes} bytes  ${a.key}`));
      process.stdout.write(`${out.join('\n')}\n`);
    });

  ml.command('compare')
    .description('runs side by side: every param and metric')
    .argument('<run-ids...>', 'two or more run ids from `gmp ml runs`')
    .option('--json', 'print as JSON')
    .action(async (runIds: string[], opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { compareMlRuns } = await import('../../app/index.js');
      const cmp = await compareMlRuns(ws, runIds);
      if (opts.json) return printJson(cmp);
      const row = (name: string, get: (r: (typeof cmp.runs)[number]) => unknown) => Object.fromEntries([['', name], ...cmp.runs.map((r) => [r.runId, get(r) ?? ''])]);
      const rows = [
        row('model', (r) => r.experiment),
        row('status', (r) => r.status),
        row('version', (r) => (r.version ? `v${r.version.version}` : '')),
        ...cmp.metrics.map((k) => row(k, (r) => (r.metrics[k] === undefined ? '' : f4(r.metrics[k])))),
        ...cmp.params.map((k) => row(k, (r) => r.params[k])),
      ];
      process.stdout.write(`${formatTable(rows)}\n`);
    });

  ml.command('models')
    .description('registered models: versions, their aliases (production, candidate) and the alias history')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listRegisteredModels } = await import('../../app/index.js');
      const models = await listRegisteredModels(ws);
      if (opts.json) return printJson(models);
      const out: string[] = [];
      for (const m of models) {
        out.push(`${m.model}: ${m.versions.length === 0 ? 'no versions yet' : `${m.versions.length} version${m.versions.length === 1 ? '' : 's'}`}`);
        if (m.versions.length > 0) out.push(formatTable(m.versions.slice(0, 10).map((v) => ({ version: v.version, aliases: v.aliases.join(', '), run: v.runId, registered: v.createdAt.replace('T', ' ').slice(0, 19) }))));
        for (const h of m.history.slice(0, 5)) out.push(`  ${h.at.replace('T', ' ').slice(0, 19)}  ${h.alias} → v${h.version} by ${h.by}: ${h.reason}`);
        out.push('');
      }
      process.stdout.write(`${out.join('\n')}`);
    });

  ml.command('promote')
    .description('point production at a version: refused unless it beats production on the same holdout')
    .argument('<model>', 'game_rating_model or game_popularity_model')
    .argument('<version>', 'a version number from `gmp ml models`', positiveInt)
    .option('--force', 'promote even when not better (recorded as forced in the alias history)')
    .option('--json', 'print the decision as JSON')
    .action(async (model: string, version: number, opts: { force?: boolean; json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { promoteModel } = await import('../../app/index.js');
      const result = await promoteModel(ws, { model, version, by: 'cli', ...(opts.force ? { force: true } : {}) });
      if (opts.json) return printJson(result);
      process.stdout.write(`${model}: ${result.reason}\n`);
    });

  ml.command('predict')
    .description("a game's predictions from the production models, with the features that moved them most")
    .argument('<game-id>', 'a game id from the marts', positiveInt)
    .option('--json', 'print as JSON')
    .action(async (gameId: number, opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { predictGame } = await import('../../app/index.js');
      const p = await predictGame(ws, gameId);
      if (opts.json) return printJson(p);
      const out: string[] = [];
      for (const m of [p.rating, p.popularity]) {
        if (m === null) continue;
        const value = m.target === 'rating' ? `rating ${m.value.toFixed(2)}` : `popular with probability ${(m.value * 100).toFixed(1)}%`;
        out.push(`${m.model} v${m.version}: ${value}`);
        for (const c of m.contributions) out.push(`  ${c.contribution >= 0 ? '+' : '−'}${Math.abs(c.contribution).toFixed(3)}  ${c.label}${c.value === null ? ' (missing)' : c.feature.includes('=') ? '' : ` = ${Math.round(c.value * 100) / 100}`}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
