import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../core/index.js';
import { openWorkspace, queryWarehouse, type Workspace } from '../../app/index.js';

export function tempDir(prefix = 'gmp-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A workspace in a fresh temp GMP_HOME pointed at `baseUrl`, with a fixed clock. */
export function testWorkspace(options: { baseUrl: string; key: string; now: string; env?: Record<string, string>; home?: string }): Workspace {
  const home = options.home ?? tempDir();
  return openWorkspace({
    cwd: home,
    env: {
      RAWG_API_KEY: options.key,
      RAWG_BASE_URL: options.baseUrl,
      RAWG_REQUESTS_PER_SECOND: '1000',
      RAWG_CONCURRENCY: '4',
      RAWG_TIMEOUT_MS: '2000',
      RAWG_BACKOFF_BASE_MS: '10',
      RAWG_BACKOFF_MAX_MS: '100',
      GMP_HOME: home,
      GMP_LOG_LEVEL: 'info',
      ...options.env,
    },
    clock: fixedClock(options.now),
  });
}

export async function count(ws: Workspace, sql: string): Promise<number> {
  const [row] = await queryWarehouse(ws, `SELECT count(*) AS n FROM (${sql}) AS q`);
  return Number(row?.n);
}
