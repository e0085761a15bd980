// Child script: the load generator of the collector benchmark, in a process of its own. argv[2] is
// {"url", "route", "batch", "connections", "seconds"}; it sends as fast as answers come back and
// prints one line of JSON: requests, events acknowledged, non-2xx, latencies (ms).
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

const opts = JSON.parse(process.argv[2] ?? '{}') as { url: string; route: string; batch: number; connections: number; seconds: number };
const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
const target = new URL(opts.route, opts.url);
// Unique, valid UUIDs cheaply: a random prefix and a counter in the last 12 hex digits.
const prefix = randomUUID().slice(0, 24);
let counter = 0;
const id = (): string => `${prefix}${(counter++).toString(16).padStart(12, '0')}`;
const event = (): string =>
  `{"event_id":"${id()}","event":"heartbeat","user_id":"p${counter % 5000}","session_id":"s${counter % 20000}","game_id":3498,"timestamp":"2026-12-03T10:00:00.000Z","properties":{"fps":60,"latency_ms":35}}`;
const body = (): string => (opts.batch === 1 ? event() : `{"batch":[${Array.from({ length: opts.batch }, event).join(',')}]}`);

const latencies: number[] = [];
let acked = 0;
let errors = 0;
const statuses: Record<string, number> = {};
const until = performance.now() + opts.seconds * 1000;

let firstError: string | undefined;
function send(payload: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        if (firstError === undefined && (res.statusCode ?? 0) >= 300) body += d.toString();
      });
      res.on('end', () => {
        if (body) firstError ??= body.slice(0, 300);
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

async function loop(): Promise<void> {
  while (performance.now() < until) {
    const payload = body();
    const start = performance.now();
    const status = await send(payload);
    latencies.push(performance.now() - start);
    if (status >= 200 && status < 300) acked += opts.batch;
    else {
      errors++;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: opts.connections }, loop));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 10) / 10;
process.stdout.write(`${JSON.stringify({ requests: latencies.length, acked, errors, statuses, firstError, seconds, p50: q(0.5), p99: q(0.99) })}\n`);
agent.destroy();
