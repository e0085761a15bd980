import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder gmp treats as the project when run from `cwd`: the nearest folder, walking up as git
 * finds `.git`, that holds a `.gmp` folder (the default GMP_HOME) or a `.env` file. The walk stops
 * at a repository root (a folder with `.git`) and at the filesystem root; with no project found,
 * `cwd` itself (where a first run creates `.gmp`). `.env` and relative paths resolve from it.
 */
export function findProjectRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (existsSync(path.join(dir, '.gmp')) || existsSync(path.join(dir, '.env'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir || existsSync(path.join(dir, '.git'))) return path.resolve(cwd);
    dir = parent;
  }
}
