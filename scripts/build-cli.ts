// Bundles the `gmp` CLI (cli/main.ts) into dist/gmp/ with esbuild: ES modules split into chunks,
// so each command still loads only what it imports, but as a few dozen files instead of hundreds
// (loading ~100 of gmp's own ES modules and zod's 95 was a third of a cold `gmp compile`).
// Run by `npm run build` after tsc, whose per-module output stays in dist/ for the bench children,
// tests and infra/ that import dist modules; bin/gmp.js runs dist/gmp/main.js.
//
// Dependencies stay external (node_modules, resolved at run time) but the pure ES module ones in
// BUNDLED: the others are native (@duckdb/*, better-sqlite3, koffi), CommonJS (pino, commander,
// nunjucks, yaml, pg*, ioredis, prom-client, sanitize-html, snowflake-sdk; commander bundled
// measured slower than required) or heavy and for one command (@aws-sdk/*, hono, @hono/*).
// @hono/zod-openapi keeps its own zod from node_modules: zod shares its global registry and
// config between copies (globalThis), and no schema crosses between gmp's code and the server's.
//
// The partial-parse cache must never reuse what an older gmp rendered: compilerFingerprint()
// hashes the bundle's own files when __GMP_BUNDLE__ is defined (see compiler-fingerprint.ts).
// Source maps sit beside the bundle (`.js.map`): stack traces name gmp's functions (nothing is
// minified) and, with GMP_DEBUG=1 (bin/gmp.js enables source maps then), the TypeScript files.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const BUNDLED = new Set(['zod', 'p-limit']);

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'gmp');
const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`]);
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
  external,
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
