import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Compares `actual` with the reviewed golden file `dir/name`. A missing golden fails; with
 * GMP_UPDATE_GOLDEN=1 the file is (re)written instead, to be reviewed in the diff before committing.
 */
export function expectGolden(dir: string, name: string, actual: string): void {
  const file = path.join(dir, name);
  const text = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (process.env.GMP_UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file ${file} is missing (run with GMP_UPDATE_GOLDEN=1, then review it)`);
  expect(text, `${name} differs from its golden file`).toBe(readFileSync(file, 'utf8'));
}

/** Labelled SQL for a golden file: `-- label`, then the statements, each ended by `;`. */
export function sqlSections(entries: [string, string | string[]][]): string {
  return entries.map(([label, sql]) => `-- ${label}\n${([] as string[]).concat(sql).join(';\n')};`).join('\n\n');
}
