export { collectDocs } from './collect-docs.js';
export type { CollectDocsInput } from './collect-docs.js';
export type { DocsCheck, DocsColumn, DocsData, DocsModel, DocsSource, DocsTest } from './docs-data.js';
export { escapeHtml } from './escape-html.js';
export { layoutLineage } from './layout-lineage.js';
export type { LaidOutNode, LineageLayout } from './layout-lineage.js';
export { renderDocsHtml } from './render-docs-html.js';
export { renderLineageSvg } from './render-lineage-svg.js';
export { writeDocs } from './write-docs.js';
