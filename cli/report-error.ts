import { GmpError, exitCodeFor, redactText, rootCause } from '../core/index.js';

/** Prints one clear, redacted line (with the hint) for `error` on stderr; returns the exit code. */
export function reportError(error: unknown): number {
  const root = rootCause(error);
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof GmpError ? error.hint : root instanceof GmpError ? root.hint : undefined;
  // One line, so scripts and humans see the cause and the fix together.
  process.stderr.write(`error: ${redactText(message).replace(/\s*\n\s*/g, '; ')}${hint ? ` (${redactText(hint)})` : ''}\n`);
  if (process.env.GMP_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${redactText(error.stack)}\n`);
  }
  return exitCodeFor(root instanceof GmpError ? root : error);
}
