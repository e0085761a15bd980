import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from './find-project-root.js';

describe('findProjectRoot', () => {
  const base = () => mkdtempSync(path.join(tmpdir(), 'gmp-root-'));

  it('finds the nearest folder with .gmp or .env above the current one', () => {
    const root = base();
    mkdirSync(path.join(root, '.gmp'));
    const deep = path.join(root, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findProjectRoot(deep)).toBe(root);
    const inner = path.join(root, 'a');
    writeFileSync(path.join(inner, '.env'), 'GMP_HOME=./x\n');
    expect(findProjectRoot(deep)).toBe(inner);
  });

  it('stops at a repository root and answers the current folder when nothing is found', () => {
    const root = base();
    mkdirSync(path.join(root, '.gmp'));
    const repo = path.join(root, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    const sub = path.join(repo, 'src');
    mkdirSync(sub);
    expect(findProjectRoot(sub)).toBe(sub);
  });

  it('never adopts a shared folder (home, temp) as the project of a folder inside it', () => {
    // A stray /tmp/.gmp must not capture every temp folder (tests run in them).
    const shared = base();
    mkdirSync(path.join(shared, '.gmp'));
    const job = path.join(shared, 'job-1');
    mkdirSync(job);
    expect(findProjectRoot(job, { shared: [shared] })).toBe(job);
    expect(findProjectRoot(job, { shared: [] })).toBe(shared);
    // Working in the shared folder itself is still a project.
    expect(findProjectRoot(shared, { shared: [shared] })).toBe(shared);
  });
});
