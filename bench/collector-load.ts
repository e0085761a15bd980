// Child script: the load generator of the collector benchmark, in a process of its own. argv[2] is
// {"url", "route", "batch", "connections", "seconds", "lakeDir"?, "markerEveryMs"?}. It sends as fast
// as answers come back over keep-alive connections (a lean HTTP/1.1 client, as wrk is: the node:http
// client cost as much CPU as the collector it measured, on the same 2 cores), and prints one line of
// JSON: requests, events acknowledged, non-2xx, ack latencies (ms), and the markers' lags.
//
// Markers: beside the load, one `view` event at a time for a player of its own (`bench-m<n>`), with
// an event time a day back so that it lands in an hour partition of its own. Its hot-path lag runs
// from sending it until GET /api/v1/users/{id}/recent lists it; its lake lag from sending it until a
// committed manifest of that hour names a file holding it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { quantile } from './quantile.js';

interface Options {
  url: string;
  route: string;
  batch: number;
  connections: number;
  seconds: number;
  /** The collector's lake folder (GMP_HOME/lake): markers are looked for there. */
  lakeDir?: string;
  markerEveryMs?: number;
}
const opts = JSON.parse(process.argv[2] ?? '{}') as Options;
const target = new URL(opts.url);

/** One keep-alive HTTP/1.1 connection, one request at a time. */
class Connection {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void } | undefined;
  private broken: Error | undefined;

  constructor() {
    this.socket = connect(Number(target.port), target.hostname);
    this.socket.setNoDelay(true);
    this.socket.on('data', (chunk: Buffer) => this.received(chunk));
    const fail = (error: Error): void => {
      this.broken ??= error;
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  get usable(): boolean {
    return this.broken === undefined;
  }

  request(method: 'GET' | 'POST', route: string, body = ''): Promise<{ status: number; body: string }> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      const head = `${method} ${route} HTTP/1.1\r\nHost: ${target.host}\r\n${method === 'POST' ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n`;
      this.socket.write(head + body);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private received(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.socket.destroy(new Error(`a response without Content-Length: ${head.slice(0, 200)}`));
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const body = this.buffer.toString('utf8', end + 4, total);
    this.buffer = this.buffer.subarray(total);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ status: Number(head.slice(9, 12)), body });
  }
}

// Unique, valid UUIDs cheaply: a random v4 prefix and a counter in the last 12 hex digits.
const prefix = randomUUID().slice(0, 24);
let counter = 0;
const nextId = (): string => `${prefix}${(counter++).toString(16).padStart(12, '0')}`;
const event = (at: string): string =>
  `{"event_id":"${nextId()}","event":"heartbeat","user_id":"p${counter % 5000}","session_id":"s${counter % 20000}","game_id":3498,"timestamp":"${at}","properties":{"fps":60,"latency_ms":35}}`;
function body(): string {
  const at = new Date().toISOString();
  if (opts.batch === 1) return event(at);
  const events: string[] = [];
  for (let i = 0; i < opts.batch; i++) events.push(event(at));
  return `{"batch":[${events.join(',')}]}`;
}

const latencies: number[] = [];
let acked = 0;
let errors = 0;
const statuses: Record<string, number> = {};
let firstError: string | undefined;
const until = performance.now() + opts.seconds * 1000;

async function loop(): Promise<void> {
  let connection = new Connection();
  while (performance.now() < until) {
    const payload = body();
    const start = performance.now();
    const answer = await connection.request('POST', opts.route, payload).catch((error: Error) => ({ status: 0, body: error.message }));
    latencies.push(performance.now() - start);
    if (answer.status >= 200 && answer.status < 300) acked += opts.batch;
    else {
      errors++;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      firstError ??= answer.body.slice(0, 300);
      if (!connection.usable) connection = new Connection();
    }
  }
  connection.close();
}

interface Marker {
  id: string;
  user: string;
  game: number;
  hour: string;
  sentAt: number;
  hotLagMs?: number;
  lakeLagMs?: number;
}
const markers: Marker[] = [];
let markersRefused = 0;

/** Sends a marker every `markerEveryMs`, then polls the hot path until it lists it. */
async function sendMarkers(): Promise<void> {
  const connection = new Connection();
  const poll = new Connection();
  for (let n = 1; performance.now() < until; n++) {
    const due = performance.now() + (opts.markerEveryMs ?? 250);
    const at = new Date(Date.now() - 86_400_000).toISOString();
    const marker: Marker = { id: nextId(), user: `bench-m${n}`, game: n, hour: at.slice(0, 13), sentAt: performance.now() };
    const sent = await connection.request('POST', '/v1/track', `{"event_id":"${marker.id}","event":"view","user_id":"${marker.user}","game_id":${n},"timestamp":"${at}"}`);
    if (sent.status === 200) markers.push(marker);
    else if (sent.status === 503 || sent.status === 429) markersRefused++; // back-pressure: counted, and the next one tries again
    else throw new Error(`a marker was refused (${sent.status}): ${sent.body.slice(0, 200)}`);
    while (sent.status === 200 && marker.hotLagMs === undefined && performance.now() < until + 5000) {
      const recent = await poll.request('GET', `/api/v1/users/${marker.user}/recent`);
      if (recent.status !== 200) throw new Error(`the hot path answered ${recent.status}: ${recent.body.slice(0, 200)}`);
      if (recent.body.includes(`"game_id":${n},`)) marker.hotLagMs = performance.now() - marker.sentAt;
      else await new Promise((resolve) => setTimeout(resolve, 2)); // not there yet: ask again, without flooding the collector
    }
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  connection.close();
  poll.close();
}

/** Reads the markers' hour partitions every 100 ms; a marker is in the lake once a committed file holds it. */
async function watchLake(lakeDir: string, stop: () => boolean): Promise<void> {
  const seenFiles = new Set<string>();
  const byId = new Map<string, Marker>();
  while (!stop()) {
    for (const m of markers) if (m.lakeLagMs === undefined) byId.set(m.id, m);
    for (const hour of new Set(markers.map((m) => m.hour))) {
      let manifest: { files: { key: string }[] };
      try {
        manifest = JSON.parse(readFileSync(path.join(lakeDir, 'raw', 'events', 'events', `dt=${hour}`, '_manifest.json'), 'utf8')) as typeof manifest;
      } catch {
        continue; // not committed yet
      }
      for (const file of manifest.files) {
        if (seenFiles.has(file.key)) continue;
        seenFiles.add(file.key);
        const now = performance.now();
        for (const line of gunzipSync(readFileSync(path.join(lakeDir, file.key))).toString('utf8').split('\n')) {
          const marker = line ? byId.get((JSON.parse(line) as { event_id: string }).event_id) : undefined;
          if (marker) marker.lakeLagMs = now - marker.sentAt;
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const started = performance.now();
const markersDone = opts.lakeDir ? sendMarkers() : Promise.resolve();
let loadDone = false;
// After the load, the last markers wait for the collector's next timed commit: watched for 30 s more at most.
const lakeWatch = opts.lakeDir ? watchLake(opts.lakeDir, () => loadDone && (markers.every((m) => m.lakeLagMs !== undefined) || performance.now() > until + 30_000)) : Promise.resolve();
await Promise.all(Array.from({ length: opts.connections }, loop));
const seconds = (performance.now() - started) / 1000;
await markersDone;
loadDone = true;
await lakeWatch;

const round = (x: number): number => Math.round(x * 10) / 10;
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(quantile(sorted, 0.5)), p99: round(quantile(sorted, 0.99)), max: round(sorted.at(-1) ?? Number.NaN) };
};
const ack = summary(latencies);
const hot = markers.flatMap((m) => (m.hotLagMs === undefined ? [] : [m.hotLagMs]));
const lake = markers.flatMap((m) => (m.lakeLagMs === undefined ? [] : [m.lakeLagMs]));
process.stdout.write(
  `${JSON.stringify({
    requests: latencies.length, acked, errors, statuses, firstError, seconds, p50: ack.p50, p99: ack.p99,
    markers: { sent: markers.length, refused: markersRefused, onHotPath: hot.length, inLake: lake.length, hotPathLagMs: summary(hot), lakeLagMs: summary(lake) },
  })}\n`,
);
