import { InvalidArgumentError } from 'commander';

/** Commander parser for options that must be a positive integer. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Commander parser for --port: 0 to 65535 (0 picks a free port). */
export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port number (0-65535; 0 picks a free one)');
  return n;
}

/** Commander parser for --vars: a JSON object of values for the models' var('x') (dbt's habit). */
export function varsJson(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`expected a JSON object, e.g. '{"start_date": "2024-01-01"}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError(`expected a JSON object, e.g. '{"start_date": "2024-01-01"}'`);
  return parsed as Record<string, unknown>;
}

export const VARS_HELP = `values for the models' var('x'), as a JSON object, e.g. '{"start_date": "2024-01-01"}'`;
