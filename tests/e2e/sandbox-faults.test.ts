import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/index.js';
import { faultSpecSchema, parseFaultSpecs } from '../../sandbox/index.js';
import { shellCommands } from '../../scripts/shell-words.js';
import { spawnGmp, waitForOutput } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

// USER_MANUAL.md's "The sandbox" section specifies the fault API with a copy-paste example and its
// output. These tests take both from the manual, so the text cannot drift from the sandbox.
const manual = readFileSync(path.join(packageRoot(), 'USER_MANUAL.md'), 'utf8');
const section = manual.slice(manual.indexOf('\n## The sandbox\n'), manual.indexOf('\n## ', manual.indexOf('\n## The sandbox\n') + 1));
const blocks = [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
const exampleAt = blocks.findIndex((b) => b.lang === 'sh' && b.body.includes('/__sandbox/faults'));
const example = blocks[exampleAt]!;
const printed = blocks[exampleAt + 1]!;
const MANUAL_HOST = '127.0.0.1:8080';

const children: ReturnType<typeof spawnGmp>[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

/** Starts `gmp sandbox` with the manual's arguments on a free port; resolves to its host:port. */
async function startManualSandbox(args: string[]): Promise<string> {
  const port = args.indexOf('--port');
  expect(args[port + 1], 'the example listens on the port its curl commands call').toBe(MANUAL_HOST.split(':')[1]);
  const child = spawnGmp(['sandbox', ...args.slice(0, port), '--port', '0', ...args.slice(port + 2)], { cwd: tempDir('gmp-e2e-') });
  children.push(child);
  const listening = /listening on http:\/\/([\d.]+:\d+)\/api/;
  return listening.exec(await waitForOutput(child, child.output, (o) => listening.test(o), 'gmp sandbox listens', 30_000))![1]!;
}

/**
 * What curl prints for the options the example uses: the body (unless `-o /dev/null`), then the
 * `-w` format with `%{http_code}` and `\n`. Any other option fails the test: the manual must show
 * only what this test can check.
 */
async function curl(words: string[], host: string): Promise<string> {
  let method = 'GET';
  let body: string | undefined;
  let format = '';
  let quiet = false;
  let url: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (w === '-s') continue;
    else if (w === '-X') method = words[++i]!;
    else if (w === '-d') body = words[++i]!;
    else if (w === '-w') format = words[++i]!;
    else if (w === '-o' && words[i + 1] === '/dev/null') quiet = (i++, true);
    else if (!w.startsWith('-') && url === undefined) url = w;
    else throw new Error(`the manual's curl uses ${w}, which this test does not interpret`);
  }
  expect(url).toContain(MANUAL_HOST);
  if (body !== undefined && method === 'GET') method = 'POST';
  // curl -d sends a form content type; the sandbox reads the body as JSON whatever it says.
  const response = await fetch(url!.replace(MANUAL_HOST, host), {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
  });
  const text = await response.text();
  return (quiet ? '' : text) + format.replaceAll('%{http_code}', String(response.status)).replaceAll('\\n', '\n');
}

describe("USER_MANUAL.md's sandbox fault example", () => {
  it('prints, against a real `gmp sandbox`, exactly the output the manual shows', async () => {
    expect(printed.lang).toBe('text');
    const commands = example.body.split('\n').flatMap((line) => shellCommands(line));
    const sandboxArgs = commands.find((w) => w[0] === 'gmp' && w[1] === 'sandbox')!.slice(2);
    expect(sandboxArgs).toContain('--faults');
    const host = await startManualSandbox(sandboxArgs);
    let output = '';
    for (const words of commands) {
      if (words[0] === 'curl') output += await curl(words, host);
      else expect(['gmp', 'sleep', 'kill'], words.join(' ')).toContain(words[0]);
    }
    expect(commands.filter((w) => w[0] === 'curl').length).toBeGreaterThanOrEqual(5);
    expect(output).toBe(printed.body);
  });
});

describe("USER_MANUAL.md's fault table", () => {
  const rows = section
    .split('\n')
    .filter((line) => /^\| (status|hang|truncate|malformed|latency|\w+) \| `\{/.test(line))
    .map((line) => line.split(' | ').map((cell) => /`([^`]+)`/.exec(cell)?.[1]));

  it('has one row per fault kind of the sandbox, each JSON element valid', () => {
    const kinds = faultSpecSchema.options.map((option) => option.shape.type.value).sort();
    expect(rows.map((r) => (JSON.parse(r[1]!) as { type: string }).type).sort()).toEqual(kinds);
    for (const [, json] of rows) expect(faultSpecSchema.safeParse(JSON.parse(json!)).success, json).toBe(true);
  });

  it('gives each kind a --faults item that parses to the JSON element of its row', () => {
    for (const [, json, item] of rows) expect(parseFaultSpecs(item!), item).toEqual([JSON.parse(json!)]);
    const example = /e\.g\. `--faults "([^"]+)"`/.exec(section)?.[1];
    expect(parseFaultSpecs(example!).length).toBe(example!.split(',').length);
  });
});
