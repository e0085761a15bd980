/**
 * Cross-checks USER_MANUAL.md against the code: `npx tsx scripts/check-manual.ts [MANUAL]` prints
 * every problem and exits 1, or prints what it checked and exits 0. tests/containers/manual.test.ts
 * runs the same `checkManual`. The rules:
 *  (a) ENV_SCHEMA, `.env.example` and the manual's configuration reference table name the same
 *      variables (`.env.example`: `NAME=` lines, commented out or not); `.env.example` also names
 *      every variable docker-compose.yml or an override file in deploy/compose interpolates (the
 *      stack's settings), and nothing else;
 *  (b) every variable of the families below named anywhere in the manual is read by the code
 *      (ENV_SCHEMA, or `process.env.NAME` in the shipped sources, the CDK app or the test helpers) or defined by
 *      docker-compose.yml (a `${NAME}` it interpolates, or the environment of a third-party image);
 *  (c) every command in the manual's shell code blocks and inline code is real: `gmp …` (also
 *      `node bin/gmp.js …` and `docker compose run SERVICE …` on the project image) is parsed by the
 *      real commander program; `make X` names Makefile targets; `docker compose run|exec|logs|…`
 *      names compose services. An inline mention may omit required arguments; a code line may not.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkGmpArgs } from './gmp-args.js';
import {
  commandMentions,
  configTableVariables,
  envExampleVariables,
  interpolatedVariables,
  makeTargets,
  readCompose,
  readManualInputs,
  type ComposeFacts,
  type ManualInputs,
} from './manual-inputs.js';
import { shellCommands } from './shell-words.js';

export { makeTargets, readManualInputs, type ManualInputs };

/** The variable families rule (b) looks for. Other ALL_CAPS words (RUN_ID, SQL) are not variables. */
export const VARIABLE_FAMILIES = ['GMP', 'RAWG', 'AWS', 'SNOWFLAKE', 'OPENLINEAGE', 'POSTGRES', 'MINIO', 'STACK'] as const;
const VARIABLE = new RegExp(`\\b(?:${VARIABLE_FAMILIES.join('|')})_[A-Z0-9_]*[A-Z0-9]\\b`, 'g');

export interface ManualProblem {
  rule: 'a' | 'b' | 'c';
  /** 1-based line of USER_MANUAL.md, when the problem has one. */
  line?: number;
  message: string;
}

export interface ManualReport {
  problems: ManualProblem[];
  checked: { tableVariables: number; namedVariables: number; gmpCommands: number; makeCommands: number; composeCommands: number };
}

/** Applies rules (a), (b) and (c); never throws on a malformed manual, reports it instead. */
export async function checkManual(inputs: ManualInputs): Promise<ManualReport> {
  const problems: ManualProblem[] = [];
  const lines = inputs.manual.split('\n');
  const compose = readCompose(inputs.compose);
  const schema = new Set(inputs.schemaVariables);

  // (a) one set of variables in three places; .env.example also holds the stack's settings.
  const table = configTableVariables(lines);
  if (table === undefined) problems.push({ rule: 'a', message: 'no "## Configuration reference" table found' });
  const tableNames = new Set(table?.keys());
  for (const name of schema) if (!tableNames.has(name)) problems.push({ rule: 'a', message: `USER_MANUAL.md's configuration table lacks ${name} (read by ENV_SCHEMA)` });
  for (const name of tableNames) {
    if (!schema.has(name)) problems.push({ rule: 'a', line: table?.get(name), message: `USER_MANUAL.md's configuration table lists ${name}, which ENV_SCHEMA does not read` });
  }
  const envExample = envExampleVariables(inputs.envExample);
  for (const name of schema) if (!envExample.has(name)) problems.push({ rule: 'a', message: `.env.example lacks ${name} (read by ENV_SCHEMA)` });
  for (const name of compose.interpolated) {
    if (!schema.has(name) && !envExample.has(name)) problems.push({ rule: 'a', message: `.env.example lacks ${name} (interpolated by docker-compose.yml)` });
  }
  const interpolated = new Set(compose.interpolated);
  for (const { file, text } of inputs.composeOverrides) {
    for (const name of interpolatedVariables(parseYaml(text))) {
      interpolated.add(name);
      if (!schema.has(name) && !envExample.has(name) && !compose.interpolated.has(name)) problems.push({ rule: 'a', message: `.env.example lacks ${name} (interpolated by ${file})` });
    }
  }
  for (const name of envExample) {
    if (!schema.has(name) && !interpolated.has(name)) {
      problems.push({ rule: 'a', message: `.env.example lists ${name}, which neither ENV_SCHEMA nor docker-compose.yml reads` });
    }
  }

  // (b) every variable named is real; the code's exported constants are names, not variables.
  const known = new Set([...schema, ...inputs.codeVariables, ...compose.variables, ...interpolated, ...inputs.codeConstants]);
  const named = new Map<string, number>();
  lines.forEach((text, i) => {
    for (const match of text.matchAll(VARIABLE)) if (!named.has(match[0])) named.set(match[0], i + 1);
  });
  for (const [name, line] of named) {
    if (!known.has(name)) problems.push({ rule: 'b', line, message: `${name} is neither read by the code nor defined in docker-compose.yml` });
  }

  // (c) every command is real.
  const counts = { gmpCommands: 0, makeCommands: 0, composeCommands: 0 };
  const targets = makeTargets(inputs.makefile);
  for (const { text, line, partial } of commandMentions(lines)) {
    let commands: string[][];
    try {
      commands = shellCommands(text);
    } catch (error) {
      problems.push({ rule: 'c', line, message: (error as Error).message });
      continue;
    }
    for (const words of commands) {
      const problem = await checkCommand(words, { partial, targets, compose, counts });
      if (problem !== undefined) problems.push({ rule: 'c', line, message: `\`${text.trim()}\`: ${problem}` });
    }
  }

  return { problems, checked: { tableVariables: table?.size ?? 0, namedVariables: named.size, ...counts } };
}

interface CommandContext {
  partial: boolean;
  targets: Set<string>;
  compose: ComposeFacts;
  counts: Pick<ManualReport['checked'], 'gmpCommands' | 'makeCommands' | 'composeCommands'>;
}

async function checkCommand(allWords: string[], ctx: CommandContext): Promise<string | undefined> {
  // A line cut short with … mentions only what comes before it.
  const cut = allWords.findIndex((w) => w.includes('…') || w === '...');
  const partial = ctx.partial || cut >= 0;
  const words = cut >= 0 ? allWords.slice(0, cut) : allWords;
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  const [first, second] = [words[i], words[i + 1]];
  if (first === 'gmp' || (first === 'node' && second !== undefined && /(^|\/)bin\/gmp\.js$/.test(second))) {
    ctx.counts.gmpCommands++;
    return checkGmpArgs(words.slice(first === 'gmp' ? i + 1 : i + 2), { partial });
  }
  if (first === 'make') {
    ctx.counts.makeCommands++;
    const rest = words.slice(i + 1);
    if (rest.some((w) => w === '-C' || w === '-f' || w.startsWith('--directory') || w.startsWith('--file'))) return undefined;
    const unknown = rest.filter((w) => !w.startsWith('-') && !w.includes('=') && !ctx.targets.has(w));
    return unknown.length > 0 ? `the Makefile has no target ${unknown.join(', ')}` : undefined;
  }
  if (first === 'docker' && second === 'compose') {
    ctx.counts.composeCommands++;
    return checkComposeCommand(words.slice(i + 2), { ...ctx, partial });
  }
  return undefined;
}

/** Options of `docker compose <command>` that take a value, so the value is not a service name. */
const COMPOSE_VALUE_OPTIONS = new Set([
  '-e', '--env', '-l', '--label', '--name', '-p', '--publish', '-u', '--user', '-v', '--volume', '-w', '--workdir',
  '--entrypoint', '--pull', '-n', '--tail', '--since', '--until', '--index', '-t', '--timeout', '--scale',
  '--wait-timeout', '--exit-code-from', '--attach', '--no-attach',
]);
const SERVICE_COMMANDS = new Set(['run', 'exec', 'logs', 'up', 'start', 'stop', 'restart', 'ps', 'pull', 'build', 'rm', 'kill']);

async function checkComposeCommand(words: string[], ctx: CommandContext): Promise<string | undefined> {
  const [command, ...rest] = words;
  if (command === undefined || !SERVICE_COMMANDS.has(command)) return undefined;
  const positionals: string[] = [];
  let entrypoint = false;
  let j = 0;
  for (; j < rest.length; j++) {
    const w = rest[j]!;
    if (w === '--entrypoint' || w.startsWith('--entrypoint=')) entrypoint = true;
    if (w.startsWith('-')) {
      if (COMPOSE_VALUE_OPTIONS.has(w)) j++;
      continue;
    }
    positionals.push(w);
    // `run` and `exec` take one service, then the command line for the container.
    if (command === 'run' || command === 'exec') break;
  }
  const unknown = positionals.filter((s) => !ctx.compose.services.has(s));
  if (unknown.length > 0) return `docker-compose.yml has no service ${unknown.join(', ')}`;
  const service = positionals[0];
  if (service === undefined) return command === 'run' || command === 'exec' ? `docker compose ${command} needs a service` : undefined;
  const containerArgs = rest.slice(j + 1);
  if (command === 'run' && ctx.compose.projectServices.has(service) && !entrypoint) {
    // The image's entrypoint is gmp: the words after the service are gmp's arguments.
    ctx.counts.gmpCommands++;
    return checkGmpArgs(containerArgs, { partial: ctx.partial });
  }
  if (command === 'exec' || command === 'run') return checkCommand(containerArgs, ctx);
  return undefined;
}

/** `check-manual.ts [MANUAL]`: checks USER_MANUAL.md, or another draft of it, against this checkout. */
async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const manualFile = process.argv[2] ?? path.join(root, 'USER_MANUAL.md');
  const name = path.basename(manualFile);
  const report = await checkManual({ ...readManualInputs(root), manual: readFileSync(manualFile, 'utf8') });
  for (const p of report.problems) process.stderr.write(`${p.line ? `${name}:${p.line}: ` : ''}(${p.rule}) ${p.message}\n`);
  const c = report.checked;
  const summary = `${c.tableVariables} configuration variables, ${c.namedVariables} variable names, ${c.gmpCommands} gmp commands, ${c.makeCommands} make commands, ${c.composeCommands} docker compose commands`;
  if (report.problems.length > 0) {
    process.stderr.write(`${report.problems.length} problem(s) in ${name} (checked ${summary})\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${name} agrees with the code: checked ${summary}\n`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
