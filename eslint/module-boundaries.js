// @ts-check
// The module arrows of DESIGN.md, enforced: a module imports only the modules below it, and only
// through their public index.ts. A wrong import fails `npm run lint` (and so `make test`).
import path from 'node:path';

/** What each top-level module may import (besides itself). Tests, benchmarks and scripts may import any index. */
export const MODULE_ARROWS = {
  core: [],
  lake: ['core'],
  warehouse: ['core'],
  ingestion: ['core', 'lake'],
  sandbox: ['core'],
  transform: ['core', 'warehouse'],
  ml: ['core', 'lake'],
  orchestration: ['core', 'lake', 'warehouse', 'ingestion', 'transform', 'ml'],
  app: ['core', 'lake', 'warehouse', 'ingestion', 'transform', 'ml', 'orchestration', 'sandbox'],
  // `gmp serve` starts the HTTP face.
  cli: ['core', 'app', 'server'],
  server: ['core', 'app'],
};
/** Folders whose files may import any module, through its index (bench may reach deeper: it measures internals). */
const ANY_INDEX = new Set(['tests', 'scripts']);
const ANY_DEPTH = new Set(['bench']);
/**
 * Public entry points beside a module's index.ts: parts loaded on demand, so that a command that
 * does not need them never loads their heavy dependency (pg, the AWS SDK, snowflake-sdk).
 */
const LAZY_ENTRIES = new Set([
  'orchestration/state/postgres-state-store.js',
  'orchestration/state/postgres-driver.js',
  'lake/s3-object-store.js',
  'warehouse/snowflake/index.js',
  'warehouse/postgres/index.js',
  // `gmp compile` must not load the whole app (orchestration, ML, …) to print SQL.
  'app/compile-models.js',
  // `gmp partitions` on an ingestion asset: config, the state store and the endpoint specs only,
  // not the engine its index loads (lake, warehouse, models).
  'app/partition-status-entry.js',
  'orchestration/state/create-state-store.js',
  'ingestion/sources/rawg/index.js',
]);

/** @type {import('eslint').Rule.RuleModule} */
export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the module arrows of DESIGN.md, through index.ts' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = path.relative(root, context.filename);
    const [from] = file.split(path.sep);
    if (from === undefined || file.startsWith('..') || !file.includes(path.sep)) return {};
    const check = (/** @type {any} */ node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.relative(root, path.resolve(path.dirname(context.filename), spec));
      const parts = target.split(path.sep);
      const to = parts[0];
      if (to === undefined || to === from || !(to in MODULE_ARROWS)) return;
      if (ANY_DEPTH.has(from)) return;
      const allowed = ANY_INDEX.has(from) || (MODULE_ARROWS[/** @type {keyof typeof MODULE_ARROWS} */ (from)] ?? []).includes(to);
      if (!allowed) {
        context.report({ node: node.source, message: `${from}/ may not import ${to}/ (DESIGN.md module arrows: ${from} → ${(MODULE_ARROWS[/** @type {keyof typeof MODULE_ARROWS} */ (from)] ?? []).join(', ') || 'nothing'})` });
      } else if ((parts.length !== 2 || parts[1] !== 'index.js') && !LAZY_ENTRIES.has(parts.join('/'))) {
        context.report({ node: node.source, message: `import ${to}/ through its public ${to}/index.js, not ${target}` });
      }
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};
