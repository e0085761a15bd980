// Bundles the client islands of `gmp serve` (server/client/*.ts, one bundle each, minified, ES2022)
// and copies the static files (server/static/) into dist/server/static, where the server serves
// them from. Run by `npm run build`; nothing is fetched from a CDN at run time.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'server', 'static');
mkdirSync(out, { recursive: true });
cpSync(path.join(root, 'server', 'static'), out, { recursive: true });
const islands = readdirSync(path.join(root, 'server', 'client')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
await build({
  entryPoints: islands.map((f) => path.join(root, 'server', 'client', f)),
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
});
process.stdout.write(`built ${islands.length} client island(s) into ${path.relative(root, out)}\n`);
