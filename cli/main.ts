import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Help, Option } from 'commander';
import { COMMANDS, commandName } from './commands/index.js';

/**
 * Builds the `gmp` program for `argv` (process.argv: node, script, arguments). Only the command
 * `argv` names is loaded, with what it imports; every other command is a placeholder holding
 * the name and description `gmp --help` lists, so `gmp --help` loads no command at all.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const placeholders = new WeakMap<Command, string>();
  const program = new Command('gmp')
    .description(
      'Game Market Pipeline: RAWG API → data lake → DuckDB → dbt-style marts, as a partitioned asset graph.\n\n' +
        'Start with `gmp demo` (no key needed: it runs on a built-in synthetic RAWG sandbox), ' +
        'then `gmp query "select * from marts.dim_games limit 5"`.',
    )
    .version(packageVersion(), '-V, --version')
    .addOption(new Option('--log-json', 'write JSON logs to stderr instead of GMP_HOME/logs/gmp.jsonl'))
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({
      sortSubcommands: false,
      // A placeholder has neither options nor arguments: its entry says what the command's have.
      subcommandTerm(this: Help, cmd: Command) {
        return placeholders.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
      },
    })
    .exitOverride()
    // `gmp backfill list --json`: an option after a subcommand belongs to that subcommand.
    .enablePositionalOptions();
  const named = commandWord(argv.slice(2));
  for (const entry of COMMANDS) {
    const name = commandName(entry);
    if (name === named) {
      (await entry.load())(program);
      continue;
    }
    const placeholder = program.command(name).description(entry.description);
    placeholder.action(() => {
      throw new Error(`gmp ${name}: the command was not loaded (cli/main.ts commandWord missed it in the arguments)`);
    });
    placeholders.set(placeholder, entry.term);
  }
  program.addHelpText(
    'after',
    `
Configuration comes from the environment and ./.env (see .env.example):
  RAWG_API_KEY, RAWG_BASE_URL, GMP_HOME, GMP_LAKE_URL, GMP_WAREHOUSE_URL, GMP_STATE_URL, …
Exit codes: 0 success, 1 failure, 2 usage or configuration error.`,
  );
  return program;
}

/**
 * The command `args` name: the first word that is not an option (gmp's own options take no value),
 * or the word after `help`. Undefined for none (`gmp`, `gmp --help`).
 */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return args[i + 1];
    if (arg.startsWith('-')) continue;
    return arg === 'help' ? args.slice(i + 1).find((a) => !a.startsWith('-')) : arg;
  }
  return undefined;
}

/** The version in gmp's package.json, read without core/ (its zod and pino were ~70 ms of --help). */
function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
      if (parsed.name === 'game-market-pipeline') return parsed.version;
    }
    if (path.dirname(dir) === dir) throw new Error('cannot locate the game-market-pipeline package.json');
  }
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
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
      return;
    }
    const { reportError } = await import('./report-error.js');
    process.exitCode = reportError(error);
  }
}
