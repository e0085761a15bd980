// Child script: starts the RAWG sandbox with the SandboxOptions JSON in argv[2] and prints
// `{"url": ...}` as one line on stdout. Each `cpu` line on stdin is answered with one line
// `{"cpuMs": ...}` (this process's CPU time so far). It closes the sandbox and exits when its
// stdin ends (the parent closed it, or the parent died), so no server outlives a benchmark.
import { createInterface } from 'node:readline';
import { startSandbox, type SandboxOptions } from '../sandbox/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SandboxOptions;
const sandbox = await startSandbox(options);
process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  if (line.trim() !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMs: (user + system) / 1000 })}\n`);
});
commands.once('close', () => {
  void sandbox.close().then(() => process.exit(0));
});
