import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../core/index.js';

let cached: string | undefined;

/**
 * What trained a model, for its run's `gmp.code_version` tag (MLflow's source version): the
 * package version, and the git commit when gmp runs from a checkout (read from .git, no git needed).
 */
export function codeVersion(): string {
  if (cached !== undefined) return cached;
  const root = packageRoot();
  const version = String((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  cached = `${version}${gitCommit(root) === undefined ? '' : `+${gitCommit(root)!.slice(0, 12)}`}`;
  return cached;
}

function gitCommit(root: string): string | undefined {
  try {
    const head = readFileSync(path.join(root, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return /^[0-9a-f]{40}$/.test(head) ? head : undefined;
    const ref = head.slice(5);
    try {
      return readFileSync(path.join(root, '.git', ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(path.join(root, '.git', 'packed-refs'), 'utf8');
      return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0];
    }
  } catch {
    return undefined;
  }
}
