import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './test-server.js';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';
const INSTALL_HINT = 'Postgres is not installed: run `apt-get install -y postgresql` (or scripts/install-test-tools.sh as root)';
const START_ATTEMPTS = 3;
const READY_TIMEOUT_MS = 30_000;

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust auth, no password; with `password`, scram over TCP and the password in the URL). */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresServerOptions {
  /** Keep fsync and full_page_writes on, as a real server runs (benchmarks); tests leave them off for speed. */
  durable?: boolean;
  /** Logins over TCP must give this password (scram-sha-256), as on a real server; the URLs carry it. */
  password?: string;
}

/**
 * Starts a throwaway Postgres cluster (initdb into a temp folder, trust auth, fsync off unless
 * `durable`, a free loopback port, its socket in the folder) and waits until it accepts connections.
 */
export async function startPostgresServer(serverOptions: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'gmp-pg-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'log');
  // initdb refuses to run as root, so as root everything runs as the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const pgTool = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { timeout: 60_000 })
      : run(path.join(bin, tool), args, { timeout: 60_000 });
  const removeDir = () => rmSync(dir, { recursive: true, force: true });

  try {
    if (asRoot) await run('chown', ['postgres:postgres', dir]);
    await run('chmod', ['700', dir]);
    // With a password: logins over TCP must give it (scram-sha-256), as on a real server.
    const auth = ['--auth=trust'];
    if (serverOptions.password !== undefined) {
      const pwfile = path.join(dir, 'pwfile');
      writeFileSync(pwfile, `${serverOptions.password}\n`, { mode: 0o600 });
      if (asRoot) await run('chown', ['postgres:postgres', pwfile]);
      auth.splice(0, 1, '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`);
    }
    await pgTool('initdb', ['-D', data, '-U', 'postgres', ...auth, '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
  } catch (error) {
    removeDir();
    throw new Error(`initdb failed: ${describe(error)}`, { cause: error });
  }

  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}${serverOptions.durable ? '' : ' -c fsync=off -c full_page_writes=off'}`;
    try {
      await pgTool('pg_ctl', ['-D', data, '-l', logFile, '-w', '-o', options, 'start']);
      break;
    } catch (error) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      // Another process may have taken the port between freePort() and the bind.
      if (attempt < START_ATTEMPTS && /could not bind|already in use/i.test(log)) continue;
      removeDir();
      throw new Error(`Postgres did not start: ${describe(error)}\n${log}`, { cause: error });
    }
  }

  const login = serverOptions.password === undefined ? 'postgres' : `postgres:${encodeURIComponent(serverOptions.password)}`;
  const url = `postgres://${login}@127.0.0.1:${port}/postgres`;
  // If the test process dies without stop(), still take the cluster down rather than orphan it.
  const onExit = () => {
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    spawnSync(asRoot ? 'runuser' : path.join(bin, 'pg_ctl'), asRoot ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl'), ...args] : args);
    removeDir();
  };
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', onExit);
      try {
        await pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        removeDir();
      }
    })());

  try {
    await waitUntilAccepting(url);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    stop,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://${login}@127.0.0.1:${port}/${name}`;
    },
  };
}

/** The newest `/usr/lib/postgresql/<version>/bin` holding initdb; throws how to install it otherwise. */
function findPostgresBin(): string {
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((v) => existsSync(path.join(PG_ROOT, v, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions.length === 0) throw new Error(INSTALL_HINT);
  return path.join(PG_ROOT, versions[0]!, 'bin');
}

/** `pg_ctl -w start` returned once the server accepts connections: one query confirms it, no polling. */
async function waitUntilAccepting(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: READY_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`Postgres at ${url} did not accept connections after pg_ctl said it started`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; stderr?: string };
  return [e.message, e.stderr].filter(Boolean).join('\n');
}
