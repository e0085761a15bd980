import path from 'node:path';
import type { Command } from 'commander';
import { portNumber } from '../parse-options.js';
import { untilStopped, workspaceFor } from './context.js';

/** `gmp collect`: the event collector, durable before it answers. */
export function registerCollect(program: Command): void {
  program
    .command('collect')
    .description('collect player telemetry and store events over HTTP into a write-ahead log, acknowledging only what is durable')
    .option('--host <host>', 'interface to bind; beyond loopback a source with a write key must exist (gmp sources add NAME)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 = any free port)', portNumber, 8088)
    .option('--wal-dir <dir>', 'the write-ahead log folder, one collector each (default GMP_HOME/events/wal)')
    .addHelpText(
      'after',
      `
Endpoints (JSON bodies, 1 MB a request, 32 KB an event):
  POST /v1/batch        {"batch": [event, …]}      200 {accepted, duplicates, failed: [{index, reason, …}]}
  POST /v1/track        one event                   200, or 400/413 with the reason
  POST /api/v1/ingest   seed 003's store events     202 {"status": "accepted", "request_id"}
  POST /events/{type}   seed 004's typed telemetry  202
An event: {"event_id": UUID, "event": "view", "user_id": "u1", "game_id": 3498,
           "timestamp": ISO time, "sent_at": ISO time, "properties": {…}}
Senders put a source's write key in Authorization: Bearer <key> (gmp sources add NAME prints one);
on loopback with no source configured, no key is needed.
Every 2xx is sent once the events are fsync'd to the write-ahead log; invalid events are kept
there as failed events with their reason; a full log answers 503 with Retry-After. A collector
killed mid-stream replays its log when it starts again.

Examples:
  gmp collect
  curl -s -H 'content-type: application/json' localhost:8088/v1/track \\
    -d '{"event_id":"6f1c…","event":"view","user_id":"u1","game_id":3498,"timestamp":"2026-12-03T10:00:00Z"}'`,
    )
    .action(async (opts: { host: string; port: number; walDir?: string }, command: Command) => {
      const ws = await workspaceFor(command);
      const [{ startCollector }, { openRunLogger }] = await Promise.all([import('../../server/index.js'), import('../../app/index.js')]);
      const running = await startCollector({
        ws,
        host: opts.host,
        port: opts.port,
        logger: openRunLogger(ws).child({ component: 'collect' }),
        ...(opts.walDir ? { walDir: path.resolve(opts.walDir) } : {}),
      });
      const stop = untilStopped();
      const recovered = running.collector.recovered;
      process.stdout.write(`gmp collect: ${running.url}  (POST /v1/batch, /v1/track, /api/v1/ingest, /events/{type})${recovered ? `; replayed ${recovered} events from the write-ahead log` : ''}\n`);
      await stop;
      await running.close();
      process.stdout.write('gmp collect: stopped\n');
    });
}
