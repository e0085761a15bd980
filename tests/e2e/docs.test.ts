import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

// `gmp docs` needs no warehouse, no API and no key: it loads the models and parses their SQL in memory.
describe('gmp docs', () => {
  it('writes one self-contained index.html and docs.json into --out and prints the page path', () => {
    const cwd = tempDir('gmp-e2e-');
    const result = runGmp(['docs', '--out', 'site'], { cwd });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = path.join(cwd, 'site');
    expect(result.stdout).toBe(`${path.join(out, 'index.html')}\n`);
    expect(readdirSync(out).sort()).toEqual(['docs.json', 'index.html']);
    expect(readdirSync(cwd)).toEqual(['site']);

    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    const data = JSON.parse(readFileSync(path.join(out, 'docs.json'), 'utf8')) as {
      models: { relation: string; description: string; columns: { name: string }[] }[];
      assets: { key: string }[];
    };
    const dim = data.models.find((m) => m.relation === 'marts.dim_games');
    expect(dim?.description).toBeTruthy();
    expect(html).toContain('marts.dim_games');
    expect(html).toContain(dim!.description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(dim!.columns.map((c) => c.name)).toContain('metacritic');
    for (const a of data.assets) expect(html).toContain(a.key);
    expect(html).toContain('<svg class="lineage"');
    // Offline: nothing is fetched — no external scripts, styles, fonts or images.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import|url\(/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
  });

  it('defaults to GMP_HOME/docs', () => {
    const cwd = tempDir('gmp-e2e-');
    const result = runGmp(['docs'], { cwd, env: { GMP_HOME: 'home' } });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(path.join(cwd, 'home', 'docs', 'index.html'));
    expect(existsSync(path.join(cwd, 'home', 'docs', 'docs.json'))).toBe(true);
  });
});
