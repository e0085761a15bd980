import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../core/index.js';
import { INSTALL_TEST_TOOLS, testTool } from './test-tool.js';

// Real BI clients as test harnesses: PgJDBC (Metabase, DBeaver, Tableau) through a small Java
// program, and SQLAlchemy + psycopg2 (Superset) through a Python one. Both print the same JSON
// lines (see bi-clients/JdbcProbe.java); this module runs them and returns typed results.

const HERE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bi-clients');
const JDBC_SOURCE = path.join(HERE, 'JdbcProbe.java');
const SQLALCHEMY_SCRIPT = path.join(HERE, 'sqlalchemy_probe.py');
/** Debian's libpostgresql-jdbc-java puts the driver here. */
const PGJDBC_JAR = '/usr/share/java/postgresql.jar';
const PROBE_TIMEOUT_MS = 60_000;
/** How long a loop may outlive its own --max-ms before it is killed. */
const LOOP_GRACE_MS = 30_000;

export type BiValue = string | number | boolean | null;
export interface SqlError {
  sqlState: string | null;
  message: string;
}
export interface BiColumn {
  name: string;
  /** The type name as the client reports it (PgJDBC: `int4`; SQLAlchemy: `INTEGER`). */
  type: string;
  nullable: boolean;
}
export interface BiTable {
  name: string;
  /** `TABLE`, `VIEW` or `MATERIALIZED VIEW`. */
  type: string;
  columns: BiColumn[];
}
export interface BiQueryResult {
  sql: string;
  ms: number;
  columns?: string[];
  rows?: BiValue[][];
  error?: SqlError;
}
export interface BiWriteResult {
  sql: string;
  refused: boolean;
  updateCount?: number;
  error?: SqlError;
}
export interface BiProbeRequest {
  /** `postgres://user[:password]@host:port/db`; the password reaches the probe in its environment only. */
  url: string;
  /** List this schema's tables and views with their columns, as a BI tool's browser does. */
  schema?: string;
  queries?: readonly string[];
  /** Statements to try; each is reported as refused (with its SQLSTATE) or not. */
  writes?: readonly string[];
}
export interface BiProbeResult {
  tables?: BiTable[];
  metadataError?: SqlError;
  queries: BiQueryResult[];
  writes: BiWriteResult[];
}
export interface BiLoopRequest {
  url: string;
  sql: string;
  /** Pause between runs; 0 runs them back to back. */
  everyMs?: number;
  /** The probe stops by itself after this long (default 60 s). */
  maxMs?: number;
}
export interface BiLoopRun {
  n: number;
  ms: number;
  rowCount?: number;
  firstRow?: BiValue[] | null;
  error?: SqlError;
}
export interface BiLoopSummary {
  runs: BiLoopRun[];
  failed: number;
  /** `stdin` when stop() ended it; `max-ms` when it ran out of time; `connection` when it could not reconnect. */
  ended: 'stdin' | 'max-ms' | 'connection';
}
/** A client running one query over and over on one connection, in autocommit. */
export interface BiQueryLoop {
  /** The runs so far; grows while the loop runs. */
  readonly runs: readonly BiLoopRun[];
  /** Resolves once `count` runs have finished, whatever their outcome; rejects if the probe ends first. */
  waitForRuns(count: number): Promise<void>;
  /** Asks the probe to stop after its current run and resolves with every run. */
  stop(): Promise<BiLoopSummary>;
}
export interface BiClient {
  name: 'jdbc' | 'sqlalchemy';
  /** The BI tools that connect this way, for test titles. */
  label: string;
  probe(request: BiProbeRequest): Promise<BiProbeResult>;
  /** Starts a query loop and resolves after its first run has finished. */
  startLoop(request: BiLoopRequest): Promise<BiQueryLoop>;
}

/** The probe could not connect (or was called wrongly); `sqlState` is Postgres's, when it answered. */
export class BiClientError extends Error {
  constructor(
    message: string,
    readonly sqlState: string | null,
  ) {
    super(message);
    this.name = 'BiClientError';
  }
}

interface Command {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** PgJDBC through bi-clients/JdbcProbe.java, compiled once (per source version) into the temp folder. */
export const jdbcClient: BiClient = {
  name: 'jdbc',
  label: 'PgJDBC (Metabase, DBeaver, Tableau)',
  probe: async (request) => probe(await jdbcCommand(request.url, probeArgs(request))),
  startLoop: async (request) => startLoop(await jdbcCommand(request.url, loopArgs(request)), request),
};

/** SQLAlchemy + psycopg2 through bi-clients/sqlalchemy_probe.py in the test tools' Python. */
export const sqlAlchemyClient: BiClient = {
  name: 'sqlalchemy',
  label: 'SQLAlchemy + psycopg2 (Superset)',
  probe: (request) => probe(sqlAlchemyCommand(request.url, probeArgs(request))),
  startLoop: (request) => startLoop(sqlAlchemyCommand(request.url, loopArgs(request)), request),
};

export const biClients: readonly BiClient[] = [jdbcClient, sqlAlchemyClient];

function probeArgs(request: BiProbeRequest): string[] {
  return [
    ...(request.schema !== undefined ? ['--schema', request.schema] : []),
    ...(request.queries ?? []).flatMap((sql) => ['--query', sql]),
    ...(request.writes ?? []).flatMap((sql) => ['--write', sql]),
  ];
}

function loopArgs(request: BiLoopRequest): string[] {
  return ['--loop', request.sql, '--every-ms', String(request.everyMs ?? 0), '--max-ms', String(request.maxMs ?? 60_000)];
}

/** The URL split into what the probes take; the password goes into the environment, never argv. */
function target(url: string): { host: string; port: string; database: string; user: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new Error(`not a postgres:// URL: ${u.protocol}`);
  // libpq would read PG* variables (PGPASSWORD, PGSSLMODE, …): the probes see only what the test gives.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PG') && name !== 'GMP_BI_PASSWORD'));
  if (u.password !== '') env.GMP_BI_PASSWORD = decodeURIComponent(u.password);
  return { host: u.hostname, port: u.port || '5432', database: decodeURIComponent(u.pathname.slice(1)), user: decodeURIComponent(u.username), env };
}

let compiledJdbc: Promise<string> | undefined;

async function jdbcCommand(url: string, args: string[]): Promise<Command> {
  const classes = await (compiledJdbc ??= compileJdbcProbe());
  const t = target(url);
  const jdbcUrl = `jdbc:postgresql://${t.host}:${t.port}/${encodeURIComponent(t.database)}`;
  return {
    file: 'java',
    // C1 only and the serial collector: the probe is short-lived, so start-up is what costs.
    args: ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', `${classes}${path.delimiter}${PGJDBC_JAR}`, 'JdbcProbe', '--url', jdbcUrl, '--user', t.user, ...args],
    env: t.env,
  };
}

/**
 * javac's output for the probe's current source, in `.tools/cache/bi-jdbc-<hash>` (kept across
 * test runs, as the installed tools are): built in a private folder and renamed into place, so
 * parallel test workers never see half a build.
 */
async function compileJdbcProbe(): Promise<string> {
  if (!existsSync(PGJDBC_JAR)) throw new Error(`PgJDBC is not installed (${PGJDBC_JAR}): ${INSTALL_TEST_TOOLS}`);
  const key = createHash('sha256').update(readFileSync(JDBC_SOURCE)).digest('hex').slice(0, 16);
  const cache = path.join(packageRoot(), '.tools', 'cache');
  const dir = path.join(cache, `bi-jdbc-${key}`);
  if (existsSync(path.join(dir, 'JdbcProbe.class'))) return dir;
  mkdirSync(cache, { recursive: true });
  const build = mkdtempSync(path.join(cache, 'bi-jdbc-build-'));
  try {
    await execFileText('javac', ['--release', '17', '-cp', PGJDBC_JAR, '-d', build, JDBC_SOURCE], process.env);
    renameSync(build, dir);
  } catch (error) {
    rmSync(build, { recursive: true, force: true });
    // Another worker may have renamed its build into place first.
    if (existsSync(path.join(dir, 'JdbcProbe.class'))) return dir;
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`javac was not found (a JDK is needed): ${INSTALL_TEST_TOOLS}`, { cause: error });
    throw new Error(`javac failed on ${JDBC_SOURCE}: ${e.stderr ?? e.message}`, { cause: error });
  }
  return dir;
}

function sqlAlchemyCommand(url: string, args: string[]): Command {
  const t = target(url);
  const user = encodeURIComponent(t.user);
  const saUrl = `postgresql+psycopg2://${user}@${t.host}:${t.port}/${encodeURIComponent(t.database)}`;
  return { file: testTool('python'), args: [SQLALCHEMY_SCRIPT, '--url', saUrl, ...args], env: t.env };
}

interface ExecFailure extends NodeJS.ErrnoException {
  stdout?: string;
  stderr?: string;
}

function execFileText(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: PROBE_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });
}

type Line = { kind: string } & Record<string, unknown>;

function parseLines(stdout: string): Line[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

/** Throws what the probe said when it did not get to work: a connection refused, bad arguments, a missing tool. */
function failure(command: Command, error: ExecFailure, lines: Line[]): Error {
  const said = lines.find((l) => l.kind === 'connect' || l.kind === 'usage');
  if (said !== undefined) {
    const e = said.error as SqlError;
    return new BiClientError(`${path.basename(command.file)} probe: ${said.kind} failed: ${e.message}`, e.sqlState);
  }
  const stderr = error.stderr ?? '';
  if (error.code === 'ENOENT' || /No module named/.test(stderr)) {
    return new Error(`${command.file} (or its packages) is missing: ${INSTALL_TEST_TOOLS}\n${stderr}`, { cause: error });
  }
  return new Error(`${path.basename(command.file)} probe failed: ${error.message}\n${stderr}`, { cause: error });
}

async function probe(command: Command): Promise<BiProbeResult> {
  let stdout: string;
  try {
    ({ stdout } = await execFileText(command.file, command.args, command.env));
  } catch (error) {
    const e = error as ExecFailure;
    let lines: Line[] = [];
    try {
      lines = parseLines(e.stdout ?? '');
    } catch {
      // Not the probe's JSON: report the process failure below.
    }
    throw failure(command, e, lines);
  }
  const result: BiProbeResult = { queries: [], writes: [] };
  for (const { kind, ...line } of parseLines(stdout)) {
    if (kind === 'metadata') {
      if (line.error !== undefined) result.metadataError = line.error as SqlError;
      else result.tables = line.tables as BiTable[];
    } else if (kind === 'query') {
      result.queries.push(line as unknown as BiQueryResult);
    } else if (kind === 'write') {
      result.writes.push(line as unknown as BiWriteResult);
    }
  }
  return result;
}

function startLoop(command: Command, request: BiLoopRequest): Promise<BiQueryLoop> {
  // The probe stops by itself after maxMs; past that and a grace period, Node kills it.
  const child = spawn(command.file, command.args, { env: command.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: (request.maxMs ?? 60_000) + LOOP_GRACE_MS, killSignal: 'SIGKILL' });
  const runs: BiLoopRun[] = [];
  const waiters: { count: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  let ended: Line | undefined;
  let said: Line | undefined;
  let exited = false;
  // A probe that already died makes stop()'s write fail with EPIPE; its exit is reported instead.
  child.stdin.on('error', () => undefined);
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const settle = () => {
    for (const w of waiters.splice(0)) {
      if (runs.length >= w.count) w.resolve();
      else if (exited) w.reject(exitError());
      else waiters.push(w);
    }
  };
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (text.trim() === '') return;
    const line = JSON.parse(text) as Line;
    if (line.kind === 'loop-run') {
      const { kind: _, ...run } = line;
      runs.push(run as unknown as BiLoopRun);
    } else if (line.kind === 'loop-end') ended = line;
    else said = line;
    settle();
  });
  const exitError = () =>
    failure(command, Object.assign(new Error(`the loop ended after ${runs.length} runs: ${stderr.trim()}`), { stderr }) as ExecFailure, said ? [said] : []);
  const exit = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      stderr += error.code === 'ENOENT' ? `${command.file} was not found: ${INSTALL_TEST_TOOLS}` : error.message;
    });
    child.once('close', () => {
      exited = true;
      settle();
      resolve();
    });
  });

  const loop: BiQueryLoop = {
    runs,
    waitForRuns: (count) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ count, resolve, reject });
        settle();
      }),
    async stop() {
      if (!child.stdin.destroyed) child.stdin.end('stop\n');
      await exit;
      if (ended === undefined) throw exitError();
      return { runs: [...runs], failed: Number(ended.failed), ended: ended.ended as BiLoopSummary['ended'] };
    },
  };
  return loop.waitForRuns(1).then(
    () => loop,
    async (error: unknown) => {
      await loop.stop().catch(() => undefined);
      throw error;
    },
  );
}
