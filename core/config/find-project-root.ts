import { existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The folder gmp treats as the project when run from `cwd`: `cwd` itself if it holds a `.gmp`
 * folder (the default GMP_HOME) or a `.env` file, else the nearest folder above it that does, as
 * git finds `.git`. The walk stops at a repository root (a folder with `.git`), and never adopts
 * the home folder, the temp folder or the filesystem root as a project from below: a stray `.gmp`
 * there would capture every folder beneath. With no project found, `cwd` (where a first run
 * creates `.gmp`). `.env` and relative paths resolve from it.
 */
export function findProjectRoot(cwd: string, options: { shared?: readonly string[] } = {}): string {
  const start = path.resolve(cwd);
  const shared = new Set([...(options.shared ?? [homedir(), tmpdir()]).map((d) => path.resolve(d)), path.parse(start).root]);
  const isProject = (dir: string) => existsSync(path.join(dir, '.gmp')) || existsSync(path.join(dir, '.env'));
  if (isProject(start)) return start;
  let dir = start;
  while (!existsSync(path.join(dir, '.git'))) {
    const parent = path.dirname(dir);
    if (parent === dir || shared.has(parent)) break;
    if (isProject(parent)) return parent;
    dir = parent;
  }
  return start;
}
