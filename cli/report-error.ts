import { DefinitionError, GmpError, exitCodeFor, redactText, rootCause } from '../core/index.js';

/**
 * Prints one clear, redacted line (with the hint) for `error` on stderr — a definition error gets
 * one line per problem, each with its file and line — and returns the exit code.
 */
export function reportError(error: unknown): number {
  const root = rootCause(error);
  if (root instanceof DefinitionError) {
    const head = `error: ${root.problems.length} definition problem${root.problems.length === 1 ? '' : 's'}${root.where ? ` in ${root.where}` : ''}:`;
    process.stderr.write(`${redactText([head, ...root.problems.map((p) => `  ${p}`), ...(root.hint ? [`hint: ${root.hint}`] : [])].join('\n'))}\n`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof GmpError ? error.hint : root instanceof GmpError ? root.hint : undefined;
  // One line, so scripts and humans see the cause and the fix together.
  process.stderr.write(`error: ${redactText(message).replace(/\s*\n\s*/g, '; ')}${hint ? ` (${redactText(hint)})` : ''}\n`);
  if (process.env.GMP_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${redactText(error.stack)}\n`);
  }
  return exitCodeFor(root instanceof GmpError ? root : error);
}
