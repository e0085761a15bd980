import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

// A project of one's own: a models folder outside the package (GMP_MODELS_DIR, set in the
// project's .env), used as a dbt user would, then broken by one bad ref.
describe('a project with its own models folder', () => {
  it('is found from a subfolder, takes --vars, and a broken model stops only what needs the models', () => {
    const root = tempDir('gmp-project-');
    cpSync(path.join(packageRoot(), 'models'), path.join(root, 'models'), { recursive: true });
    writeFileSync(path.join(root, 'models', 'marts', 'greeting.sql'), "select '{{ var(\"greeting\", \"hello\") }}' as greeting\n");
    writeFileSync(path.join(root, '.env'), 'GMP_MODELS_DIR=models\n');
    const sub = path.join(root, 'notebooks', 'q4');
    mkdirSync(sub, { recursive: true });

    const demo = runGmp(['demo'], { cwd: root });
    expect(demo.status, demo.stderr).toBe(0);
    // From a subfolder, gmp finds the project (its .env and .gmp) as git finds .git.
    const runs = runGmp(['runs', '--json'], { cwd: sub });
    expect(runs.status, runs.stderr).toBe(0);
    expect((JSON.parse(runs.stdout) as { kind: string }[]).map((r) => r.kind)).toEqual(['demo']);

    const withVars = runGmp(['materialize', '--select', 'marts/greeting', '--vars', '{"greeting": "hej"}'], { cwd: sub });
    expect(withVars.status, withVars.stderr).toBe(0);
    const greeting = JSON.parse(runGmp(['query', 'select greeting from marts.greeting', '--json'], { cwd: sub }).stdout) as { greeting: string }[];
    expect(greeting).toEqual([{ greeting: 'hej' }]);
    // A backfill keeps its --vars, so a resume builds the same models.
    const backfill = runGmp(['backfill', '--select', 'marts/greeting,marts/fct_game_daily_snapshot', '--from', 'yesterday', '--to', 'yesterday', '--force', '--vars', '{"greeting": "hallo"}', '--json'], { cwd: sub });
    expect(backfill.status, backfill.stderr).toBe(0);
    const { backfill: record } = JSON.parse(backfill.stdout) as { backfill: { backfillId: string; options: { vars?: unknown } } };
    expect(record.options.vars).toEqual({ greeting: 'hallo' });
    expect(JSON.parse(runGmp(['query', 'select greeting from marts.greeting', '--json'], { cwd: sub }).stdout)).toEqual([{ greeting: 'hallo' }]);
    const badVars = runGmp(['materialize', '--select', 'marts/greeting', '--vars', 'greeting=hej'], { cwd: sub });
    expect(badVars.status).toBe(2);
    expect(badVars.stderr).toMatch(/--vars.*expected a JSON object/);

    const lineage = runGmp(['lineage', 'marts/dim_games', '--upstream', '--json'], { cwd: sub });
    expect(lineage.status, lineage.stderr).toBe(0);
    expect(JSON.parse(lineage.stdout)).toMatchObject({ asset: 'marts/dim_games', direction: 'upstream' });

    writeFileSync(path.join(root, 'models', 'marts', 'broken.sql'), "-- one bad ref\n\nselect * from {{ ref('dim_gamez') }}\n");
    writeFileSync(path.join(root, 'models', 'marts', 'also_broken.sql'), "select {{ var('x' }} as y\n");
    // What needs no models keeps working.
    const query = runGmp(['query', 'select 1 as one', '--json'], { cwd: sub });
    expect(query.status, query.stderr).toBe(0);
    expect(JSON.parse(query.stdout)).toEqual([{ one: 1 }]);
    for (const args of [['runs'], ['budget'], ['backfill', 'list'], ['partitions', 'rawg/games']]) {
      const r = runGmp(args, { cwd: sub });
      expect(r.status, `gmp ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const partitions = runGmp(['partitions', 'marts/fct_game_daily_snapshot'], { cwd: sub });
    expect(partitions.status, partitions.stderr).toBe(0);
    expect(partitions.stdout).toMatch(/ok \(7\)/);
    expect(partitions.stderr).toMatch(/^note: the models have 2 definition problem\(s\)/);

    // What needs them lists every problem, one per line with file and line.
    for (const args of [['compile'], ['materialize', '--select', 'marts/dim_games']]) {
      const r = runGmp(args, { cwd: sub });
      expect(r.status, args.join(' ')).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(`error: 2 definition problems in ${path.join(root, 'models')}:`);
      expect(lines).toContain("  marts/broken.sql:3: unknown ref('dim_gamez') (did you mean 'dim_date', 'dim_games'?)");
      expect(lines.some((l) => /^ {2}marts\/also_broken\.sql:1: /.test(l))).toBe(true);
    }
  }, 120_000);
});
