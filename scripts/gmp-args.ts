import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../cli/index.js';

/** What a mention may leave out: required arguments and options, or the subcommand of a group. */
const PARTIAL_OK = new Set(['commander.missingArgument', 'commander.missingMandatoryOptionValue', 'commander.help']);

/** Thrown by the preAction hook: parsing got as far as running a command's action. */
class ParsedUpToAction extends Error {}

export interface GmpArgsOptions {
  /**
   * The line is a mention, not a full invocation (an inline `gmp backfill resume` in prose, or a
   * line cut at `…`): a missing required argument or a bare command group is not a problem.
   */
  partial?: boolean;
}

/**
 * Checks `gmp <args>` against the real `gmp` program: commander itself parses the arguments
 * (commands, options, option values, argument counts), and a hook stops it before any action
 * runs, so nothing is executed. Returns commander's error message, or undefined when valid.
 */
export async function checkGmpArgs(args: readonly string[], options: GmpArgsOptions = {}): Promise<string | undefined> {
  const program = await buildProgram(['node', 'gmp', ...args]);
  silence(program);
  program.hook('preAction', () => {
    throw new ParsedUpToAction();
  });
  try {
    await program.parseAsync(['node', 'gmp', ...args]);
    // No action ran and commander did not object: a group without a subcommand shows help.
    return undefined;
  } catch (error) {
    if (error instanceof ParsedUpToAction) return undefined;
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return undefined;
    if (options.partial && PARTIAL_OK.has(error.code)) return undefined;
    if (error.code === 'commander.help') return 'names a command group without a subcommand (it only prints help)';
    return error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  }
}

function silence(command: Command): void {
  command.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  for (const sub of command.commands) silence(sub);
}
