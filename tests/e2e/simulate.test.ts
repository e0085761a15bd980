import { afterAll, describe, expect, it } from 'vitest';
import { runGmp, runGmpAsync, spawnGmp } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

const children: ReturnType<typeof spawnGmp>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('gmp simulate', () => {
  it('teaches both sinks with examples, and refuses a run with no sink or two', () => {
    const cwd = tempDir('gmp-simulate-help-');
    const help = runGmp(['simulate', '--help'], { cwd });
    expect(help.stdout).toContain('gmp simulate --to http://127.0.0.1:8088 --rate 2000 --duration 60 --players 500 --seed 7');
    expect(help.stdout).toContain('gmp simulate --lake --days 7 --players 2000 --seed 7');
    expect(help.stdout).toMatch(/SYNTHETIC/);
    const none = runGmp(['simulate'], { cwd });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/choose one sink/);
    expect(runGmp(['simulate', '--lake', '--to', 'http://127.0.0.1:1'], { cwd }).status).toBe(2);
  });

  it('feeds a running collector and backfills the lake once, saying the data is synthetic', async () => {
    const home = tempDir('gmp-simulate-');
    // Committed when it stops: on an idle collector a commit tick's empty rotation stalls the WAL
    // (WriteAheadLog.flush settles synchronously and leaves `flushing` set), which is not what this tests.
    const env = { GMP_HOME: home, GMP_EVENTS_COMMIT_SECONDS: '0' };
    const collector = spawnGmp(['collect', '--port', '0'], { cwd: home, env });
    children.push(collector);
    const url = await new Promise<string>((resolve, reject) => {
      collector.stdout!.on('data', () => {
        const m = /gmp collect: (http:\/\/127\.0\.0\.1:\d+)/.exec(collector.output());
        if (m) resolve(m[1]!);
      });
      collector.once('exit', (code) => reject(new Error(`gmp collect exited (${code}): ${collector.output()}`)));
    });
    const sent = await runGmpAsync(['simulate', '--to', url, '--players', '100', '--seed', '3', '--events', '2000', '--rate', '5000'], { cwd: home, env });
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^SYNTHETIC player data: 100 simulated players/);
    expect(sent.stdout).toMatch(/Sent 2,000 events to http:\/\/127\.0\.0\.1:\d+ .*--events reached/);
    expect(sent.stdout).toMatch(/accepted 2,000 · duplicates 0 · refused 0/);
    collector.kill('SIGTERM');
    await new Promise((resolve) => collector.once('exit', resolve));

    // The collector's own partitions take the backfill beside its events (the WAL lock is free now).
    const first = runGmp(['simulate', '--lake', '--days', '2', '--players', '60', '--seed', '3', '--json'], { cwd: home, env });
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { events: number; partitions: number; failed: number; logId: string };
    expect(report.events).toBeGreaterThan(1000);
    expect(report.failed).toBe(0);
    const again = runGmp(['simulate', '--lake', '--days', '2', '--players', '60', '--seed', '3'], { cwd: home, env });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Already in the lake: this simulation (${report.logId}) was written before, nothing added.`);
  }, 120_000);
});
