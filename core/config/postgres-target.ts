import { userInfo } from 'node:os';

/** Where a postgres:// URL points, with what it leaves out taken from the libpq variables, as `pg` does. */
export interface PostgresTarget {
  user: string;
  database: string;
  host: string;
  port: string;
  /** `postgres://user@host:port/database`: never a password. */
  where: string;
}

export function postgresTarget(url: string, env: NodeJS.ProcessEnv = process.env): PostgresTarget {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const user = decodeURIComponent(parsed?.username ?? '') || env.PGUSER || userInfo().username;
  const database = decodeURIComponent(parsed?.pathname.replace(/^\//, '') ?? '') || env.PGDATABASE || user;
  const host = parsed?.hostname || env.PGHOST || 'localhost';
  const port = parsed?.port || env.PGPORT || '5432';
  return { user, database, host, port, where: `postgres://${user}@${host}:${port}/${database}` };
}
