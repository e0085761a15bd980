import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGmp } from '../helpers/run-gmp.js';
import { freePort } from '../helpers/test-server.js';
import { tempDir } from '../helpers/workspace.js';

// Each bad input: one clear line on stderr, the documented exit code, and nothing written.
describe('gmp on bad input', () => {
  const cases: [string, string[], Record<string, string>, number, RegExp][] = [
    ['an impossible date', ['materialize', '--select', 'rawg/games', '--partition', '2024-13-45'], { RAWG_API_KEY: 'k-1234' }, 2, /invalid partition "2024-13-45": expected a UTC day written YYYY-MM-DD/],
    ['a path as partition', ['materialize', '--select', 'rawg/games', '--partition', '../x'], { RAWG_API_KEY: 'k-1234' }, 2, /invalid partition "\.\.\/x"/],
    ['an unknown selection', ['materialize', '--select', 'rawg/gamez', '--partition', '2024-05-01'], { RAWG_API_KEY: 'k-1234' }, 2, /no asset matches "rawg\/gamez" \(did you mean rawg\/games/],
    ['an invalid lake URL', ['materialize', '--select', 'rawg/games', '--partition', '2024-05-01'], { RAWG_API_KEY: 'k-1234', GMP_LAKE_URL: 'ftp://host/lake' }, 2, /GMP_LAKE_URL: unsupported scheme "ftp:\/\/"/],
    ['no API key for an ingestion', ['materialize', '--select', 'rawg/games', '--partition', '2024-05-01'], {}, 2, /RAWG_API_KEY is not set.*gmp demo/],
    ['a partition before the first one', ['materialize', '--select', 'rawg/games', '--partition', '2010-01-01'], { RAWG_API_KEY: 'k-1234' }, 2, /outside rawg\/games's daily partitions \(2015-01-01\.\./],
    ['an unknown option', ['materialize', '--select', 'rawg/games', '--bogus'], {}, 2, /unknown option '--bogus'/],
  ];

  it.each(cases)('%s', (_name, args, env, code, message) => {
    const cwd = tempDir('gmp-e2e-');
    const result = runGmp(args, { cwd, env });
    expect(result.status).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/^error: /);
    expect(result.stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an unreachable RAWG_BASE_URL fails in one line with exit 1, before writing anything', async () => {
    const cwd = tempDir('gmp-e2e-');
    const port = await freePort();
    const result = runGmp(['materialize', '--select', 'rawg/games', '--partition', '2024-05-01'], {
      cwd,
      env: { RAWG_API_KEY: 'unreachable-key-42', RAWG_BASE_URL: `http://127.0.0.1:${port}/api` },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(new RegExp(`cannot reach http://127.0.0.1:${port} \\(RAWG_BASE_URL\\): ECONNREFUSED`));
    expect(result.stderr).not.toContain('unreachable-key-42');
    expect(existsSync(path.join(cwd, '.gmp'))).toBe(false);
  });

  it('query before any run explains how to create the warehouse, and creates nothing', () => {
    const cwd = tempDir('gmp-e2e-');
    const result = runGmp(['query', 'select 1'], { cwd });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/no warehouse at .* yet \(run `gmp demo` or `gmp materialize` first/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--help teaches the commands and exits 0', () => {
    const result = runGmp(['--help'], { cwd: tempDir('gmp-e2e-') });
    expect(result.status).toBe(0);
    for (const command of ['demo', 'materialize', 'assets', 'runs', 'query', 'sandbox']) expect(result.stdout).toContain(command);
    expect(result.stdout).toMatch(/Exit codes: 0 success, 1 failure, 2 usage or configuration error/);
  });
});
