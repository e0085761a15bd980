import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { envSchema, loadConfig, type Config } from '../../core/index.js';
import { packageRoot } from '../../core/index.js';
import { checkGmpArgs } from '../../scripts/gmp-args.js';
import { interpolate } from './compose-interpolate.js';
import { envPairs, parseDockerfile } from './parse-dockerfile.js';

// No Docker engine (and no `docker compose`) runs where these tests run: they read
// docker-compose.yml as Compose would (YAML, then ${…} interpolation from .env) and check it
// against the config schema, the real config loader, the gmp program and the Dockerfile.
interface Service {
  image?: string;
  profiles?: string[];
  build?: unknown;
  command?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: unknown };
  ports?: string[];
  volumes?: string[];
  restart?: string;
  stop_grace_period?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const root = packageRoot();
const text = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const WAREHOUSE_OVERRIDE = 'deploy/compose/postgres-warehouse.yml';
const overrideText = readFileSync(path.join(root, WAREHOUSE_OVERRIDE), 'utf8');
const schemaNames = Object.keys(envSchema().shape);
const cwd = mkdtempSync(path.join(tmpdir(), 'gmp-compose-')); // no .env: loadConfig sees only what compose passes
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** A compose file as Compose sees it with this .env. */
function compose(env: Record<string, string> = {}, source = text): ComposeFile {
  const resolve = (v: unknown): unknown =>
    typeof v === 'string' ? interpolate(v, env) : Array.isArray(v) ? v.map(resolve) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)])) : v;
  return resolve(parseYaml(source)) as ComposeFile;
}

/**
 * docker-compose.yml with deploy/compose/postgres-warehouse.yml merged on top and the profile
 * postgres-warehouse active, as `docker compose -f … -f … --profile postgres-warehouse` builds it:
 * mappings (environment, depends_on) merge key by key, the later file's scalars win.
 */
function composeWithWarehouse(env: Record<string, string> = {}): ComposeFile {
  return mergeCompose(compose(env), compose(env, overrideText)) as ComposeFile;
}
function mergeCompose(base: unknown, over: unknown): unknown {
  if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? mergeCompose(out[k], v) : v;
    return out;
  }
  return over;
}
/** The services Compose starts with these profiles active (those without profiles always). */
const enabled = (file: ComposeFile, profiles: string[]): string[] =>
  Object.entries(file.services)
    .filter(([, s]) => s.profiles === undefined || s.profiles.some((p) => profiles.includes(p)))
    .map(([name]) => name);
const service = (file: ComposeFile, name: string): Service => {
  const s = file.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const projectServices = (file: ComposeFile): [string, Service][] => Object.entries(file.services).filter(([, s]) => s.build !== undefined);
const commandOf = (s: Service): string[] => {
  expect(Array.isArray(s.command), 'commands are exec-form arrays (no shell word splitting)').toBe(true);
  return s.command as string[];
};
const optionValue = (args: string[], name: string): string | undefined => args[args.indexOf(name) + 1];
/** What the pipeline's gmp reads, through the real loader. */
const pipelineConfig = (env: Record<string, string> = {}): Config => loadConfig(service(compose(env), 'pipeline').environment ?? {}, cwd);

const OVERRIDES = {
  MINIO_ROOT_USER: 'lake-admin',
  MINIO_ROOT_PASSWORD: 'another-secret-1',
  POSTGRES_PASSWORD: 'state-pass-2',
  STACK_RAWG_BASE_URL: 'https://api.rawg.io/api',
  STACK_RAWG_API_KEY: 'a-real-key',
};

describe('interpolate', () => {
  it('expands like Compose: defaults on unset or empty, nested defaults, $$ and required variables', () => {
    expect(interpolate('${A:-x}/${B-y}/${C:-${D:-z}}/$$A/$A', { A: '', B: '' })).toBe('x//z/$A/');
    expect(interpolate('${A:+set}${B:+set}', { A: '1' })).toBe('set');
    expect(() => interpolate('${A:?give A}', {})).toThrow('give A');
  });
});

describe('docker-compose.yml', () => {
  const file = compose();

  it('declares the stack: MinIO, its bucket job, Postgres, the sandbox, the pipeline, the collector, the web app, Prometheus and Grafana (and the warehouse of a profile)', () => {
    expect(enabled(file, []).sort()).toEqual(['collector', 'createbuckets', 'grafana', 'minio', 'pipeline', 'postgres', 'prometheus', 'sandbox', 'web']);
    expect(Object.keys(file.services).filter((name) => !enabled(file, []).includes(name))).toEqual(['postgres-warehouse']);
    expect(projectServices(file).map(([name]) => name).sort()).toEqual(['collector', 'pipeline', 'sandbox', 'web']);
  });

  it('pins every third-party image to a release (never latest) and builds the project image from this repo', () => {
    for (const [name, s] of Object.entries(file.services)) {
      expect(s.image, name).toBeDefined();
      if (s.build !== undefined) continue;
      const tag = /^[^@]+:([^:@/]+)(@sha256:[0-9a-f]{64})?$/.exec(s.image!)?.[1];
      expect(tag, `${name} image ${s.image} has a tag`).toBeDefined();
      expect(tag).not.toBe('latest');
      expect(tag, `${name} tag names a version`).toMatch(/\d+[.-]\d+/);
    }
    const images = new Set(projectServices(file).map(([, s]) => s.image));
    expect(images.size, 'the project services run the same image').toBe(1);
    for (const [, s] of projectServices(file)) expect(s.build === '.' || (s.build as { context?: string }).context === '.').toBe(true);
  });

  it("never interpolates gmp's own variables, so a host .env for gmp cannot leak into the stack", () => {
    const interpolated = [...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    expect(interpolated.length).toBeGreaterThan(0);
    for (const name of interpolated) expect(schemaNames, `\${${name}} is a gmp variable`).not.toContain(name);
  });

  it('starts the default stack from a .env copied from .env.example (it lists the stack settings, empty)', () => {
    const example = parseEnv(readFileSync(path.join(root, '.env.example'), 'utf8')) as Record<string, string>;
    for (const name of Object.keys(OVERRIDES)) expect(Object.keys(example), `.env.example lists ${name}`).toContain(name);
    expect(compose(example)).toEqual(file);
  });

  it('health-checks every service others wait for, and starts the pipeline only when all are ready', () => {
    for (const name of ['minio', 'postgres', 'sandbox']) expect(service(file, name).healthcheck?.test, name).toBeDefined();
    for (const [name, s] of Object.entries(file.services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(Object.keys(file.services), `${name} depends on ${dep}`).toContain(dep);
        if (condition === 'service_healthy') expect(service(file, dep).healthcheck, `${dep} has a healthcheck`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(service(file, dep).restart ?? 'no', `${dep} runs once`).toBe('no');
      }
    }
    expect(service(file, 'createbuckets').depends_on).toEqual({ minio: { condition: 'service_healthy' } });
    expect(service(file, 'pipeline').depends_on).toEqual({
      createbuckets: { condition: 'service_completed_successfully' },
      postgres: { condition: 'service_healthy' },
      sandbox: { condition: 'service_healthy' },
    });
  });

  it('passes gmp only variables ENV_SCHEMA reads, and they load as an S3 lake on MinIO with a Postgres state', () => {
    for (const [name, s] of projectServices(file)) {
      for (const key of Object.keys(s.environment ?? {})) expect(schemaNames, `${name} passes ${key}`).toContain(key);
    }
    const config = pipelineConfig();
    expect(config.lake).toMatchObject({ type: 's3', endpoint: 'http://minio:9000', forcePathStyle: true });
    expect(config.state.type).toBe('postgres');
    expect(config.home).toBe('/data');
  });

  for (const [label, env] of [['defaults', {}], ['.env overrides', OVERRIDES]] as const) {
    it(`creates the bucket the lake URL names, with the MinIO credentials gmp uses (${label})`, () => {
      const f = compose(env);
      const config = pipelineConfig(env);
      if (config.lake.type !== 's3') throw new Error('expected an S3 lake');
      const minioEnv = service(f, 'minio').environment!;
      expect(config.lake.credentials).toEqual({ accessKeyId: minioEnv.MINIO_ROOT_USER, secretAccessKey: minioEnv.MINIO_ROOT_PASSWORD });
      const [verb, ...rest] = commandOf(service(f, 'createbuckets'));
      expect(verb).toBe('mb');
      const target = rest.find((a) => !a.startsWith('-'))!;
      const [alias, bucket] = target.split('/');
      expect(bucket).toBe(config.lake.bucket);
      const host = new URL(service(f, 'createbuckets').environment![`MC_HOST_${alias}`]!);
      expect([decodeURIComponent(host.username), decodeURIComponent(host.password)]).toEqual([minioEnv.MINIO_ROOT_USER, minioEnv.MINIO_ROOT_PASSWORD]);
      expect(host.host).toBe(new URL(config.lake.endpoint!).host);
    });

    it(`points the state store at the postgres service with its user, password and database (${label})`, () => {
      const pg = service(compose(env), 'postgres').environment!;
      const state = pipelineConfig(env).state;
      if (state.type !== 'postgres') throw new Error('expected a Postgres state store');
      const url = new URL(state.url);
      expect([url.hostname, url.port, decodeURIComponent(url.username), decodeURIComponent(url.password), url.pathname]).toEqual(['postgres', '5432', pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, `/${pg.POSTGRES_DB}`]);
    });
  }

  it('calls the sandbox with the key it accepts by default, and the real API when .env says so', () => {
    const sandboxArgs = commandOf(service(file, 'sandbox'));
    const rawg = pipelineConfig().rawg;
    expect(rawg.baseUrl).toBe(`http://sandbox:${optionValue(sandboxArgs, '--port')}/api`);
    expect(rawg.apiKey).toBe(optionValue(sandboxArgs, '--key'));
    // Other containers reach the sandbox only if it binds beyond loopback.
    expect(optionValue(sandboxArgs, '--host')).toBe('0.0.0.0');
    expect(pipelineConfig(OVERRIDES).rawg).toMatchObject({ baseUrl: 'https://api.rawg.io/api', apiKey: 'a-real-key' });
  });

  it('runs only real gmp commands and options in the project image', async () => {
    for (const [name, s] of projectServices(file)) expect(await checkGmpArgs(commandOf(s)), `${name}: gmp ${commandOf(s).join(' ')}`).toBeUndefined();
    expect(commandOf(service(file, 'pipeline'))).toContain('daemon');
    expect(commandOf(service(file, 'sandbox'))[0]).toBe('sandbox');
    const probe = JSON.stringify(service(file, 'sandbox').healthcheck!.test);
    expect(probe).toContain(`127.0.0.1:${optionValue(commandOf(service(file, 'sandbox')), '--port')}/`);
  });

  it('publishes ports only for MinIO, the collector, the web app, Prometheus, Grafana and the Postgres warehouse, and only on loopback', () => {
    const publishing = Object.entries(file.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(publishing.map(([name]) => name).sort()).toEqual(['collector', 'grafana', 'minio', 'postgres-warehouse', 'prometheus', 'web']);
    for (const [, s] of publishing) for (const p of s.ports!) expect(p).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    const ports = service(file, 'minio').ports!;
    const consolePort = optionValue(commandOf(service(file, 'minio')), '--console-address')!.replace(/^.*:/, '');
    expect(ports.map((p) => p.split(':')[2]).sort()).toEqual(['9000', consolePort].sort());
  });

  it("keeps data in named volumes: the pipeline's at the image's GMP_HOME, Postgres's and MinIO's at their data folders", () => {
    const declared = Object.keys(file.volumes ?? {});
    const mount = (name: string, target: string): void => {
      const volume = (service(file, name).volumes ?? []).find((v) => v.split(':')[1] === target);
      expect(volume, `${name} mounts a volume at ${target}`).toBeDefined();
      expect(declared).toContain(volume!.split(':')[0]);
    };
    const runtime = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8')).stages.at(-1)!;
    const imageEnv = Object.assign({}, ...runtime.instructions.filter((i) => i.keyword === 'ENV').map(envPairs)) as Record<string, string>;
    mount('pipeline', imageEnv.GMP_HOME!);
    mount('postgres', '/var/lib/postgresql/data');
    mount('postgres-warehouse', '/var/lib/postgresql/data');
    expect(service(file, 'postgres-warehouse').volumes).not.toEqual(service(file, 'postgres').volumes);
    mount('minio', commandOf(service(file, 'minio'))[1]!);
  });

  it("gives the daemon longer to stop than its own grace period for a running tick", () => {
    const daemonSource = readFileSync(path.join(root, 'cli', 'commands', 'daemon.ts'), 'utf8');
    const graceMs = Number(/const GRACE_MS = ([\d_]+);/.exec(daemonSource)![1]!.replace(/_/g, ''));
    const stop = /^(\d+)s$/.exec(service(file, 'pipeline').stop_grace_period ?? '')?.[1];
    expect(stop, 'stop_grace_period in seconds').toBeDefined();
    expect(Number(stop) * 1000).toBeGreaterThan(graceMs);
  });
});

describe('the postgres-warehouse profile and deploy/compose/postgres-warehouse.yml', () => {
  const base = compose();
  const merged = composeWithWarehouse();
  const WAREHOUSE_OVERRIDES = { STACK_WAREHOUSE_PASSWORD: 'wh-pass-3', STACK_WAREHOUSE_READER_PASSWORD: 'reader-pass-4', STACK_WAREHOUSE_PORT: '15432' };

  it('adds a pinned, health-checked Postgres 15 or 16 that only the profile starts, and that nothing of the default stack needs', () => {
    const warehouse = service(base, 'postgres-warehouse');
    expect(warehouse.profiles).toEqual(['postgres-warehouse']);
    expect(warehouse.image).toMatch(/^postgres:1[56]\.\d+-/);
    expect(JSON.stringify(warehouse.healthcheck?.test)).toContain('pg_isready');
    for (const name of enabled(base, [])) expect(Object.keys(service(base, name).depends_on ?? {}), name).not.toContain('postgres-warehouse');
  });

  it('publishes the warehouse for BI tools on the host on a loopback port of its own, configurable in .env', () => {
    expect(service(base, 'postgres-warehouse').ports).toEqual(['127.0.0.1:5433:5432']);
    expect(service(compose(WAREHOUSE_OVERRIDES), 'postgres-warehouse').ports).toEqual(['127.0.0.1:15432:5432']);
    const hostPorts = Object.values(base.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[1]));
    expect(new Set(hostPorts).size, 'no two services share a host port').toBe(hostPorts.length);
  });

  it('changes only services docker-compose.yml has, and every service they wait for runs when the profile is active', () => {
    const override = compose({}, overrideText);
    expect(Object.keys(override.services).sort()).toEqual(['pipeline', 'web']);
    for (const name of Object.keys(override.services)) expect(Object.keys(base.services)).toContain(name);
    expect(Object.keys(override).sort()).toEqual(['services']);
    const running = enabled(merged, ['postgres-warehouse']);
    for (const name of running) {
      for (const [dep, { condition }] of Object.entries(service(merged, name).depends_on ?? {})) {
        expect(running, `${name} depends on ${dep}`).toContain(dep);
        if (condition === 'service_healthy') expect(service(merged, dep).healthcheck, `${dep} has a healthcheck`).toBeDefined();
      }
    }
    for (const name of ['pipeline', 'web']) expect(service(merged, name).depends_on?.['postgres-warehouse'], name).toEqual({ condition: 'service_healthy' });
    // The rest of each service is docker-compose.yml's, unchanged.
    expect(service(merged, 'pipeline').depends_on).toMatchObject(service(base, 'pipeline').depends_on!);
    expect(service(merged, 'pipeline').command).toEqual(service(base, 'pipeline').command);
  });

  it("interpolates only the stack's own settings, each listed in .env.example, where the defaults still apply", () => {
    const interpolated = [...overrideText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    expect(interpolated.length).toBeGreaterThan(0);
    const example = parseEnv(readFileSync(path.join(root, '.env.example'), 'utf8')) as Record<string, string>;
    for (const name of interpolated) {
      expect(schemaNames, `\${${name}} is a gmp variable`).not.toContain(name);
      expect(Object.keys(example), `.env.example lists ${name}`).toContain(name);
    }
    expect(composeWithWarehouse(example)).toEqual(merged);
  });

  it('passes gmp only variables ENV_SCHEMA reads, and never a password in a URL', () => {
    for (const [name, s] of Object.entries(compose({}, overrideText).services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        expect(schemaNames, `${name} passes ${key}`).toContain(key);
        expect(value, `${name} ${key}`).not.toMatch(/:\/\/[^/@]*:[^/@]*@/);
      }
    }
  });

  for (const [label, env] of [['defaults', {}], ['.env overrides', WAREHOUSE_OVERRIDES]] as const) {
    it(`points the pipeline and the web app at the warehouse service, as its user, with its password (${label})`, () => {
      const f = composeWithWarehouse(env);
      const pg = service(f, 'postgres-warehouse').environment!;
      for (const name of ['pipeline', 'web']) {
        const environment = service(f, name).environment!;
        const url = new URL(environment.GMP_WAREHOUSE_URL!);
        expect([url.protocol, url.hostname, url.port, decodeURIComponent(url.username), url.password, url.pathname], name).toEqual(['postgres:', 'postgres-warehouse', '5432', pg.POSTGRES_USER, '', `/${pg.POSTGRES_DB}`]);
        expect(environment.PGPASSWORD, name).toBe(pg.POSTGRES_PASSWORD);
        const config = loadConfig(environment, cwd);
        expect(config.warehouse.type, name).toBe('postgres');
        // The state store stays on the `postgres` service.
        expect(config.state, name).toEqual(loadConfig(service(compose(env), name).environment ?? {}, cwd).state);
      }
      const reader = loadConfig(service(f, 'pipeline').environment!, cwd).warehouse;
      if (reader.type !== 'postgres') throw new Error('expected a Postgres warehouse');
      expect(reader.readerPassword).toBe(env === WAREHOUSE_OVERRIDES ? 'reader-pass-4' : 'gmp-reader-secret');
      expect(reader.readerPassword).not.toBe(pg.POSTGRES_PASSWORD);
    });
  }

  it('leaves the default stack on DuckDB in the pipeline volume', () => {
    expect(pipelineConfig().warehouse).toEqual({ type: 'duckdb', path: '/data/warehouse.duckdb' });
  });
});
