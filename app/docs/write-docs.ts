import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listAssets } from '../list-assets.js';
import type { Workspace } from '../workspace.js';
import { projectLineage } from '../../orchestration/index.js';
import { collectDocs } from './collect-docs.js';
import type { DocsData } from './docs-data.js';
import { renderDocsHtml } from './render-docs-html.js';

/** Writes `index.html` (self-contained, offline) and `docs.json` into `outDir`; nothing else is touched. */
export async function writeDocs(ws: Workspace, outDir: string): Promise<{ html: string; json: string; data: DocsData }> {
  const lineage = await projectLineage(ws.lineageProject);
  const assets = listAssets(ws);
  const data = collectDocs({ assets, project: ws.project, lineage, generatedAt: ws.clock.now().toISOString() });
  mkdirSync(outDir, { recursive: true });
  const html = path.join(outDir, 'index.html');
  const json = path.join(outDir, 'docs.json');
  writeFileSync(html, renderDocsHtml(data));
  writeFileSync(json, `${JSON.stringify(data, null, 2)}\n`);
  return { html, json, data };
}
