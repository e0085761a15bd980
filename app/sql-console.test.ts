import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/index.js';
import { tempDir } from '../tests/helpers/workspace.js';
import { createDuckDbWarehouse } from '../warehouse/index.js';
import { runConsoleQuery } from './sql-console.js';
import { openWorkspace, type Workspace } from './workspace.js';

async function workspaceWithMarts(): Promise<Workspace> {
  const home = tempDir('gmp-console-');
  const ws = openWorkspace({ cwd: home, env: { GMP_HOME: home } });
  const file = ws.config.warehouse.type === 'duckdb' ? ws.config.warehouse.path : '';
  const writer = await createDuckDbWarehouse({ path: file });
  await writer.execute(['CREATE SCHEMA marts', "CREATE TABLE marts.dim_games AS SELECT i AS game_id, 'Game ' || i AS name FROM range(1, 5001) t(i)"]);
  await writer.close();
  return ws;
}

const refusal = (ws: Workspace, sql: string) => runConsoleQuery(ws, sql).then(() => undefined, (e: unknown) => e as UsageError);

describe('the SQL console', () => {
  it('runs a query, shows at most 2,000 rows and says when the limit is reached', async () => {
    const ws = await workspaceWithMarts();
    const few = await runConsoleQuery(ws, 'select game_id, name from marts.dim_games order by game_id limit 3;');
    expect(few).toMatchObject({ columns: ['game_id', 'name'], rows: [{ game_id: 1, name: 'Game 1' }, { game_id: 2, name: 'Game 2' }, { game_id: 3, name: 'Game 3' }], limitReached: false });
    const many = await runConsoleQuery(ws, 'select * from marts.dim_games order by game_id desc');
    expect(many.rows).toHaveLength(2000);
    expect(many.rows[0]).toEqual({ game_id: 5000, name: 'Game 5000' });
    expect(many.limitReached).toBe(true);
    expect((await runConsoleQuery(ws, 'describe marts.dim_games')).rows.map((r) => r.column_name)).toEqual(['game_id', 'name']);
  });

  it('refuses file reads and writes, ATTACH, INSTALL, LOAD, SET, PRAGMA and several statements, each with a clear error', async () => {
    const ws = await workspaceWithMarts();
    const cases: [string, RegExp][] = [
      ["select * from read_text('/etc/passwd')", /refused the query: .*(disabled|Permission)/i],
      ["select * from read_csv('/etc/hostname')", /refused the query: .*(disabled|Permission)/i],
      ["copy (select 1) to '/tmp/gmp-console-leak.csv'", /COPY is refused|file system operations are disabled/],
      ["attach '/tmp/other.duckdb' as other", /ATTACH is refused|refused the query/],
      ['install httpfs', /(EXTENSION|INSTALL|LOAD) is refused|refused the query/],
      ['load httpfs', /(LOAD|EXTENSION) is refused|refused the query/],
      ["set enable_external_access = true", /(SET|VARIABLE SET) is refused/],
      ['pragma database_list', /PRAGMA is refused/],
      ['select 1; select 2', /one statement at a time, not 2/],
      ['delete from marts.dim_games', /DELETE is refused/],
    ];
    for (const [sql, message] of cases) {
      const error = await refusal(ws, sql);
      expect(error, sql).toBeInstanceOf(UsageError);
      expect(error!.message, sql).toMatch(message);
      expect(error!.hint, sql).toMatch(/read-only/);
      expect(error!.code, sql).toBe('SQL_REFUSED');
    }
    expect(existsSync('/tmp/gmp-console-leak.csv')).toBe(false);
    expect((await runConsoleQuery(ws, 'select count(*) as n from marts.dim_games')).rows).toEqual([{ n: 5000 }]);
  });

  it('stops a query at its time limit', async () => {
    const ws = await workspaceWithMarts();
    const error = await runConsoleQuery(ws, 'select count(*) from range(100000000000) a', { timeoutMs: 300 }).catch((e: unknown) => e as UsageError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('SQL_TIMEOUT');
    expect((error as UsageError).message).toBe("the query ran past the console's 0.3 s limit and was stopped");
  });
});
