import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../core/index.js';

export const GMP_BIN = path.join(packageRoot(), 'bin', 'gmp.js');

export interface GmpResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `gmp` binary in `cwd` with only the given environment (plus PATH and HOME). */
export function runGmp(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): GmpResult {
  const result = spawnSync(process.execPath, [GMP_BIN, ...args], {
    cwd: options.cwd,
    env: baseEnv(options.env),
    encoding: 'utf8',
    timeout: 120_000,
    // `gmp runs --json` of a few demo runs is megabytes (a step per partition); the default 1 MiB cuts it off.
    maxBuffer: 64 * 1024 * 1024,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `gmp` without waiting (to kill it mid-run). */
export function spawnGmp(args: string[], options: { cwd: string; env?: Record<string, string> }): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [GMP_BIN, ...args], { cwd: options.cwd, env: baseEnv(options.env) });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return Object.assign(child, { output: () => out });
}

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...extra };
}

/** Like runGmp, without blocking the event loop (needed when the test process serves the sandbox). */
export async function runGmpAsync(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<GmpResult> {
  const child = spawn(process.execPath, [GMP_BIN, ...args], { cwd: options.cwd, env: baseEnv(options.env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { status, stdout, stderr };
}

/**
 * Resolves with `read()` once `done(read())` holds, checked whenever the child writes to stdout or
 * stderr (no polling); rejects, naming `what`, if the child exits first or at the deadline.
 */
export function waitForOutput(
  child: ChildProcess,
  read: () => string,
  done: (output: string) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    // The deadline is an event too: the abort of a timeout signal.
    const deadline = AbortSignal.timeout(timeoutMs);
    const finish = (error?: Error): void => {
      deadline.removeEventListener('abort', onDeadline);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('close', onClose);
      if (error) reject(error);
      else resolve(read());
    };
    // Listeners added after the caller's own: by the time this runs, `read()` holds the new chunk.
    const check = (): void => {
      if (done(read())) finish();
    };
    const onClose = (code: number | null, signal: string | null): void => {
      if (done(read())) finish();
      else finish(new Error(`gmp exited (code ${code}, signal ${signal}) before ${what}:\n${read()}`));
    };
    const onDeadline = (): void => finish(new Error(`no sign within ${timeoutMs} ms that ${what}:\n${read()}`));
    if (done(read())) return resolve(read());
    if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`gmp had exited before ${what}:\n${read()}`));
    deadline.addEventListener('abort', onDeadline, { once: true });
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('close', onClose);
  });
}

/** The complete JSON log lines (`gmp --log-json …` writes them to stderr) found in `output`. */
export function jsonLogLines(output: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of output.split('\n').slice(0, -1)) {
    if (!line.startsWith('{"level":')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // Not a whole log line (stdout and stderr share the buffer): it is counted once complete.
    }
  }
  return lines;
}
