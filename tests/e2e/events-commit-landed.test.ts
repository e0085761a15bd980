import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const event = (n: number, timestamp: string) => ({ event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, event: 'view', user_id: `u${n}`, timestamp });

describe('gmp events commit-landed (the built binary, a local lake)', () => {
  it('commits what landed with progress and a summary, then finds nothing the second time', () => {
    const home = tempDir('gmp-landed-');
    const hour = new Date().toISOString().slice(0, 13);
    const folder = path.join(home, 'lake', 'raw', 'events', 'landing', `dt=${hour}`);
    mkdirSync(folder, { recursive: true });
    const now = Date.now();
    const lines = [event(1, new Date(now - 60_000).toISOString()), event(2, new Date(now - 30_000).toISOString())].map((e) => JSON.stringify({ received_at: now, event: e }));
    const landed = path.join(folder, `gmp-e2e-events-1-${randomUUID()}.jsonl.gz`);
    writeFileSync(landed, gzipSync(`${lines.join('\n')}\n{"broken`));

    const first = runGmp(['events', 'commit-landed'], { cwd: home, env: { GMP_HOME: home } });
    expect(first.stderr).toMatch(/\[1\/1\] raw\/events\/landing\/dt=.*: 2 events, 1 failed/);
    expect(first.stdout).toMatch(/^1 landed objects from file:\/\/.*: 2 events committed into \d hourly partitions, 1 failed \(1 not JSON, 0 too late\), 0 duplicates dropped, 0 objects already committed\n$/);
    expect(first.status).toBe(0);
    expect(existsSync(landed)).toBe(false);

    const second = runGmp(['events', 'commit-landed', '--json'], { cwd: home, env: { GMP_HOME: home } });
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ objects: 0, events: 0, failed: 0 });
  });
});
