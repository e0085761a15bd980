import type { Command } from 'commander';
import { positiveInt } from '../parse-options.js';
import { untilStopped } from './context.js';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('serve the synthetic RAWG-compatible API on loopback (for demos and tests)')
    .option('--port <n>', 'port to listen on (0 = any free port)', (v) => Number(v), 0)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--games <n>', 'catalogue size', positiveInt, 20_000)
    .option('--seed <n>', 'catalogue seed', (v) => Number(v), 42)
    .option('--as-of <YYYY-MM-DD>', "the catalogue's present (default today, UTC)")
    .option('--key <key>', 'accept only this API key (default: any non-empty key)')
    .option('--latency <ms>', 'added latency per response', (v) => Number(v), 0)
    .option('--faults <spec>', 'fault queue, e.g. "429x2,503x3,truncate,malformed,hang"')
    .addHelpText(
      'after',
      `
Use it as RAWG_BASE_URL=http://127.0.0.1:PORT/api with any RAWG_API_KEY. Faults can also be queued
at run time: POST /__sandbox/faults with a JSON array; GET /__sandbox/stats counts requests.`,
    )
    .action(async (opts: { port: number; host: string; games: number; seed: number; asOf?: string; key?: string; latency: number; faults?: string }) => {
      const { parsePartitionKey } = await import('../../core/index.js');
      const { startRawgSandbox, parseSandboxFaults } = await import('../../app/index.js');
      const sandbox = await startRawgSandbox({
        port: opts.port,
        host: opts.host,
        games: opts.games,
        seed: opts.seed,
        ...(opts.asOf ? { asOf: parsePartitionKey(opts.asOf, '--as-of') } : {}),
        ...(opts.key ? { apiKey: opts.key } : {}),
        latencyMs: opts.latency,
        ...(opts.faults ? { faults: await parseSandboxFaults(opts.faults) } : {}),
      });
      const stop = untilStopped();
      process.stdout.write(`RAWG sandbox (synthetic data) listening on ${sandbox.url}\n`);
      await stop;
      await sandbox.close();
    });
}
