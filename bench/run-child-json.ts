import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Runs `node ...args` in `cwd` (stderr passed through to ours) and parses the last line it printed
 * on stdout as JSON; rejects when the child fails or prints no JSON line.
 */
export async function runChildJson<T>(args: readonly string[], cwd: string): Promise<T> {
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(`child ${args.join(' ')} failed (code ${String(code)}, signal ${String(signal)}): ${stdout.slice(-500)}`);
  }
  return JSON.parse(last) as T;
}
