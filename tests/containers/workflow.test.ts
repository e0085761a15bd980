import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../../core/index.js';
import { makeTargets } from '../../scripts/check-manual.js';
import { checkGmpArgs } from '../../scripts/gmp-args.js';
import { shellCommands } from '../../scripts/shell-words.js';
import { parseDockerfile } from './parse-dockerfile.js';

// GitHub Actions cannot run here: these tests check the workflow file against what it drives.
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const root = packageRoot();
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const workflow = parseYaml(read('.github/workflows/ci.yml')) as Workflow;
const jobs = Object.entries(workflow.jobs);
const steps = jobs.flatMap(([, job]) => job.steps);
/** Every simple command the workflow runs, with the job it runs in. */
const commands = jobs.flatMap(([name, job]) =>
  job.steps.flatMap((s, index) => (s.run ?? '').split('\n').flatMap((line) => shellCommands(line).map((words) => ({ job: name, index, words })))),
);
const runs = (predicate: (words: string[]) => boolean) => commands.filter((c) => predicate(c.words));
const makeJob = workflow.jobs.test!;

describe('.github/workflows/ci.yml', () => {
  it('runs on every push and pull request', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
  });

  it('runs make test and make cdk-synth on ubuntu-latest, both real Makefile targets', () => {
    expect(makeJob['runs-on']).toBe('ubuntu-latest');
    const makes = runs((w) => w[0] === 'make');
    expect(makes.map((c) => c.words.join(' '))).toEqual(['make test', 'make cdk-synth']);
    expect(makes.every((c) => c.job === 'test')).toBe(true);
    const targets = makeTargets(read('Makefile'));
    for (const { words } of makes) for (const target of words.slice(1)) expect(targets, `Makefile target ${target}`).toContain(target);
  });

  it('checks out, then sets up the Node major of package.json engines and the Dockerfile, with the npm cache', () => {
    const uses = makeJob.steps.map((s) => s.uses?.split('@')[0]);
    expect(uses[0]).toBe('actions/checkout');
    const setupNode = makeJob.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!;
    expect(setupNode.uses).toMatch(/@v\d+$/);
    const major = String(setupNode.with?.['node-version']);
    expect(major).toMatch(/^\d+$/);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
    const minimum = /^>=\s*(\d+)(?:\.(\d+))?/.exec(engines);
    expect(minimum, `engines.node "${engines}" is a >= range`).not.toBeNull();
    // A bare major installs that major's newest release, which satisfies >= major.minor.
    expect(Number(major)).toBe(Number(minimum![1]));
    const dockerfile = parseDockerfile(read('Dockerfile'));
    const nodeImage = dockerfile.stages.map((s) => s.image).find((image) => image.startsWith('node:'))!;
    expect(nodeImage.split(':')[1]!.split('.')[0]).toBe(major);
    expect(setupNode.with?.cache).toBe('npm');
  });

  it('leaves the test tools to make test (pinned there), with a Python for its venv set up first', () => {
    const installs = runs((w) => (w.includes('pip') || w.includes('apt-get')) && w.includes('install'));
    expect(installs.map((c) => c.words.join(' ')), 'make test installs its tools; the workflow must not drift from it').toEqual([]);
    const setupPython = makeJob.steps.findIndex((s) => s.uses?.startsWith('actions/setup-python@'));
    const makeTest = makeJob.steps.findIndex((s) => s.run?.trim() === 'make test');
    expect(setupPython).toBeGreaterThanOrEqual(0);
    expect(setupPython).toBeLessThan(makeTest);
  });

  it('builds the image and runs only real gmp commands in the compose stack', async () => {
    const compose = parseYaml(read('docker-compose.yml')) as { services: Record<string, { build?: unknown; image?: string }> };
    const project = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    const image = project[0]![1].image!;
    const dockerRuns = runs((w) => w[0] === 'docker' && w[1] === 'run');
    expect(dockerRuns.length).toBeGreaterThan(0);
    for (const { words } of dockerRuns) {
      const at = words.indexOf(image);
      expect(at, `docker run uses the compose image ${image}`).toBeGreaterThan(1);
      expect(await checkGmpArgs(words.slice(at + 1))).toBeUndefined();
    }
    const composeRuns = runs((w) => w[0] === 'docker' && w[1] === 'compose' && w[2] === 'run');
    expect(composeRuns.length).toBeGreaterThan(0);
    for (const { words } of composeRuns) {
      const args = words.slice(3);
      const at = args.findIndex((w) => !w.startsWith('-'));
      expect(project.map(([name]) => name), 'a project service').toContain(args[at]);
      expect(await checkGmpArgs(args.slice(at + 1)), words.join(' ')).toBeUndefined();
    }
    expect(runs((w) => w.join(' ').startsWith('docker compose down')).length).toBe(1);
  });

  it('pins every action to a major version', () => {
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });
});
