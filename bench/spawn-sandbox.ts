import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { SandboxOptions } from '../sandbox/index.js';
import { tsxNodeArgs } from './tsx-node-args.js';

export interface SandboxProcess {
  url: string;
  /** CPU time (user + system) the sandbox process has used so far, in ms. */
  cpuMs(): Promise<number>;
  /** Closes the sandbox (ends the child's stdin) and waits for the child to exit. */
  close(): Promise<void>;
}

/** Starts the RAWG sandbox (`startSandbox`) in its own Node process; resolves once it listens. */
export async function spawnSandbox(options: SandboxOptions): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [...tsxNodeArgs('./serve-sandbox.ts'), JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const died = exited.then(([code, signal]) => {
      throw new Error(`sandbox process exited early (code ${String(code)}, signal ${String(signal)})`);
    });
    const line = await Promise.race([lines.next(), died]);
    if (line.done === true) throw new Error('sandbox process closed its stdout');
    return String(line.value);
  };
  const { url } = JSON.parse(await nextLine()) as { url: string };
  return {
    url,
    async cpuMs() {
      child.stdin.write('cpu\n');
      return (JSON.parse(await nextLine()) as { cpuMs: number }).cpuMs;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      await exited;
    },
  };
}
