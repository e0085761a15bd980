import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { INSTALL_TEST_TOOLS, testTool } from './test-tool.js';
import { freePort } from './test-server.js';

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3_000;
const INSTALL_HINT = `moto_server was not found in .tools/python/bin or on PATH: ${INSTALL_TEST_TOOLS}`;

/** Starts a private moto S3 server on a free loopback port and waits until it answers HTTP. */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let stderr = '';
  const child = spawn(testTool('moto_server'), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group, so stop() also reaches interpreters a launcher shim may leave behind.
    detached: true,
  });
  // Werkzeug says " * Running on http://127.0.0.1:<port>" once its socket listens.
  let announced = (): void => undefined;
  const listening = new Promise<void>((resolve) => (announced = resolve));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    if (stderr.includes(`Running on ${endpoint}`)) announced();
  });
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new Error(INSTALL_HINT, { cause: error }) : error);
    });
    child.once('exit', (code, signal) => {
      const missing = code === 127 || /not found|No module named/i.test(stderr);
      reject(
        new Error(
          missing
            ? `${INSTALL_HINT} (exit ${code}): ${stderr.trim()}`
            : `moto_server exited early (code ${code}, signal ${signal}): ${stderr.trim()}`,
        ),
      );
    });
  });
  spawnFailure.catch(() => undefined);

  try {
    await Promise.race([waitUntilAnswering(endpoint, listening, () => stderr), spawnFailure]);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  return { endpoint, stop: () => stopProcess(child) };
}

/** Waits for the line saying it listens (deadline: a timeout signal), then checks that it answers HTTP. */
async function waitUntilAnswering(endpoint: string, listening: Promise<void>, log: () => string): Promise<void> {
  const deadline = once(AbortSignal.timeout(START_TIMEOUT_MS), 'abort').then(() => {
    throw new Error(`moto_server did not say it listens on ${endpoint} within ${START_TIMEOUT_MS} ms: ${log().trim()}`);
  });
  deadline.catch(() => undefined);
  await Promise.race([listening, deadline]);
  const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
}

/** SIGTERM, then SIGKILL after a grace period; always by this child's own pid (group). */
async function stopProcess(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit').then(() => true);
  signalGroup(pid, 'SIGTERM');
  const graceOver = once(AbortSignal.timeout(STOP_GRACE_MS), 'abort').then(() => false);
  if (!(await Promise.race([exited, graceOver]))) {
    signalGroup(pid, 'SIGKILL');
    await exited;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
