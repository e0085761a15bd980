import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { walkFiles } from '../walk-files.js';

// Defined (true) by scripts/build-cli.ts in the bundled CLI; undeclared in sources and tsc's dist/.
declare const __GMP_BUNDLE__: boolean | undefined;

let fingerprint: string | undefined;

/**
 * What identifies the code that parses and renders models: the size and modification time of
 * every source file of transform/ and warehouse/ (dialects render SQL too) or, in the bundled CLI
 * (dist/gmp/), of every file of the bundle (this code is one of its chunks), so a rebuilt or edited
 * gmp never reuses what an older one rendered. About a hundred stats, once per process.
 */
export function compilerFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = typeof __GMP_BUNDLE__ !== 'undefined' && __GMP_BUNDLE__;
  const base = bundled ? here : path.dirname(here);
  const roots = bundled ? [here] : [base, path.join(path.dirname(base), 'warehouse')];
  const hash = createHash('sha1');
  for (const root of roots) {
    for (const file of sourceFiles(root)) {
      const stat = statSync(file);
      hash.update(`${path.relative(base, file)}\u0000${stat.size}\u0000${stat.mtimeMs}\n`);
    }
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

function sourceFiles(dir: string): string[] {
  return walkFiles(dir, (name) => /\.(?:js|ts)$/.test(name) && !/\.test\.|\.d\.ts$/.test(name));
}
