import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { testWorkspace } from '../tests/helpers/workspace.js';
import { ownerId, processHome } from '../orchestration/index.js';
import { listRuns } from './list-runs.js';
import { showRun } from './show-run.js';
import { openStateStore } from './workspace.js';

const NOW = '2025-06-30T12:00:00Z';
const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

describe('gmp runs: a run whose process is gone shows as abandoned, not running forever', () => {
  it('tells live runs from killed ones by their owner process and their heartbeat', async () => {
    const ws = testWorkspace({ baseUrl: 'http://127.0.0.1:9/api', key: 'runs-key', now: NOW });
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!; // a process of this host that is gone
    const state = await openStateStore(ws);
    try {
      const run = (runId: string, owner: string, heartbeatAt: string) =>
        state.createRun({ runId, kind: 'materialize', selection: 'rawg/games+', partitions: '2025-06-29', startedAt: minutesAgo(30), owner, heartbeatAt });
      await run('live', ownerId('run'), minutesAgo(0.2));
      await run('killed-here', `${processHome()}:${exited}:run`, minutesAgo(0.2));
      await run('silent-elsewhere', 'other-host:4242:run', minutesAgo(5));
      await run('alive-elsewhere', 'other-host:4243:run', minutesAgo(0.5));
      await run('finished', `${processHome()}:${exited}:run`, minutesAgo(20));
      await state.finishRun('finished', 'succeeded', minutesAgo(19));
    } finally {
      await state.close();
    }
    const shown = Object.fromEntries((await listRuns(ws)).map((r) => [r.runId, r.status]));
    expect(shown).toEqual({ live: 'running', 'killed-here': 'abandoned', 'silent-elsewhere': 'abandoned', 'alive-elsewhere': 'running', finished: 'succeeded' });
    expect((await showRun(ws, 'killed-here')).status).toBe('abandoned');
  });
});
