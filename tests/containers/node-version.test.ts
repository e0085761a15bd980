import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { packageRoot } from '../../core/index.js';
import { parseDockerfile } from './parse-dockerfile.js';

// One Node version everywhere: the project's is package.json's engines (Node 20, >= 20.12). The CDK
// templates' Lambda runtime is AWS's, not the project's: infra/test/docs.test.ts checks the manual
// names it.
const root = packageRoot();
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const json = <T>(file: string): T => JSON.parse(read(file)) as T;
const engines = json<{ engines: { node: string } }>('package.json').engines.node;
const minimum = /^>=\s*(\d+)\.(\d+)$/.exec(engines);
const [major, minor] = [Number(minimum?.[1]), Number(minimum?.[2])];

describe('the Node version', () => {
  it('is a >= MAJOR.MINOR range in package.json, the same in infra/ and in both lock files', () => {
    expect(minimum, `engines.node "${engines}"`).not.toBeNull();
    expect(json<{ engines: { node: string } }>('infra/package.json').engines.node).toBe(engines);
    for (const lock of ['package-lock.json', 'infra/package-lock.json']) {
      expect(json<{ packages: Record<string, { engines?: { node: string } }> }>(lock).packages['']?.engines?.node, lock).toBe(engines);
    }
  });

  it("is the Docker image's: that major, at least that minor", () => {
    const image = parseDockerfile(read('Dockerfile')).stages.map((s) => s.image).find((i) => i.startsWith('node:'))!;
    const version = /^node:(\d+)\.(\d+)\.(\d+)-/.exec(image);
    expect(version, `${image} names a full Node version`).not.toBeNull();
    expect(Number(version![1])).toBe(major);
    expect(Number(version![2])).toBeGreaterThanOrEqual(minor);
    // The runtime stage runs the image the build stages compiled with.
    expect(new Set(parseDockerfile(read('Dockerfile')).stages.map((s) => s.image).filter((i) => i.startsWith('node:'))).size).toBe(1);
  });

  it("is CI's: setup-node with that major in every job that sets up Node", () => {
    const workflow = parseYaml(read('.github/workflows/ci.yml')) as { jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }> };
    const setups = Object.values(workflow.jobs).flatMap((job) => job.steps.filter((s) => s.uses?.startsWith('actions/setup-node@')));
    expect(setups.length).toBeGreaterThan(0);
    for (const step of setups) expect(String(step.with?.['node-version'])).toBe(String(major));
  });

  it("is USER_MANUAL.md's Install requirement and the README's quick start", () => {
    const install = /^## Install\n([\s\S]*?)^## /m.exec(read('USER_MANUAL.md'))?.[1] ?? '';
    expect(install).toContain(`Node.js ${major}.${minor} or a later Node ${major}`);
    for (const m of install.matchAll(/Node(?:\.js)? (\d+)/g)) expect(Number(m[1]), m[0]).toBe(major);
    expect(read('README.md'), "README's quick start").toContain(`Node.js ${major}.${minor} or a later Node ${major}`);
  });
});
