// Bundles the `gmp` CLI (cli/main.ts) into dist/gmp/ with esbuild: ES modules split into chunks,
// so each command still loads only what it imports, but as a few dozen files instead of hundreds
// (loading ~100 of gmp's own ES modules and zod's 95 was a third of a cold `gmp compile`).
// Run by `npm run build` after tsc, whose per-module output stays in dist/ for the bench children,
// tests and infra/ that import dist modules; bin/gmp.js runs dist/gmp/main.js.
//
// Packages stay external (node_modules, resolved at run time) when they are native (@duckdb/*,
// better-sqlite3, koffi), CommonJS (pino, commander, nunjucks, yaml, pg*, ioredis, prom-client,
// sanitize-html, snowflake-sdk) or heavy and used by one command only (@aws-sdk/*, hono,
// @hono/*). zod stays external too: @hono/zod-openapi imports it from node_modules, and one zod
// per process keeps schemas and their OpenAPI extension on the same classes.
//
// The partial-parse cache must never reuse what an older gmp rendered: compilerFingerprint()
// hashes the bundle's own files when __GMP_BUNDLE__ is defined (see compiler-fingerprint.ts).
// Source maps sit beside the bundle (`.js.map`): stack traces name gmp's functions (nothing is
// minified) and, under NODE_OPTIONS=--enable-source-maps, point at the TypeScript sources.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'gmp');
rmSync(out, { recursive: true, force: true });
const result = await build({
  entryPoints: {
    main: path.join(root, 'cli', 'main.ts'),
    // Spawned by ml/xgboost/train-boosted-trees.ts as ./xgboost-worker.js beside its own chunk.
    'xgboost-worker': path.join(root, 'ml', 'xgboost', 'xgboost-worker.ts'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  sourcemap: 'linked',
  sourcesContent: false,
  define: { __GMP_BUNDLE__: 'true' },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const files = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
process.stdout.write(`bundled the CLI into ${path.relative(root, out)} (${files.length} files)\n`);
