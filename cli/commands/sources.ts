import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { formatTable, printJson } from '../output.js';
import { workspaceFor } from './context.js';

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number of events per second above 0');
  return n;
}

/** `gmp sources add|list|revoke`: who may send events to `gmp collect`, by write key. */
export function registerSources(program: Command): void {
  const sources = program
    .command('sources')
    .description('the sources that may send events to gmp collect, each with a write key (add, list, revoke)')
    .addHelpText(
      'after',
      `
Examples:
  gmp sources add game-client --rate 20000   # prints the key once: keep it in the client's config
  gmp sources list
  gmp sources revoke game-client`,
    );

  sources
    .command('add')
    .description('add a source and print its write key, once (only its hash is kept)')
    .argument('<name>', '2-64 of a-z 0-9 . _ -')
    .option('--rate <events>', 'events a second it may send (default GMP_COLLECT_RATE)', rate)
    .action(async (name: string, opts: { rate?: number }, command: Command) => {
      const ws = await workspaceFor(command);
      const { addEventSource } = await import('../../app/index.js');
      const { key } = await addEventSource(ws, name, opts.rate !== undefined ? { eventsPerSecond: opts.rate } : {});
      process.stdout.write(`${key}\n`);
      process.stderr.write(`source ${name} added: its write key is above, shown this once (send it as Authorization: Bearer <key>)\n`);
    });

  sources
    .command('list')
    .description('every source: name, key prefix, rate, created, revoked')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const ws = await workspaceFor(command);
      const { listEventSources } = await import('../../app/index.js');
      const list = await listEventSources(ws);
      if (opts.json) return printJson({ sources: list });
      if (list.length === 0) return void process.stdout.write('no sources: gmp sources add NAME creates one (until then, gmp collect on loopback takes events without a key)\n');
      process.stdout.write(`${formatTable(list.map((s) => ({ name: s.name, key: `${s.keyPrefix}…`, rate: s.eventsPerSecond ?? 'default', created: s.createdAt.slice(0, 19), revoked: s.revokedAt?.slice(0, 19) ?? '' })))}\n`);
    });

  sources
    .command('revoke')
    .description('end a source’s write key (a running collector refuses it within 5 seconds)')
    .argument('<name>')
    .action(async (name: string, _opts: unknown, command: Command) => {
      const ws = await workspaceFor(command);
      const { revokeEventSource } = await import('../../app/index.js');
      await revokeEventSource(ws, name);
      process.stdout.write(`source ${name} revoked\n`);
    });
}
