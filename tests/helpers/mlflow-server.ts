import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../core/index.js';
import { INSTALL_TEST_TOOLS } from './test-tool.js';
import { freePort } from './test-server.js';

export interface MlflowServer {
  /** `http://127.0.0.1:<port>`: REST API, UI and artifact proxy. */
  url: string;
  stop(): Promise<void>;
}

export interface MlflowServerOptions {
  /** Holds the server's SQLite store (mlflow.db), its artifacts (artifacts/) and its log (mlflow.log). */
  dir: string;
}

// Cold imports of MLflow take seconds, more on a busy 2-core machine.
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const START_ATTEMPTS = 3;
const INSTALL_HINT = `mlflow was not found in .tools/mlflow/bin or on PATH: ${INSTALL_TEST_TOOLS}`;

/**
 * Starts `mlflow server` on 127.0.0.1 at a free port, with a SQLite backend store and served
 * artifacts (mlflow-artifacts:/ locations) inside `dir`, one worker, no job runner and no telemetry.
 * Resolves once its log says Uvicorn listens; throws with the log if it exits or never does.
 */
export async function startMlflowServer(options: MlflowServerOptions): Promise<MlflowServer> {
  const dir = path.resolve(options.dir);
  mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawnServer(dir, port);
    try {
      await waitUntilListening(child, port);
      return { url: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
    } catch (error) {
      await stopProcess(child);
      // Another process may have taken the port between freePort() and the bind.
      if (attempt < START_ATTEMPTS && /address already in use/i.test((error as Error).message)) continue;
      throw error;
    }
  }
}

type ServerProcess = ChildProcess & { log: () => string };

function spawnServer(dir: string, port: number): ServerProcess {
  const installed = path.join(packageRoot(), '.tools', 'mlflow', 'bin', 'mlflow');
  const args = [
    'server',
    ['--host', '127.0.0.1'],
    ['--port', String(port)],
    ['--workers', '1'],
    ['--backend-store-uri', `sqlite:///${path.join(dir, 'mlflow.db')}`],
    '--serve-artifacts',
    ['--artifacts-destination', path.join(dir, 'artifacts')],
  ].flat();
  const child = spawn(existsSync(installed) ? installed : 'mlflow', args, {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: `mlflow server` runs uvicorn as a child, and stop() must reach both.
    detached: true,
    env: {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      // The GenAI job runner would start seven more Python processes; a test needs none of them.
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
      // No usage reports from a test: only loopback traffic.
      MLFLOW_DISABLE_TELEMETRY: 'true',
      DO_NOT_TRACK: 'true',
    },
  }) as ServerProcess;
  let tail = '';
  const file = createWriteStream(path.join(dir, 'mlflow.log'), { flags: 'a' });
  const onOutput = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-6000);
    file.write(chunk);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  child.once('close', () => file.end());
  child.log = () => tail;
  // If the test process dies without stop(), still take the server down rather than orphan it.
  const onExit = () => signalGroup(child.pid, 'SIGKILL');
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  return child;
}

/** Resolves when the log says Uvicorn listens on `port`; rejects with the log on exit or at the deadline. */
function waitUntilListening(child: ServerProcess, port: number): Promise<void> {
  const ready = new RegExp(`Uvicorn running on http://127\\.0\\.0\\.1:${port}\\b`);
  return new Promise((resolve, reject) => {
    // The deadline is an event too: the abort of a timeout signal.
    const deadline = AbortSignal.timeout(READY_TIMEOUT_MS);
    const done = (error?: Error) => {
      deadline.removeEventListener('abort', onDeadline);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (ready.test(child.log())) done();
    };
    const onExit = (code: number | null, signal: string | null) =>
      done(new Error(`mlflow server exited before it listened (code ${code}, signal ${signal}):\n${child.log()}`));
    const onError = (error: NodeJS.ErrnoException) => done(error.code === 'ENOENT' ? new Error(INSTALL_HINT, { cause: error }) : error);
    const onDeadline = () => done(new Error(`mlflow server did not listen on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms:\n${child.log()}`));
    deadline.addEventListener('abort', onDeadline, { once: true });
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** SIGTERM to the whole group, then SIGKILL after a grace period. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  signalGroup(child.pid, 'SIGTERM');
  const graceOver = once(AbortSignal.timeout(STOP_GRACE_MS), 'abort').then(() => 'grace over' as const);
  if ((await Promise.race([exited, graceOver])) === 'grace over') signalGroup(child.pid, 'SIGKILL');
  await exited;
  // uvicorn may outlive its parent for a moment: make sure nothing of the group is left.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}
