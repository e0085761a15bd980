import { CanceledError, UsageError } from '../core/index.js';
import { createSharedWarehouse, type Row } from '../warehouse/index.js';
import type { Workspace } from './workspace.js';

/** Statement kinds the console runs: reads only (DESCRIBE, SHOW and SUMMARIZE are SELECTs to DuckDB). */
const READ_KINDS = new Set(['SELECT', 'EXPLAIN']);
/** Verbs refused whatever DuckDB makes of them (`PRAGMA database_list` is a SELECT to its parser). */
const REFUSED_VERBS = new Set(['PRAGMA', 'SET', 'RESET', 'ATTACH', 'DETACH', 'INSTALL', 'LOAD', 'FORCE', 'COPY', 'EXPORT', 'IMPORT', 'CALL', 'CHECKPOINT', 'USE', 'VACUUM']);
export const CONSOLE_MAX_ROWS = 2000;
export const CONSOLE_TIMEOUT_MS = 15_000;

export interface ConsoleResult {
  columns: string[];
  rows: Row[];
  /** More rows exist than the console shows (`CONSOLE_MAX_ROWS`). */
  limitReached: boolean;
  elapsedMs: number;
}

/**
 * Runs one read-only query typed by a person, as the web console does: the engine's own parser
 * must see exactly one SELECT (or EXPLAIN); DuckDB opens the warehouse read-only with no file,
 * network or extension access and its configuration locked; the query is interrupted at
 * `timeoutMs` or when `signal` fires; at most CONSOLE_MAX_ROWS rows come back.
 */
export async function runConsoleQuery(ws: Workspace, sql: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ConsoleResult> {
  const text = sql.trim().replace(/;\s*$/, '');
  if (text === '') throw new UsageError('the query is empty', { hint: 'write a SELECT, e.g. select * from marts.dim_games limit 10' });
  const timeoutMs = options.timeoutMs ?? CONSOLE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const started = performance.now();
  const reader = createSharedWarehouse(ws.config.warehouse, { readOnly: true, untrusted: true });
  try {
    return await reader.use(async (w) => {
      const kinds = w.statementTypes ? await w.statementTypes(text).catch((error: unknown) => refused(error)) : ['SELECT'];
      if (kinds.length !== 1) throw new UsageError(`the SQL console runs one statement at a time, not ${kinds.length}`, { code: 'SQL_REFUSED', hint: 'the console is read-only and runs one query: keep one SELECT (statements are separated by ;)' });
      // DuckDB rewrites some statements (PRAGMA x, SHOW …) as SELECTs: the verb typed decides too.
      const verb = firstWord(text);
      const kind = REFUSED_VERBS.has(verb) ? verb : kinds[0]!;
      if (!READ_KINDS.has(kind)) {
        throw new UsageError(`the SQL console runs read-only queries: ${kind.replace(/_/g, ' ')} is refused`, {
          code: 'SQL_REFUSED',
          hint: 'the console is read-only: use SELECT (or WITH … SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); it cannot change the warehouse, read files or reach the network',
        });
      }
      // One more row than shown tells whether there are more; the engine stops there.
      const limited = kinds[0] === 'SELECT' && /^\s*(select|with|from|values|table)\b/i.test(text) ? `SELECT * FROM (\n${text}\n) AS console_query LIMIT ${CONSOLE_MAX_ROWS + 1}` : text;
      const rows = await w.query(limited, { signal }).catch((error: unknown) => {
        if (error instanceof CanceledError && timeout.aborted) {
          throw new UsageError(`the query ran past the console's ${timeoutMs / 1000} s limit and was stopped`, { code: 'SQL_TIMEOUT', hint: 'narrow it (a WHERE, a LIMIT, a mart instead of staging), or run it with gmp query' });
        }
        throw error;
      });
      return {
        columns: rows[0] ? Object.keys(rows[0]) : [],
        rows: rows.slice(0, CONSOLE_MAX_ROWS),
        limitReached: rows.length > CONSOLE_MAX_ROWS,
        elapsedMs: Math.round(performance.now() - started),
      };
    }, signal);
  } finally {
    await reader.close();
  }
}

function refused(error: unknown): never {
  const message = error instanceof Error ? error.message.replace(/^DuckDB: /, '') : String(error);
  throw new UsageError(`the SQL console refused the query: ${message}`, { code: 'SQL_REFUSED', hint: 'the console runs one read-only SELECT over the warehouse; it cannot read files, attach databases, load extensions or change settings' });
}

/** The first word of the statement, upper-cased, past comments and opening parentheses. */
function firstWord(sql: string): string {
  const rest = sql.replace(/^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*/, '');
  return /^[A-Za-z_]+/.exec(rest)?.[0].toUpperCase() ?? '';
}
