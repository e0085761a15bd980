import { Command, CommanderError, Option } from 'commander';
import { registerCommands } from './commands/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../core/index.js';
import { reportError } from './report-error.js';

/** Builds the `gmp` program. Commands load their modules lazily so `gmp --help` stays fast. */
export function buildProgram(): Command {
  const program = new Command('gmp')
    .description(
      'Game Market Pipeline: RAWG API → data lake → DuckDB → dbt-style marts, as a partitioned asset graph.\n\n' +
        'Start with `gmp demo` (no key needed: it runs on a built-in synthetic RAWG sandbox), ' +
        'then `gmp query "select * from marts.dim_games limit 5"`.',
    )
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('--log-json', 'write JSON logs to stderr instead of GMP_HOME/logs/gmp.jsonl'))
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride()
    // `gmp backfill list --json`: an option after a subcommand belongs to that subcommand.
    .enablePositionalOptions();
  registerCommands(program);
  program.addHelpText(
    'after',
    `
Configuration comes from the environment and ./.env (see .env.example):
  RAWG_API_KEY, RAWG_BASE_URL, GMP_HOME, GMP_LAKE_URL, GMP_WAREHOUSE_URL, GMP_STATE_URL, …
Exit codes: 0 success, 1 failure, 2 usage or configuration error.`,
  );
  return program;
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Entry point: runs the program and sets the exit code (0, 1 failure, 2 usage/config). */
export async function main(argv: string[]): Promise<void> {
  // `gmp runs | head` closes the pipe early: that is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(error);
  }
}
