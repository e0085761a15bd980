import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The files under `dir` (recursively, sorted) whose name `keep` accepts; a missing folder has
 * none. Paths are joined only for folders and kept files (a models folder holds thousands).
 */
export function walkFiles(dir: string, keep: (name: string) => boolean): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => {
      if (e.isDirectory()) return walkFiles(path.join(dir, e.name), keep);
      return e.isFile() && keep(e.name) ? [path.join(dir, e.name)] : [];
    })
    .sort();
}
