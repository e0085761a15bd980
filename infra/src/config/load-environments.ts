import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ENVIRONMENTS_SCHEMA, type EnvironmentConfig } from './environment-config.js';

/** A configuration problem; `problems` lists every invalid field, each as `path: message`. */
export class InfraConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid infra configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InfraConfigError';
  }
}

/**
 * Validates already-parsed environments data. Returns every environment with defaults applied;
 * throws InfraConfigError listing all problems at once (never just the first).
 */
export function parseEnvironments(raw: unknown, source = 'environments'): EnvironmentConfig[] {
  const parsed = ENVIRONMENTS_SCHEMA.safeParse(raw);
  if (!parsed.success) throw new InfraConfigError(source, parsed.error.issues.map((issue) => describeIssue(raw, issue)));
  return parsed.data.environments;
}

/** Reads and validates a JSON environments file; throws InfraConfigError for unreadable JSON too. */
export function loadEnvironments(file: string): EnvironmentConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new InfraConfigError(file, [`cannot read the file as JSON: ${(cause as Error).message}`]);
  }
  return parseEnvironments(raw, file);
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const where = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
  const value = valueAt(raw, issue.path);
  // Show the offending scalar so "must be a 12-digit account id" says which value was wrong.
  const got = typeof value === 'string' || typeof value === 'number' ? ` (got ${JSON.stringify(value)})` : '';
  return `${where}: ${issue.message}${got}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
