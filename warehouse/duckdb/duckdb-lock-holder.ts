import type { WarehouseHolder } from '../warehouse.js';

// DuckDB names the holder of a file lock (F_GETLK on POSIX) in its open error, e.g.
//   IO Error: Could not set lock on file "/x/warehouse.duckdb": Conflicting lock is held in
//   /usr/bin/node (PID 9538). See also https://duckdb.org/docs/stable/connect/concurrency
// with ` by user NAME` after the PID where it can read the user, and on Windows
//   … File is already open in \n C:\…\python.exe (PID 1234)
const HOLDER = /(?:held|open) in\s+(?:(\S.*?)\s+)?\(PID (\d+)\)(?: by user (\S+?))?\.?(?=\s|$)/;

/**
 * The process DuckDB's lock error names (program path, PID, user when given); undefined when the
 * message names none, or names PID 0 (a holder outside this PID namespace).
 */
export function parseDuckDbLockHolder(message: string): WarehouseHolder | undefined {
  const match = HOLDER.exec(message);
  if (!match) return undefined;
  const pid = Number(match[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return {
    pid,
    ...(match[1] ? { program: match[1] } : {}),
    ...(match[3] ? { user: match[3] } : {}),
  };
}

/** `/usr/bin/node (pid 9538)`, `pid 9538`, or `another process` for people. */
export function describeWarehouseHolder(holder: WarehouseHolder | undefined): string {
  if (holder === undefined) return 'another process';
  return holder.program ? `${holder.program} (pid ${holder.pid})` : `pid ${holder.pid}`;
}
