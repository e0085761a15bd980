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
