import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { checkManual, readManualInputs, type ManualInputs, type ManualProblem } from '../../scripts/check-manual.js';

const run = promisify(execFile);
const root = packageRoot();
const inputs = readManualInputs(root);
const temp = mkdtempSync(path.join(tmpdir(), 'gmp-manual-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const key = (p: ManualProblem): string => `${p.rule} ${p.message}`;
const baseline = new Set((await checkManual(inputs)).problems.map(key));

/**
 * The problems a change to the real inputs introduces (the first test asserts there are none
 * before it; subtracting them keeps each of these tests about its own change).
 */
async function problemsWith(change: Partial<ManualInputs>): Promise<ManualProblem[]> {
  return (await checkManual({ ...inputs, ...change })).problems.filter((p) => !baseline.has(key(p)));
}
const appended = (text: string): string => `${inputs.manual}\n${text}\n`;
const tableRow = (name: string): RegExp => new RegExp(`^\\| \`${name}\`.*\\n`, 'm');

describe('USER_MANUAL.md', () => {
  it('agrees with the config schema, .env.example, docker-compose.yml, the Makefile and the gmp program', async () => {
    const report = await checkManual(inputs);
    expect(report.problems).toEqual([]);
    // The check looked at real content: every schema variable in the table, and dozens of commands.
    expect(report.checked.tableVariables).toBe(inputs.schemaVariables.length);
    expect(report.checked.gmpCommands).toBeGreaterThan(40);
    expect(report.checked.makeCommands).toBeGreaterThanOrEqual(3);
    expect(report.checked.composeCommands).toBeGreaterThanOrEqual(5);
  });
});

describe('checkManual on a broken manual', () => {
  it('(a) reports a schema variable missing from the configuration table', async () => {
    expect(inputs.manual).toMatch(tableRow('RAWG_TIMEOUT_MS'));
    const problems = await problemsWith({ manual: inputs.manual.replace(tableRow('RAWG_TIMEOUT_MS'), '') });
    expect(problems).toEqual([{ rule: 'a', message: "USER_MANUAL.md's configuration table lacks RAWG_TIMEOUT_MS (read by ENV_SCHEMA)" }]);
  });

  it('(a) reports a table row, or a .env.example line, for a variable the schema does not read', async () => {
    const manual = inputs.manual.replace(tableRow('GMP_HOME'), (row) => `${row}| \`GMP_THEME\` | \`dark\` | colours. |\n`);
    const problems = await problemsWith({ manual });
    expect(problems.map((p) => [p.rule, p.message])).toEqual([
      ['a', "USER_MANUAL.md's configuration table lists GMP_THEME, which ENV_SCHEMA does not read"],
      ['b', 'GMP_THEME is neither read by the code nor defined in docker-compose.yml'],
    ]);
    const envExample = inputs.envExample.replace(/^RAWG_MAX_RETRIES=.*$/m, '').concat('\n# GMP_COLOR=auto\n');
    expect((await problemsWith({ envExample })).map((p) => p.message)).toEqual([
      '.env.example lacks RAWG_MAX_RETRIES (read by ENV_SCHEMA)',
      '.env.example lists GMP_COLOR, which neither ENV_SCHEMA nor docker-compose.yml reads',
    ]);
  });

  it('(a) reports a variable docker-compose.yml interpolates that .env.example lacks, and one it no longer reads', async () => {
    expect(inputs.envExample).toMatch(/^STACK_MINIO_PORT=/m);
    const envExample = inputs.envExample.replace(/^STACK_MINIO_PORT=.*$/m, '');
    const compose = inputs.compose.replace('image: postgres:15.18-bookworm', 'image: postgres:${STACK_POSTGRES_TAG:-15.18-bookworm}');
    expect((await problemsWith({ envExample, compose })).map((p) => [p.rule, p.message])).toEqual([
      ['a', '.env.example lacks STACK_MINIO_PORT (interpolated by docker-compose.yml)'],
      ['a', '.env.example lacks STACK_POSTGRES_TAG (interpolated by docker-compose.yml)'],
    ]);
    // Every form Compose interpolates counts ($NAME, ${NAME}, nested defaults); $$ and comments do not.
    const forms = inputs.compose.concat('\nx-extra:\n  a: "$STACK_A ${STACK_B} ${STACK_C:-${STACK_D}} $$STACK_E"\n# ${STACK_F}\n');
    expect((await problemsWith({ compose: forms })).map((p) => p.message)).toEqual(
      ['STACK_A', 'STACK_B', 'STACK_C', 'STACK_D'].map((name) => `.env.example lacks ${name} (interpolated by docker-compose.yml)`),
    );
    const dropped = inputs.compose.replace('${STACK_MINIO_CONSOLE_PORT:-9001}', '9001');
    expect((await problemsWith({ compose: dropped })).map((p) => p.message)).toEqual([
      '.env.example lists STACK_MINIO_CONSOLE_PORT, which neither ENV_SCHEMA nor docker-compose.yml reads',
      'STACK_MINIO_CONSOLE_PORT is neither read by the code nor defined in docker-compose.yml',
    ]);
  });

  it('(a) reads the override files in deploy/compose too: their settings belong in .env.example, and count as defined', async () => {
    const [override] = inputs.composeOverrides;
    expect(override?.file).toBe('deploy/compose/postgres-warehouse.yml');
    expect(override?.text).toContain('${STACK_WAREHOUSE_READER_PASSWORD');
    // Only the override reads it: without the file, .env.example and the manual name a setting nothing reads.
    expect((await problemsWith({ composeOverrides: [] })).map((p) => [p.rule, p.message])).toEqual([
      ['a', '.env.example lists STACK_WAREHOUSE_READER_PASSWORD, which neither ENV_SCHEMA nor docker-compose.yml reads'],
      ['b', 'STACK_WAREHOUSE_READER_PASSWORD is neither read by the code nor defined in docker-compose.yml'],
    ]);
    const extra = { file: 'deploy/compose/extra.yml', text: 'services:\n  web:\n    environment:\n      GMP_LOG_LEVEL: ${STACK_WEB_LOG_LEVEL:-info}\n' };
    expect(await problemsWith({ composeOverrides: [...inputs.composeOverrides, extra] })).toEqual([
      { rule: 'a', message: '.env.example lacks STACK_WEB_LOG_LEVEL (interpolated by deploy/compose/extra.yml)' },
    ]);
    // Named in prose, a setting an override interpolates is a real one.
    expect(await problemsWith({ manual: appended('Set `STACK_WAREHOUSE_READER_PASSWORD` first.') })).toEqual([]);
  });

  it('(b) reports a variable named in prose that nothing reads, with its line', async () => {
    const problems = await problemsWith({ manual: appended('Set `SNOWFLAKE_WAREHOUSE_SIZE` for bigger runs.') });
    expect(problems).toEqual([{ rule: 'b', line: inputs.manual.split('\n').length + 1, message: 'SNOWFLAKE_WAREHOUSE_SIZE is neither read by the code nor defined in docker-compose.yml' }]);
    // Read by the code outside the schema, or defined by docker-compose.yml: fine.
    expect(await problemsWith({ manual: appended('`GMP_DEBUG=1`, `POSTGRES_USER`, `STACK_RAWG_API_KEY`.') })).toEqual([]);
    // A constant the code exports is a name, not a variable; a misspelt one is reported.
    expect(inputs.codeConstants).toContain('RAWG_ENDPOINTS');
    expect((await problemsWith({ manual: appended('Add it to `RAWG_ENDPOINTS`, not `RAWG_ENDPOINTZ`.') })).map((p) => p.message)).toEqual([
      'RAWG_ENDPOINTZ is neither read by the code nor defined in docker-compose.yml',
    ]);
  });

  it('(c) reads shell from bare and shell-marked fences only, not from code in other languages', async () => {
    const block = (lang: string): string => `\`\`\`${lang}\nconst s = 'it\\'s'; // gmp materialise\ngmp materialise\n\`\`\``;
    for (const lang of ['ts', 'sql', 'yaml', 'text']) expect(await problemsWith({ manual: appended(block(lang)) }), lang).toEqual([]);
    for (const lang of ['', 'sh', 'bash']) expect((await problemsWith({ manual: appended(block(lang)) })).length, lang || 'bare').toBe(2);
  });

  it('(c) reports unknown gmp commands and options, in code blocks and inline', async () => {
    const messages = async (text: string): Promise<string[]> => (await problemsWith({ manual: appended(text) })).map((p) => p.message);
    expect(await messages('```sh\ngmp materialise --select rawg/games --partition 2024-05-01\n```')).toEqual([
      "`gmp materialise --select rawg/games --partition 2024-05-01`: unknown command 'materialise' (Did you mean materialize?)",
    ]);
    expect(await messages('Run `gmp daemon --forever`.')).toEqual(["`gmp daemon --forever`: unknown option '--forever'"]);
    expect(await messages('```sh\ngmp materialize \\\n  --select rawg/games --partitions 2024-05-01   # continued\n```')).toEqual([
      "`gmp materialize    --select rawg/games --partitions 2024-05-01   # continued`: unknown option '--partitions' (Did you mean --partition?)",
    ]);
    expect(await messages('```sh\nRAWG_API_KEY=x node bin/gmp.js sandbox --port nope | head\n```')).toEqual([]);
    expect(await messages('```sh\ngmp daemon --max-catch-up 0\n```')).toEqual([
      "`gmp daemon --max-catch-up 0`: option '--max-catch-up <n>' argument '0' is invalid. expected a positive integer",
    ]);
  });

  it('(c) lets an inline mention omit required arguments, but not a code line', async () => {
    expect(await problemsWith({ manual: appended('Then `gmp backfill resume` it.') })).toEqual([]);
    const problems = await problemsWith({ manual: appended('```sh\ngmp backfill resume\n```') });
    expect(problems.map((p) => p.message)).toEqual(["`gmp backfill resume`: missing required argument 'id'"]);
  });

  it('(c) reports make targets the Makefile lacks and compose services or gmp commands that do not exist', async () => {
    const messages = async (text: string): Promise<string[]> => (await problemsWith({ manual: appended(text) })).map((p) => p.message);
    expect(await messages('Run `make upp`.')).toEqual(['`make upp`: the Makefile has no target upp']);
    expect(await messages('```sh\ndocker compose run --rm pipline runs\ndocker compose logs -f --tail 20 daemon\n```')).toEqual([
      '`docker compose run --rm pipline runs`: docker-compose.yml has no service pipline',
      '`docker compose logs -f --tail 20 daemon`: docker-compose.yml has no service daemon',
    ]);
    expect(await messages('```sh\ndocker compose run --rm -e GMP_LOG_LEVEL=debug pipeline materialize --select x --partition 2024-01-01 --bogus\n```')).toEqual([
      "`docker compose run --rm -e GMP_LOG_LEVEL=debug pipeline materialize --select x --partition 2024-01-01 --bogus`: unknown option '--bogus'",
    ]);
    expect(await messages('```sh\ndocker compose exec pipeline gmp runz\n```')).toEqual(["`docker compose exec pipeline gmp runz`: unknown command 'runz' (Did you mean runs?)"]);
  });
});

describe('scripts/check-manual.ts', () => {
  it('exits 0 on the real manual and 1, listing each problem with its line, on a broken draft', async () => {
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const script = path.join(root, 'scripts', 'check-manual.ts');
    const ok = await run(tsx, [script], { cwd: root });
    expect(ok.stdout).toMatch(/^USER_MANUAL\.md agrees with the code: checked \d+ configuration variables/);

    const draft = path.join(temp, 'DRAFT.md');
    writeFileSync(draft, appended('```sh\nmake deploy\n```'));
    const failed = await run(tsx, [script, draft], { cwd: root }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(`DRAFT.md:${inputs.manual.split('\n').length + 2}: (c) \`make deploy\`: the Makefile has no target deploy`);
    expect(failed?.stderr).toMatch(/\d+ problem\(s\) in DRAFT\.md \(checked /);
  });
});
