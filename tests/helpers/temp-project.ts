import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { DefinitionError } from '../../core/index.js';

/** Writes `files` (relative path → content) into a fresh temp folder and returns the folder. */
export function writeTempProject(files: Record<string, string>, prefix = 'gmp-models-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), body);
  }
  return dir;
}

/** Runs `load`, expects a DefinitionError, and returns its problems. */
export function definitionProblems(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(DefinitionError);
    return (error as DefinitionError).problems;
  }
  throw new Error('expected a DefinitionError');
}
