import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelFile } from './model.js';

const MODEL_FOLDERS = ['staging', 'marts'];

/** Every `*.sql` model under `<dir>/staging` and `<dir>/marts` (recursively), sorted by name. */
export function loadModelFiles(dir: string): ModelFile[] {
  const files: ModelFile[] = [];
  for (const schema of MODEL_FOLDERS) {
    for (const file of walk(path.join(dir, schema))) {
      files.push({
        name: path.basename(file, '.sql'),
        file: path.relative(dir, file).split(path.sep).join('/'),
        schema,
        template: readFileSync(file, 'utf8'),
      });
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return e.isFile() && e.name.endsWith('.sql') ? [full] : [];
  });
}
