import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../core/index.js';
import { packageRoot } from '../../core/index.js';
import { checkGmpArgs } from '../../scripts/gmp-args.js';
import { createDockerignore } from './dockerignore.js';
import { copyPaths, envPairs, parseDockerfile, type Instruction, type Stage } from './parse-dockerfile.js';

// No Docker engine runs where these tests run: they check the Dockerfile as text, against the repo.
const root = packageRoot();
const dockerfile = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const ignored = createDockerignore(readFileSync(path.join(root, '.dockerignore'), 'utf8'));
const runtime = dockerfile.stages.at(-1)!;
const stageNamed = (name: string): Stage | undefined => dockerfile.stages.find((s) => s.name === name);
const all = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const installs = (stage: Stage): string[] => all(stage, 'RUN').flatMap((r) => r.text.match(/\bnpm (?:ci|install|i)\b[^&;|]*/g) ?? []);

/** Files under a context path that the build context keeps. */
function keptFiles(source: string): string[] {
  const full = path.join(root, source);
  if (!statSync(full).isDirectory()) return ignored(source) ? [] : [source];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !ignored(f));
}

describe('parseDockerfile', () => {
  it('joins continuation lines, drops comment lines inside them, and reads stages, flags and exec form', () => {
    const parsed = parseDockerfile(
      ['# syntax=docker/dockerfile:1', 'ARG BASE=node:20.1.0-slim', 'FROM ${BASE} AS build', 'RUN apt-get update \\', '# a comment', ' && echo ok', 'FROM build', 'COPY --from=build --chown=node:node /a /b', 'ENTRYPOINT ["node", "x.js"]'].join('\n'),
    );
    expect(parsed.globalArgs).toEqual({ BASE: 'node:20.1.0-slim' });
    expect(parsed.stages.map((s) => [s.name, s.image])).toEqual([['build', 'node:20.1.0-slim'], [undefined, 'build']]);
    expect(parsed.stages[0]!.instructions[0]).toMatchObject({ keyword: 'RUN', line: 4, text: 'apt-get update && echo ok' });
    expect(parsed.stages[1]!.instructions[0]!.flags).toEqual({ from: 'build', chown: 'node:node' });
    expect(parsed.stages[1]!.instructions[1]!.exec).toEqual(['node', 'x.js']);
  });
});

describe('createDockerignore', () => {
  it('applies the last matching rule, to folders and their contents, with ** across folders', () => {
    const keep = createDockerignore('*\n!src\n**/*.test.ts\n!src/keep.test.ts\n');
    expect(keep('README.md')).toBe(true);
    expect(keep('src/a/b.ts')).toBe(false);
    expect(keep('src/a/b.test.ts')).toBe(true);
    expect(keep('src/keep.test.ts')).toBe(false);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage: a builder, a production-dependencies stage and a separate runtime stage', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(3);
    expect(stageNamed('builder')).toBeDefined();
    expect(stageNamed('prod-deps')).toBeDefined();
    expect(runtime.name).toBe('runtime');
    // The runtime starts from a fresh base image, not from a stage holding compilers and dev tools.
    expect(dockerfile.stages.some((s) => s.name === runtime.image)).toBe(false);
  });

  it('pins every base image by version (never latest, never a bare major)', () => {
    const names = new Set(dockerfile.stages.flatMap((s) => (s.name ? [s.name] : [])));
    for (const stage of dockerfile.stages) {
      if (names.has(stage.image)) continue;
      expect(stage.image, `FROM at line ${stage.line}`).toMatch(/^[\w./-]+:(?!latest\b)\d+\.\d+\.\d+[\w.-]*(@sha256:[0-9a-f]{64})?$/);
    }
  });

  it('builds with the dev dependencies and compiles every folder tsconfig.build.json includes', () => {
    const builder = stageNamed('builder')!;
    const chain = [builder, ...dockerfile.stages.filter((s) => s.name === builder.image)];
    // tsc and the type packages are dev dependencies.
    expect(chain.flatMap(installs).some((i) => /^npm ci\b/.test(i) && !/--omit=dev|--production/.test(i))).toBe(true);
    expect(all(builder, 'RUN').some((r) => /\bnpm run build\b/.test(r.text))).toBe(true);
    const copied = all(builder, 'COPY').flatMap((c) => copyPaths(c).sources.map((s) => s.replace(/\/$/, '')));
    const tsconfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { extends: string; include: string[] };
    for (const folder of tsconfig.include) expect(copied, `builder copies ${folder}`).toContain(folder);
    expect(copied).toContain('tsconfig.build.json');
    expect(copied).toContain(tsconfig.extends.replace(/^\.\//, ''));
  });

  it('installs production dependencies only (npm ci --omit=dev) for the runtime', () => {
    const prodDeps = stageNamed('prod-deps')!;
    const own = installs(prodDeps);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(/^npm ci\b.*--omit=dev/);
  });

  it('runs no package install in the runtime stage and copies node_modules only from prod-deps', () => {
    expect(installs(runtime)).toEqual([]);
    const modules = all(runtime, 'COPY').filter((c) => copyPaths(c).sources.some((s) => s.includes('node_modules')));
    expect(modules).toHaveLength(1);
    expect(modules[0]!.flags.from).toBe('prod-deps');
  });

  it('copies only bin/, dist/, models/, dashboards/, alerts.yml, package.json and the production node_modules into the runtime', () => {
    const sources = all(runtime, 'COPY').flatMap((c) => copyPaths(c).sources.map((s) => path.posix.basename(s.replace(/\/$/, ''))));
    expect(sources.sort()).toEqual(['alerts.yml', 'bin', 'dashboards', 'dist', 'models', 'node_modules', 'package.json']);
    const dist = all(runtime, 'COPY').find((c) => copyPaths(c).sources.some((s) => /(^|\/)dist\/?$/.test(s)));
    expect(dist?.flags.from).toBe('builder');
  });

  it('copies from the build context only files that exist and that .dockerignore keeps', () => {
    const fromContext = dockerfile.stages.flatMap((s) => all(s, 'COPY').filter((c) => c.flags.from === undefined));
    expect(fromContext.length).toBeGreaterThan(5);
    for (const copy of fromContext) {
      for (const source of copyPaths(copy).sources) {
        const rel = source.replace(/^\.\//, '').replace(/\/$/, '');
        expect(existsSync(path.join(root, rel)), `COPY ${source} (line ${copy.line}) exists`).toBe(true);
        expect(keptFiles(rel).length, `COPY ${source} (line ${copy.line}) survives .dockerignore`).toBeGreaterThan(0);
      }
    }
  });

  it('keeps secrets, build output and other projects out of the build context', () => {
    for (const file of ['.env', '.git/config', 'node_modules/zod/package.json', 'dist/cli/main.js', '.gmp/state.sqlite', 'infra/cdk.out/manifest.json', 'infra/node_modules/x/index.js', 'tests/e2e/demo.test.ts', 'bench/run.ts', 'core/redact.test.ts']) {
      expect(ignored(file), file).toBe(true);
    }
    for (const file of ['package.json', 'package-lock.json', 'core/index.ts', 'bin/gmp.js', 'models/gmp_project.yml', 'dashboards/market-overview.md']) expect(ignored(file), file).toBe(false);
  });

  it('runs as the non-root node user, owning a /data volume that is GMP_HOME', () => {
    const users = all(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)!.text).toBe('node');
    const env = Object.assign({}, ...all(runtime, 'ENV').map(envPairs)) as Record<string, string>;
    expect(env).toMatchObject({ GMP_HOME: '/data', NODE_ENV: 'production' });
    for (const name of Object.keys(env).filter((n) => /^(GMP|RAWG|AWS|OPENLINEAGE|SNOWFLAKE)_/.test(n))) expect(Object.keys(envSchema().shape)).toContain(name);
    const volume = all(runtime, 'VOLUME')[0]!;
    expect(volume.exec ?? volume.text.split(/\s+/)).toEqual(['/data']);
    // Docker copies the folder's owner into a fresh named volume: it must be chowned before VOLUME.
    const chown = all(runtime, 'RUN').find((r) => /\bchown\s+node(:node)?\s+\/data\b/.test(r.text));
    expect(chown).toBeDefined();
    expect(chown!.line).toBeLessThan(volume.line);
    expect(users.at(-1)!.line).toBeLessThan(runtime.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.line);
  });

  it('has an exec-form ENTRYPOINT that runs the copied bin/gmp.js, a gmp on PATH, and a CMD gmp accepts', async () => {
    const entrypoint = all(runtime, 'ENTRYPOINT').at(-1)!;
    expect(entrypoint.exec).toEqual(['node', '/app/bin/gmp.js']);
    const workdir = all(runtime, 'WORKDIR').find((w) => w.line < all(runtime, 'COPY').find((c) => copyPaths(c).sources.includes('bin'))!.line)!;
    const binCopy = all(runtime, 'COPY').find((c) => copyPaths(c).sources.includes('bin'))!;
    expect(path.posix.resolve(workdir.text, copyPaths(binCopy).dest)).toBe('/app/bin');
    expect(existsSync(path.join(root, 'bin', 'gmp.js'))).toBe(true);
    // `gmp` on PATH too: the CDK task definition (infra/) overrides the entrypoint with ['gmp'].
    const link = all(runtime, 'RUN').map((r) => /\bln -sf? (\S+) (\/usr\/(?:local\/)?bin\/gmp)\b/.exec(r.text)).find(Boolean);
    expect(link?.[1]).toBe(entrypoint.exec![1]);
    expect(statSync(path.join(root, 'bin', 'gmp.js')).mode & 0o111, 'bin/gmp.js is executable').not.toBe(0);
    expect(readFileSync(path.join(root, 'bin', 'gmp.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const cmd = all(runtime, 'CMD').at(-1)!;
    expect(cmd.exec).toEqual(['--help']);
    expect(await checkGmpArgs(cmd.exec!)).toBeUndefined();
  });
});
