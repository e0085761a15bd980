import type { Command } from 'commander';
import { portNumber } from '../parse-options.js';
import { untilStopped, workspaceFor } from './context.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API (and its reference at /api/docs) for this project, on loopback')
    .option('--host <host>', 'interface to bind; beyond loopback an admin account must exist (gmp users add NAME --role admin)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0 = any free port)', portNumber, 3000)
    .option('--read-only', 'refuse every request that would change something')
    .option('--allow-host <name...>', 'more Host header values to answer, e.g. a reverse proxy’s gmp.example.com')
    .option('--collect', 'also collect events (gmp collect) in this process, sharing the hot path with the API')
    .option('--collect-host <host>', 'interface the collector binds (with --collect)', '127.0.0.1')
    .option('--collect-port <n>', 'port of the collector (with --collect; 0 = any free port)', portNumber, 8088)
    .addHelpText(
      'after',
      `
Endpoints: /api/v1/… (the API; its OpenAPI 3.1 document at /api/v1/openapi.json), /api/docs (an
interactive reference), /healthz and /readyz. Errors answer {"error": {"code", "message", "hint"}}.
Only the Host names of the bound address are answered (421 otherwise: a DNS-rebinding guard).
While no account exists, a loopback server acts as a local admin; once one does, sign in
(POST /api/v1/session) or send Authorization: Bearer <token> (see gmp users, gmp tokens).
SIGTERM or Ctrl-C stops it: requests in flight finish first.

The web UI is at / : the overview, Explore, Dashboards, Live (/live: the collector's events a
second and the player marts, over SSE), Players, Assets, Graph, Runs, Backfills, Schedules, Launch
and SQL.

With --collect the same process runs gmp collect on its own port (events in at /v1/batch, …) and
the API answers the hot path from it: GET /api/v1/users/{id}/recent (the 10 games a player viewed
last) and GET /api/v1/sessions/{id} (a live session). Several collectors share one hot path through
Redis (GMP_HOT_URL=redis://…); then any gmp serve reads it, --collect or not.

Examples:
  gmp serve                          # http://127.0.0.1:3000
  gmp serve --port 8080 --read-only
  gmp serve --collect                # the API on :3000, the collector on 127.0.0.1:8088
  curl -s http://127.0.0.1:3000/api/v1/runs?limit=5`,
    )
    .action(async (opts: { host: string; port: number; readOnly?: boolean; allowHost?: string[]; collect?: boolean; collectHost: string; collectPort: number }, command: Command) => {
      const ws = await workspaceFor(command);
      const [{ startServer }, { openRunLogger }] = await Promise.all([import('../../server/index.js'), import('../../app/index.js')]);
      const server = await startServer({
        ws,
        host: opts.host,
        port: opts.port,
        readOnly: opts.readOnly ?? false,
        ...(opts.allowHost ? { allowHosts: opts.allowHost } : {}),
        logger: openRunLogger(ws).child({ component: 'serve' }),
        ...(opts.collect ? { collect: { host: opts.collectHost, port: opts.collectPort } } : {}),
      });
      const stop = untilStopped();
      process.stdout.write(`gmp serve: ${server.url}  (API ${server.url}/api/v1, reference ${server.url}/api/docs${opts.readOnly ? ', read-only' : ''})\n`);
      if (server.collectorUrl) process.stdout.write(`gmp collect: ${server.collectorUrl}  (POST /v1/batch, /v1/track, /api/v1/ingest, /events/{type})\n`);
      await stop;
      await server.close();
      process.stdout.write('gmp serve: stopped\n');
    });
}
