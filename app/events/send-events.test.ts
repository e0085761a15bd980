import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendEvents } from './send-events.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** A loopback collector whose answers the test scripts, request by request. */
async function scripted(answer: (n: number, batch: { event_id: string }[], res: ServerResponse) => void): Promise<string> {
  let n = 0;
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => answer(++n, (JSON.parse(body) as { batch: { event_id: string }[] }).batch, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ event_id: `id-${i}`, event: 'view' }));
const ok = (res: ServerResponse, batch: unknown[]) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: batch.length, duplicates: 0, failed: [] }));

describe('sendEvents', () => {
  it('resends a batch the collector never answered, and one answered 503, until acknowledged', async () => {
    const url = await scripted((n, batch, res) => {
      if (n === 1) return; // no answer at all
      if (n === 2) return void res.writeHead(503, { 'retry-after': '0' }).end('{}');
      ok(res, batch);
    });
    const report = await sendEvents(events(30), { url, batchSize: 50, concurrency: 1, requestTimeoutMs: 300, now: () => new Date(), keepAckedIds: true });
    expect(report).toMatchObject({ sent: 30, accepted: 30, retries: 2, requests: 3, pending: 0, stoppedBy: 'done' });
    expect(report.ackedIds!.size).toBe(30);
  });

  it('counts refused events with their reasons, and stamps sent_at at sending', async () => {
    const stamps: string[] = [];
    const url = await scripted((_n, batch, res) => {
      stamps.push(...batch.map((e) => (e as { sent_at?: string }).sent_at ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: batch.length - 1, duplicates: 0, failed: [{ index: 0, event_id: batch[0]!.event_id, reason: 'schema_violation', detail: 'properties.x' }] }));
    });
    const report = await sendEvents(events(4), { url, batchSize: 2, concurrency: 1, now: () => new Date('2026-01-10T12:00:00Z'), keepAckedIds: true });
    expect(report).toMatchObject({ sent: 4, accepted: 2, failed: 2, failures: [{ event_id: 'id-0', reason: 'schema_violation' }, { event_id: 'id-2', reason: 'schema_violation' }] });
    expect([...report.ackedIds!].sort()).toEqual(['id-1', 'id-3']);
    expect(new Set(stamps)).toEqual(new Set(['2026-01-10T12:00:00.000Z']));
  });

  it('stops on 401 with a hint, never naming the key', async () => {
    const url = await scripted((_n, _batch, res) => void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"this write key is unknown or revoked"}}'));
    const failure = sendEvents(events(3), { url, writeKey: 'gmpw_secret123', batchSize: 10, concurrency: 1, now: () => new Date() });
    await expect(failure).rejects.toThrow(/refused the sender: this write key is unknown or revoked/);
    await expect(failure).rejects.not.toThrow(/gmpw_secret123/);
  });
});
