import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { walkFiles } from '../walk-files.js';

let fingerprint: string | undefined;

/**
 * What identifies the code that parses and renders models: the size and modification time of
 * every source file of transform/ and warehouse/ (dialects render SQL too), so a rebuilt or edited
 * gmp never reuses what an older one rendered. About a hundred stats, once per process.
 */
export function compilerFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const transform = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha1');
  for (const root of [transform, path.join(path.dirname(transform), 'warehouse')]) {
    for (const file of sourceFiles(root)) {
      const stat = statSync(file);
      hash.update(`${path.relative(transform, file)}\u0000${stat.size}\u0000${stat.mtimeMs}\n`);
    }
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

function sourceFiles(dir: string): string[] {
  return walkFiles(dir, (name) => /\.(?:js|ts)$/.test(name) && !/\.test\.|\.d\.ts$/.test(name));
}
