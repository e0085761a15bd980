import { CanceledError, UsageError } from '../core/index.js';
import { createSharedWarehouse, type Row, type Warehouse } from '../warehouse/index.js';
import { csvLine } from './csv.js';
import { pullChunks } from './pull-chunks.js';
import type { Workspace } from './workspace.js';

/** Statement kinds the console runs: reads only (DESCRIBE, SHOW and SUMMARIZE are SELECTs to DuckDB). */
const READ_KINDS = new Set(['SELECT', 'EXPLAIN']);
/** Verbs refused whatever DuckDB makes of them (`PRAGMA database_list` is a SELECT to its parser). */
const REFUSED_VERBS = new Set(['PRAGMA', 'SET', 'RESET', 'ATTACH', 'DETACH', 'INSTALL', 'LOAD', 'FORCE', 'COPY', 'EXPORT', 'IMPORT', 'CALL', 'CHECKPOINT', 'USE', 'VACUUM']);
export const CONSOLE_MAX_ROWS = 2000;
export const CONSOLE_TIMEOUT_MS = 15_000;
/** A full CSV export may run longer than a look at 2,000 rows. */
export const CONSOLE_EXPORT_TIMEOUT_MS = 120_000;

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
  const text = consoleText(sql);
  const timeoutMs = options.timeoutMs ?? CONSOLE_TIMEOUT_MS;
  const { signal, timedOut } = deadline(timeoutMs, options.signal);
  const started = performance.now();
  const reader = createSharedWarehouse(ws.config.warehouse, { readOnly: true, untrusted: true });
  try {
    return await reader.use(async (w) => {
      const kind = await readKind(w, text);
      // One more row than shown tells whether there are more; the engine stops there.
      const limited = kind === 'SELECT' && /^\s*(select|with|from|values|table)\b/i.test(text) ? `SELECT * FROM (\n${text}\n) AS console_query LIMIT ${CONSOLE_MAX_ROWS + 1}` : text;
      const table = w.queryTable ? await w.queryTable(limited, { signal }).catch(timedOut) : await w.query(limited, { signal }).then((rows) => ({ rows, columns: rows[0] ? Object.keys(rows[0]) : [] }), timedOut);
      return {
        columns: table.columns,
        rows: table.rows.slice(0, CONSOLE_MAX_ROWS),
        limitReached: table.rows.length > CONSOLE_MAX_ROWS,
        elapsedMs: Math.round(performance.now() - started),
      };
    }, signal);
  } finally {
    await reader.close();
  }
}

/**
 * Every row of a console query as CSV (the console shows 2,000): the same checks and sandbox,
 * streamed chunk by chunk with flat memory, stopped after `timeoutMs` (2 minutes by default) or
 * when the client goes away. A refused or failing query throws before the first line.
 */
export async function* exportConsoleCsv(ws: Workspace, sql: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): AsyncGenerator<string> {
  const text = consoleText(sql);
  const timeoutMs = options.timeoutMs ?? CONSOLE_EXPORT_TIMEOUT_MS;
  const { signal, timedOut } = deadline(timeoutMs, options.signal);
  const reader = createSharedWarehouse(ws.config.warehouse, { readOnly: true, untrusted: true });
  try {
    yield* pullChunks<string>((push) =>
      reader.use(async (w) => {
        await readKind(w, text);
        if (!w.eachChunk) {
          const rows = await w.query(text, { signal }).catch(timedOut);
          const columns = rows[0] ? Object.keys(rows[0]) : [];
          return push(csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join(''));
        }
        let header = false;
        await w
          .eachChunk(text, { signal }, async (columns, rows) => {
            await push((header ? '' : csvLine(columns)) + rows.map((r) => csvLine(r)).join(''));
            header = true;
          })
          .catch(timedOut);
        if (!header) await push(csvLine((await w.queryTable?.(`SELECT * FROM (\n${text}\n) AS console_query LIMIT 0`))?.columns ?? []));
      }, signal),
    );
  } finally {
    await reader.close();
  }
}

function consoleText(sql: string): string {
  const text = sql.trim().replace(/;\s*$/, '');
  if (text === '') throw new UsageError('the query is empty', { hint: 'write a SELECT, e.g. select * from marts.dim_games limit 10' });
  return text;
}

/** The caller's signal joined to a deadline, and a rethrow that names the deadline when it fired. */
function deadline(timeoutMs: number, outer?: AbortSignal): { signal: AbortSignal; timedOut: (error: unknown) => never } {
  const timeout = AbortSignal.timeout(timeoutMs);
  return {
    signal: outer ? AbortSignal.any([outer, timeout]) : timeout,
    timedOut: (error: unknown): never => {
      if (error instanceof CanceledError && timeout.aborted) {
        throw new UsageError(`the query ran past the console's ${timeoutMs / 1000} s limit and was stopped`, { code: 'SQL_TIMEOUT', hint: 'narrow it (a WHERE, a LIMIT, a mart instead of staging), or run it with gmp query' });
      }
      throw error;
    },
  };
}

/** The one statement's kind as the engine parses it; refuses several statements and anything but a read. */
async function readKind(w: Warehouse, text: string): Promise<string> {
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
  return kinds[0]!;
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
