import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullEnvironment } from './support/environments.js';
import { INFRA_DIR, synthesize } from './support/synth.js';

const TSX = path.join(INFRA_DIR, 'node_modules', '.bin', 'tsx');
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outdir: string;
  dockerCalls: string;
}

/** Runs bin/app.ts as the CDK CLI would, with a `docker` on PATH that records any call. */
function runApp(env: Record<string, string> = {}): Run {
  const work = tempDir('gmp-app-');
  const outdir = path.join(work, 'cdk.out');
  const fakeBin = path.join(work, 'bin');
  const calls = path.join(work, 'docker-calls.log');
  mkdirSync(fakeBin);
  writeFileSync(path.join(fakeBin, 'docker'), `#!/bin/sh\necho "docker $*" >> '${calls}'\nexit 1\n`);
  chmodSync(path.join(fakeBin, 'docker'), 0o755);
  const result = spawnSync(TSX, ['bin/app.ts'], {
    cwd: INFRA_DIR,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}`, CDK_OUTDIR: outdir, ...env },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outdir,
    dockerCalls: existsSync(calls) ? readFileSync(calls, 'utf8') : '',
  };
}

let run: Run;
beforeAll(() => {
  run = runApp();
});

describe('bin/app.ts (what `make cdk-synth` and the CDK CLI run)', () => {
  it('synthesizes both stacks of every configured environment', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8')) as { artifacts: Record<string, { type: string }> };
    const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id]) => id);
    expect(stacks.sort()).toEqual(['gmp-dev-runtime', 'gmp-dev-stateful', 'gmp-prod-runtime', 'gmp-prod-stateful']);
  });

  it('needs no AWS lookup (no missing context in the cloud assembly)', () => {
    const manifest = JSON.parse(readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8')) as { missing?: unknown[] };
    expect(manifest.missing).toBeUndefined();
  });

  it('never runs docker: the image is only recorded, and built by `cdk deploy`', () => {
    expect(run.status).toBe(0);
    expect(run.dockerCalls).toBe('');
    const assets = JSON.parse(readFileSync(path.join(run.outdir, 'gmp-prod-runtime.assets.json'), 'utf8')) as { dockerImages: Record<string, unknown> };
    expect(Object.keys(assets.dockerImages)).toHaveLength(1);
  });

  it('stages a build context holding the Dockerfile and the sources, without dependencies, local data or this app', () => {
    const assets = JSON.parse(readFileSync(path.join(run.outdir, 'gmp-prod-runtime.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string } }>;
    };
    const [image] = Object.values(assets.dockerImages);
    const staged = readdirSync(path.join(run.outdir, image!.source.directory));
    expect(staged).toEqual(expect.arrayContaining(['Dockerfile', 'package.json', 'package-lock.json', 'bin', 'cli', 'core', 'models']));
    for (const absent of ['node_modules', 'infra', '.git', '.gmp', '.env', 'dist']) expect(staged).not.toContain(absent);
  });

  it('refuses a bad configuration with every problem and exit code 2, without a stack trace', () => {
    const file = path.join(tempDir('gmp-config-'), 'environments.json');
    writeFileSync(file, JSON.stringify({ environments: [fullEnvironment({ account: '12', region: 'mars-1' })] }));
    const bad = runApp({ GMP_INFRA_CONFIG: file });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`invalid infra configuration in ${file}:`);
    expect(bad.stderr).toContain('environments[0].account: must be a 12-digit AWS account id (got "12")');
    expect(bad.stderr).toContain('environments[0].region: must be an AWS region code such as eu-west-1 or us-east-1 (got "mars-1")');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(bad.outdir, 'manifest.json'))).toBe(false);
  });
});

describe('the image build context', () => {
  it('never includes local secrets, data or dependencies, even without a .dockerignore', () => {
    const context = tempDir('gmp-context-');
    for (const [file, content] of Object.entries({
      Dockerfile: 'FROM scratch\n',
      '.env': 'RAWG_API_KEY=real-key\n',
      '.env.local': 'SNOWFLAKE_PASSWORD=x\n',
      '.gmp/state.sqlite': 'state',
      'node_modules/x/index.js': '',
      'infra/cdk.out/manifest.json': '{}',
      'core/index.ts': 'export {};\n',
    })) {
      mkdirSync(path.dirname(path.join(context, file)), { recursive: true });
      writeFileSync(path.join(context, file), content);
    }
    const synth = synthesize([fullEnvironment()], { imageDirectory: context, stageAssets: true });
    temporary.push(synth.outdir);
    const assets = JSON.parse(readFileSync(path.join(synth.outdir, 'gmp-full-runtime.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string } }>;
    };
    const staged = path.join(synth.outdir, Object.values(assets.dockerImages)[0]!.source.directory);
    expect(readdirSync(staged).sort()).toEqual(['Dockerfile', 'core']);
  });
});
