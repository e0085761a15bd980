import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import type { ModelFile } from './model.js';

const MODEL_FOLDERS = ['staging', 'marts'];

/** Every `*.sql` model under `<dir>/staging` and `<dir>/marts` (recursively), sorted by name. */
export function loadModelFiles(dir: string): ModelFile[] {
  return sortByName(readModelFiles(dir));
}

/** loadModelFiles's models in the order their folders were walked (not sorted). */
export function readModelFiles(dir: string): ModelFile[] {
  const files: ModelFile[] = [];
  for (const schema of MODEL_FOLDERS) {
    for (const { full, relative, name } of walk(path.join(dir, schema), schema)) {
      files.push({ name: name.slice(0, -'.sql'.length), file: relative, schema, template: readText(full) });
    }
  }
  return files;
}

/**
 * `files` sorted in place by name as loadModelFiles sorts them (the locale's collation, stable).
 * The first call in a process costs ~10 ms: it sets up ICU's collator.
 */
export function sortByName(files: ModelFile[]): ModelFile[] {
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

// One buffer for every file: readFileSync allocates one per file and asks its size first (a fstat
// per file), which costs more than the read itself on a project of thousands of small models.
let buffer = Buffer.allocUnsafe(1 << 16);

/** The UTF-8 text of the file at `full` (as readFileSync(full, 'utf8') gives it). */
function readText(full: string): string {
  const fd = openSync(full, 'r');
  try {
    let size = 0;
    for (;;) {
      if (size === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, size);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, size, buffer.length - size, null);
      if (n === 0) break;
      size += n;
    }
    return buffer.toString('utf8', 0, size);
  } finally {
    closeSync(fd);
  }
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
