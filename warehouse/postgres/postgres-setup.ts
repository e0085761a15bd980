import { ConfigError } from '../../core/index.js';
import { assertIdentifier, quoteIdent, quoteLiteral } from './postgres-identifiers.js';

export interface PostgresSetupOptions {
  /** The warehouse database. */
  database: string;
  /** The role gmp builds as: it owns the schemas it creates and every table it builds. */
  transformer: string;
  /** The read-only role BI tools connect as (or are granted), e.g. 'gmp_reader'. */
  reader: string;
  /**
   * When set, the reader can log in with it; otherwise a new reader is NOLOGIN, a group to grant
   * to login roles. A SCRAM verifier ('SCRAM-SHA-256$…') is stored as it is, so the password
   * itself never reaches the server's statement log.
   */
  readerPassword?: string;
  /** The schemas gmp writes, e.g. ['raw', 'staging', 'marts']. */
  schemas: readonly string[];
  /** The schemas the reader may read, among `schemas`, e.g. ['marts', 'staging']. */
  readerSchemas: readonly string[];
  /** Longest statement a reader's session may run, in seconds (a positive integer). */
  readerStatementTimeoutS: number;
}

export interface PostgresSetupStatement {
  sql: string;
  /** The same with any password as '***': what --print shows. */
  printable: string;
  purpose: string;
}

const MASK = "'***'";
const SPECIAL_ROLES = new Set(['public', 'none', 'current_role', 'current_user', 'session_user']);
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The statements that give the transformer its schemas and the reader read-only access to
 * `readerSchemas`, in order (pure; no connection). Every statement is idempotent, so setup can run
 * again after a change. They need a superuser (or a role with CREATEROLE that is the database's
 * owner and a member of the transformer). Throws a ConfigError for a name Postgres would not keep
 * as written, a reader that is the transformer, a reader schema gmp does not write, or a timeout
 * that is not a positive whole number of seconds.
 */
export function postgresSetupStatements(o: PostgresSetupOptions): PostgresSetupStatement[] {
  validate(o);
  const reader = quoteIdent(o.reader);
  const transformer = quoteIdent(o.transformer);
  const database = quoteIdent(o.database);
  const out: PostgresSetupStatement[] = [];
  const add = (purpose: string, sql: string, printable = sql) => out.push({ purpose, sql, printable });

  // CREATE ROLE has no IF NOT EXISTS; a new reader is NOLOGIN, and an existing one keeps whatever
  // LOGIN an administrator gave it unless a password is configured here.
  add(
    `role ${o.reader}: created if missing`,
    doBlock(`IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ${quoteLiteral(o.reader)}) THEN\n    CREATE ROLE ${reader} NOLOGIN;\n  END IF;`),
  );
  if (o.readerPassword !== undefined) {
    const set = (password: string) => `ALTER ROLE ${reader} WITH LOGIN PASSWORD ${password}`;
    add(`${o.reader} logs in with the configured password`, set(quoteLiteral(o.readerPassword)), set(MASK));
  }
  // A session default, not a wall: the grants below are what keeps the reader from writing.
  add(`${o.reader}'s transactions are read-only`, `ALTER ROLE ${reader} SET default_transaction_read_only = on`);
  add(
    `${o.reader}'s statements stop after ${o.readerStatementTimeoutS} s`,
    `ALTER ROLE ${reader} SET statement_timeout = ${quoteLiteral(`${o.readerStatementTimeoutS}s`)}`,
  );
  add(`${o.reader} may connect to ${o.database}`, `GRANT CONNECT ON DATABASE ${database} TO ${reader}`);
  add(`${o.transformer} may connect to ${o.database}, create schemas and temporary tables`, `GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${database} TO ${transformer}`);

  for (const name of o.schemas) {
    const schema = quoteIdent(name);
    add(`schema ${name}, owned by ${o.transformer}`, `CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${transformer}`);
    add(`${o.transformer} builds in ${name} even when another role owns it`, `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${transformer}`);
  }
  for (const name of o.readerSchemas) {
    const schema = quoteIdent(name);
    add(`${o.reader} sees schema ${name}`, `GRANT USAGE ON SCHEMA ${schema} TO ${reader}`);
    add(`${o.reader} reads the tables and views already in ${name}`, `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${reader}`);
    add(
      `${o.reader} reads the tables and views ${o.transformer} creates in ${name} later`,
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${transformer} IN SCHEMA ${schema} GRANT SELECT ON TABLES TO ${reader}`,
    );
  }
  return out;
}

function validate(o: PostgresSetupOptions): void {
  assertIdentifier(o.database, 'database name');
  assertIdentifier(o.transformer, 'role name');
  assertIdentifier(o.reader, 'role name');
  for (const schema of [...o.schemas, ...o.readerSchemas]) assertIdentifier(schema, 'schema name');
  // The names also appear in the purposes, printed as `-- …` comment lines: a line break would end one.
  const odd = [o.database, o.transformer, o.reader, ...o.schemas].find((name) => CONTROL.test(name));
  if (odd !== undefined) throw new ConfigError(`the name ${JSON.stringify(odd)} contains a control character`);
  for (const role of [o.transformer, o.reader]) {
    // `TO public` grants to every role, quoted or not; Postgres refuses to create the others.
    if (SPECIAL_ROLES.has(role) || role.startsWith('pg_')) throw new ConfigError(`${role} is not a name Postgres allows for a role gmp grants to`, { hint: 'choose another role name (gmp_reader by default)' });
  }
  if (o.reader === o.transformer) {
    throw new ConfigError(`the read-only role and the role gmp builds as are both ${o.reader}`, {
      hint: 'give BI tools their own role (gmp_reader by default)',
    });
  }
  const unknown = o.readerSchemas.filter((s) => !o.schemas.includes(s));
  if (unknown.length > 0) {
    throw new ConfigError(`the reader is given schemas gmp does not write: ${unknown.join(', ')}`, {
      hint: `choose among ${o.schemas.join(', ')}`,
    });
  }
  if (!Number.isInteger(o.readerStatementTimeoutS) || o.readerStatementTimeoutS <= 0) {
    throw new ConfigError(`the reader's statement timeout must be a positive whole number of seconds, not ${o.readerStatementTimeoutS}`);
  }
}

/** A DO block whose dollar-quote tag appears nowhere in its body, whatever names the body holds. */
function doBlock(body: string): string {
  let tag = '$gmp$';
  for (let n = 1; body.includes(tag); n++) tag = `$gmp${n}$`;
  return `DO ${tag}\nBEGIN\n  ${body}\nEND\n${tag}`;
}
