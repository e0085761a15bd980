import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

interface ColumnTraceJson {
  asset: string;
  relation: string;
  column: string;
  direction: string;
  nodes: { id: string; relation: string; column: string; path?: string; resolved: boolean }[];
  edges: { from: string; to: string; path?: string }[];
  origins: string[];
}

// `gmp lineage` parses the compiled SQL in an in-memory DuckDB: no warehouse, no API, nothing written.
describe('gmp lineage', () => {
  it('traces marts/dim_games metacritic down to the raw JSON field, as JSON', () => {
    const cwd = tempDir('gmp-e2e-');
    const result = runGmp(['lineage', 'marts/dim_games', '--column', 'metacritic', '--upstream', '--format', 'json'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const trace = JSON.parse(result.stdout) as ColumnTraceJson;
    expect(trace).toMatchObject({ asset: 'marts/dim_games', relation: 'marts.dim_games', column: 'metacritic', direction: 'upstream' });
    expect(trace.origins).toEqual(['raw.rawg_games.value→metacritic']);
    expect(trace.nodes.map((n) => n.id)).toEqual([
      'marts.dim_games.metacritic',
      'staging.stg_rawg__games.metacritic',
      'staging.stg_rawg__games_daily.metacritic',
      'raw.rawg_games.value→metacritic',
    ]);
    expect(trace.nodes.at(-1)).toMatchObject({ relation: 'raw.rawg_games', column: 'value', path: 'metacritic', resolved: true });
    expect(trace.edges).toHaveLength(3);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('prints asset lineage as text and columns as Mermaid, and rejects an unknown asset with exit 2', () => {
    const cwd = tempDir('gmp-e2e-');
    const text = runGmp(['lineage', 'marts/bridge_game_genres', '--upstream'], { cwd });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^marts\/bridge_game_genres {2}marts\.bridge_game_genres {2}table\nupstream \(4\):/);
    expect(text.stdout).toMatch(/^ {2}staging\/stg_rawg__game_genres_daily {2}staging\.stg_rawg__game_genres_daily {2}partitioned$/m);
    expect(text.stdout).toContain('rawg/games');
    const mermaid = runGmp(['lineage', 'marts/bridge_game_genres', '--columns', '--upstream', '--format', 'mermaid'], { cwd });
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.stdout).toContain('["raw.rawg_games.value→genres[*].id"]');
    const unknown = runGmp(['lineage', 'marts/dim_gamez'], { cwd });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: no asset "marts\/dim_gamez"/);
  });
});
