import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface TimedCommand {
  /** Spawn to exit, in seconds. */
  seconds: number;
  stdout: string;
}

/**
 * Runs `command args` (stdout kept only when `keepStdout`, else discarded like a redirect to
 * /dev/null) and times it from spawn to exit; rejects with the tail of its output when it fails.
 */
export async function timeCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; keepStdout?: boolean; timeoutMs?: number },
): Promise<TimedCommand> {
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
    signal: AbortSignal.timeout(options.timeoutMs ?? 30 * 60_000),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
  const [code] = (await once(child, 'close')) as [number | null];
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(code)}: ${(stderr || stdout).trim().split('\n').slice(-5).join(' | ')}`);
  return { seconds, stdout };
}
