import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelFile } from './model.js';

const MODEL_FOLDERS = ['staging', 'marts'];

/** Every `*.sql` model under `<dir>/staging` and `<dir>/marts` (recursively), sorted by name. */
export function loadModelFiles(dir: string): ModelFile[] {
  const files: ModelFile[] = [];
  for (const schema of MODEL_FOLDERS) {
    for (const { full, relative, name } of walk(path.join(dir, schema), schema)) {
      files.push({ name: name.slice(0, -'.sql'.length), file: relative, schema, template: readFileSync(full, 'utf8') });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

// Paths are built as they are walked (`path.relative` per file costs more than reading it).
function walk(dir: string, relative: string): { full: string; relative: string; name: string }[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = `${dir}${path.sep}${e.name}`;
    const rel = `${relative}/${e.name}`;
    if (e.isDirectory()) return walk(full, rel);
    return e.isFile() && e.name.endsWith('.sql') ? [{ full, relative: rel, name: e.name }] : [];
  });
}
