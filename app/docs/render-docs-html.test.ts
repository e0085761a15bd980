import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/workspace.js';
import { openWorkspace } from '../workspace.js';
import type { DocsData } from './docs-data.js';
import { layoutLineage } from './layout-lineage.js';
import { renderDocsHtml } from './render-docs-html.js';
import { writeDocs } from './write-docs.js';

const EVIL = '<script>alert("x")</script>';

function evilDocs(): DocsData {
  return {
    generatedAt: '2024-05-01T00:00:00.000Z',
    assets: [
      { key: 'rawg/games', kind: 'ingestion', group: 'rawg', partitions: 'daily from 2015-01-01', deps: [], description: `raw ${EVIL}` },
      { key: 'marts/evil', kind: 'table', group: 'marts', partitions: '-', deps: ['rawg/games'], description: EVIL },
    ],
    models: [
      {
        name: 'evil',
        key: 'marts/evil',
        relation: 'marts.evil',
        schema: 'marts',
        file: 'marts/evil.sql',
        materialized: 'table',
        tags: ['<b>tag</b>'],
        refs: [],
        sources: ['rawg/games'],
        description: `model ${EVIL}`,
        compiledSql: `select '</code></pre><script>alert(1)</script>' as x`,
        columnLineage: { resolved: true },
        columns: [{ name: '"><img src=x onerror=alert(1)>', description: `column ${EVIL}`, sources: ['raw.rawg_games.value→x'], origins: ['raw.rawg_games.value→x'], resolved: true }],
        tests: [{ name: 'not_null_x', kind: 'not_null', column: 'x', severity: 'warn', description: `test ${EVIL}`, where: 'marts/evil.yml:3' }],
      },
    ],
    sources: [{ key: 'rawg/games', relation: 'raw.rawg_games', description: `source ${EVIL}` }],
    checks: [{ key: 'checks/marts/evil/not_null_x', asset: 'marts/evil', description: `check ${EVIL}`, severity: 'warn', blocking: false, partitions: '-' }],
    lineage: { nodes: ['rawg/games', 'marts/evil'], edges: [{ from: 'rawg/games', to: 'marts/evil' }] },
  };
}

describe('renderDocsHtml', () => {
  it('escapes every text it is given: only its own script tag survives', () => {
    const html = renderDocsHtml(evilDocs());
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>tag</b>');
    expect(html).toContain('model &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    for (const what of ['raw', 'column', 'test', 'source', 'check']) expect(html).toContain(`${what} &lt;script&gt;`);
    expect(html).toContain('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;');
    expect(html).toContain('id="model-marts/evil"');
    expect(html).toMatch(/<svg class="lineage"[^>]*>[\s\S]*data-from="rawg\/games" data-to="marts\/evil"[\s\S]*<\/svg>/);
  });
});

describe('layoutLineage', () => {
  it('places every edge left to right, by depth, with no two nodes overlapping', () => {
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'a', to: 'c' },
      { from: 'd', to: 'c' },
    ];
    const layout = layoutLineage(['c', 'b', 'a', 'd'], edges);
    const at = new Map(layout.nodes.map((n) => [n.key, n]));
    expect(Object.fromEntries(layout.nodes.map((n) => [n.key, n.depth]))).toEqual({ a: 0, d: 0, b: 1, c: 2 });
    for (const e of edges) expect(at.get(e.from)!.x).toBeLessThan(at.get(e.to)!.x);
    const spots = layout.nodes.map((n) => `${n.x},${n.y}`);
    expect(new Set(spots).size).toBe(spots.length);
    for (const n of layout.nodes) expect(n.y + layout.nodeHeight).toBeLessThanOrEqual(layout.height);
  });
});

describe('writeDocs', () => {
  it('documents every asset and model of the shipped project in index.html and docs.json', async () => {
    const home = tempDir();
    const ws = openWorkspace({ cwd: home, env: { GMP_HOME: home } });
    const out = path.join(home, 'site');
    const { html, json } = await writeDocs(ws, out);
    expect([html, json]).toEqual([path.join(out, 'index.html'), path.join(out, 'docs.json')]);
    const page = readFileSync(html, 'utf8');
    const data = JSON.parse(readFileSync(json, 'utf8')) as DocsData;
    const assetKeys = [...ws.graph.assets.values()].filter((a) => a.kind !== 'check').map((a) => a.key);
    expect(data.assets.map((a) => a.key).sort()).toEqual([...assetKeys].sort());
    expect(data.models.map((m) => m.name).sort()).toEqual(ws.project.nodes.map((n) => n.name).sort());
    expect(data.checks.length).toBe(ws.graph.order.length - assetKeys.length);
    for (const a of assetKeys) expect(page).toContain(`id="asset-${a}"`);
    for (const m of ws.project.nodes) {
      expect(page).toContain(`id="model-${m.schema}/${m.name}"`);
      expect(page).toContain(`<h3 class="mono">${m.relation}</h3>`);
    }
    const dim = data.models.find((m) => m.relation === 'marts.dim_games')!;
    expect(dim.compiledSql).toMatch(/select/i);
    expect(dim.columns.find((c) => c.name === 'metacritic')).toMatchObject({ origins: ['raw.rawg_games.value→metacritic'] });
    expect(dim.tests.length).toBeGreaterThan(0);
    expect(data.lineage.edges).toContainEqual({ from: 'staging/stg_rawg__games', to: 'marts/dim_games' });
  });
});
