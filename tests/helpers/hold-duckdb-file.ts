import { spawn } from 'node:child_process';
import { packageRoot } from '../../core/index.js';

/** A second Node process (not gmp) holding a DuckDB file open read-write, as a BI tool would. */
export interface DuckDbFileHolder {
  pid: number;
  /** Closes the database in the holder and waits for it to exit. */
  release(): Promise<void>;
}

// Opens the file, says so on stdout, and holds it until stdin closes.
const HOLDER_SCRIPT = `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(process.argv[1]);
const connection = await instance.connect();
await connection.run('SELECT 1');
process.stdout.write('holding\\n');
process.stdin.resume();
process.stdin.on('end', () => { connection.closeSync(); instance.closeSync(); process.exit(0); });
`;

/** Starts the holder and resolves once it holds `file`; rejects if it exits first or takes over `timeoutMs`. */
export async function holdDuckDbFile(file: string, timeoutMs = 30_000): Promise<DuckDbFileHolder> {
  // Run from the package root so the holder resolves the project's @duckdb/node-api.
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLDER_SCRIPT, file], { cwd: packageRoot(), stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    // The deadline is an event too: the abort of a timeout signal.
    const deadline = AbortSignal.timeout(timeoutMs);
    const onDeadline = (): void => reject(new Error(`the DuckDB holder did not open ${file} in ${timeoutMs} ms: ${output}`));
    deadline.addEventListener('abort', onDeadline, { once: true });
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('holding\n')) {
        deadline.removeEventListener('abort', onDeadline);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then(() => {
      deadline.removeEventListener('abort', onDeadline);
      reject(new Error(`the DuckDB holder exited before holding ${file}: ${output}`));
    });
  });
  return {
    pid: child.pid!,
    async release() {
      child.stdin.end();
      await exited;
    },
  };
}
