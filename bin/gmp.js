#!/usr/bin/env node
// The `gmp` executable: runs the bundled CLI, dist/gmp/main.js (build it with `npm run build`;
// scripts/build-cli.ts bundles it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/gmp/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('error: gmp is not built yet\nhint: run `npm run build` (or `make demo`) in the project folder\n');
  process.exit(2);
}
// gmp pins its AWS SDK version, so the SDK's notice that *future* SDK releases will need Node 22
// is nothing a gmp user can act on; it would otherwise print on every command touching S3.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// GMP_DEBUG=1 prints stack traces: through the bundle's source maps (dist/gmp/*.js.map) they name
// the TypeScript files and lines. Off otherwise: reading the maps would slow every command.
if (process.env.GMP_DEBUG === '1') process.setSourceMapsEnabled(true);
const { main } = await import(entry.href);
await main(process.argv);
