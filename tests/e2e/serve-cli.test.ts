import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runGmp, spawnGmp, waitForOutput } from '../helpers/run-gmp.js';
import { tempDir } from '../helpers/workspace.js';

describe('gmp serve', () => {
  it('listens on loopback, says where, answers, and stops cleanly on SIGTERM', async () => {
    const cwd = tempDir('gmp-serve-');
    const child = spawnGmp(['serve', '--port', '0'], { cwd });
    const exited = once(child, 'exit');
    const address = /gmp serve: (http:\/\/127\.0\.0\.1:\d+)/;
    const url = address.exec(await waitForOutput(child, child.output, (o) => address.test(o), 'gmp serve printed its address'))![1]!;
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    // No state yet: the lists are empty, not errors.
    expect(await (await fetch(`${url}/api/v1/runs`)).json()).toEqual({ runs: [], next: null });
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(child.output()).toContain('gmp serve: stopped');
  });

  it('refuses to bind beyond loopback while no account can protect it (exit 2, one line)', () => {
    const result = runGmp(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: tempDir('gmp-serve-') });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/refusing to serve on 0\.0\.0\.0: beyond loopback only accounts get in, and no admin exists yet \(create one first: gmp users add NAME --role admin/);
  });
});
