import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/index.js';
import { progress } from './progress.js';

/**
 * Runs `npm run build` when dist/ lacks the bundled CLI bin/gmp.js runs (dist/gmp/main.js) or tsc's
 * per-module output some benchmarks import (dist/cli/main.js); throws when the build fails.
 */
export function ensureBuild(): void {
  const root = packageRoot();
  if (['gmp', 'cli'].every((dir) => existsSync(path.join(root, 'dist', dir, 'main.js')))) return;
  progress('dist/ is missing: running `npm run build`');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed (status ${String(result.status)})`);
}
