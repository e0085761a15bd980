import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

interface DemoJson {
  synthetic: boolean;
  run: { status: string; steps: { status: string }[] };
  tables: { relation: string; rows: number }[];
}

describe('gmp demo on a fresh folder', () => {
  it('runs with no configuration, says the data is synthetic, and a second run gives the same mart counts', () => {
    const cwd = tempDir('gmp-demo-');
    const first = runGmp(['demo'], { cwd });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/SYNTHETIC DATA/);
    expect(first.stdout).toMatch(/run \S+ succeeded/);
    expect(first.stdout).toMatch(/marts\.dim_games\s+\d+/);

    const second = runGmp(['demo', '--json'], { cwd });
    expect(second.status, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout) as DemoJson;
    expect(result.synthetic).toBe(true);
    expect(result.run.steps.every((s) => s.status === 'succeeded')).toBe(true);
    for (const t of result.tables) {
      const line = new RegExp(`${t.relation.replace('.', '\\.')}\\s+${t.rows}\\b`);
      expect(first.stdout, t.relation).toMatch(line);
    }
    expect(result.tables.find((t) => t.relation === 'marts.dim_games')!.rows).toBeGreaterThan(700);

    // One committed run per partition: a re-run replaced the lake partitions, it did not add to them.
    const games = path.join(cwd, '.gmp', 'lake', 'raw', 'rawg', 'games');
    for (const dt of readdirSync(games)) {
      expect(readdirSync(path.join(games, dt)).filter((f) => f.startsWith('run=')), dt).toHaveLength(1);
    }
    const query = runGmp(['query', 'select count(*) as n, count(distinct game_id) as ids from marts.dim_games', '--json'], { cwd });
    const [row] = JSON.parse(query.stdout) as { n: number; ids: number }[];
    expect(row!.n).toBe(row!.ids);

    const runs = runGmp(['runs', '--json'], { cwd });
    expect((JSON.parse(runs.stdout) as unknown[]).length).toBe(2);
  });
});
