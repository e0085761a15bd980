import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { expectGolden } from '../../tests/helpers/golden.js';
import { postgresSetupStatements, type PostgresSetupOptions, type PostgresSetupStatement } from './postgres-setup.js';

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), '__golden__');
const base: PostgresSetupOptions = {
  database: 'analytics',
  transformer: 'gmp',
  reader: 'gmp_reader',
  schemas: ['raw', 'staging', 'marts'],
  readerSchemas: ['marts', 'staging'],
  readerStatementTimeoutS: 300,
};
const printed = (statements: PostgresSetupStatement[]): string => statements.map((s) => `-- ${s.purpose}\n${s.printable};`).join('\n\n');

describe('Postgres warehouse setup (golden)', () => {
  it('creates a NOLOGIN reader, the schemas, and read-only grants (now and for tables built later)', () => {
    const statements = postgresSetupStatements(base);
    expectGolden(GOLDEN, 'setup-nologin-reader.sql', printed(statements));
    expect(statements.map((s) => s.printable)).toEqual(statements.map((s) => s.sql));
  });

  it('lets the reader log in with a password, which only the executed SQL holds', () => {
    const statements = postgresSetupStatements({ ...base, readerPassword: "pa'ss\\word" });
    expectGolden(GOLDEN, 'setup-login-reader.sql', printed(statements));
    const login = statements.find((s) => /PASSWORD/.test(s.sql))!;
    expect(login.sql).toBe("ALTER ROLE gmp_reader WITH LOGIN PASSWORD E'pa''ss\\\\word'");
    expect(login.printable).toBe("ALTER ROLE gmp_reader WITH LOGIN PASSWORD '***'");
    for (const s of statements) expect(`${s.printable}\n${s.purpose}`).not.toContain('ss\\');
  });

  it('quotes hostile names everywhere they appear', () => {
    const statements = postgresSetupStatements({
      database: 'Analytics',
      transformer: 'user',
      reader: 'bi"reader',
      schemas: ['Marts', 'select'],
      readerSchemas: ['Marts'],
      readerStatementTimeoutS: 60,
    });
    expectGolden(GOLDEN, 'setup-quoted-names.sql', printed(statements));
  });

  it('picks a dollar-quote tag the role name does not contain', () => {
    const [create] = postgresSetupStatements({ ...base, reader: 'r$gmp$' });
    expect(create!.sql).toMatch(/^DO \$gmp1\$\n[\s\S]*\n\$gmp1\$$/);
  });

  it('is made of statements that can run again: nothing is dropped or replaced, creates are guarded', () => {
    for (const { sql } of postgresSetupStatements({ ...base, readerPassword: 'x' })) {
      expect(sql).not.toMatch(/\b(DROP|REVOKE|REPLACE)\b/);
      if (/^CREATE/.test(sql)) expect(sql).toMatch(/^CREATE SCHEMA IF NOT EXISTS /);
    }
  });
});

describe('Postgres warehouse setup (refused options)', () => {
  const refuses = (changes: Partial<PostgresSetupOptions>, message: RegExp) =>
    expect(() => postgresSetupStatements({ ...base, ...changes })).toThrow(expect.objectContaining({ constructor: ConfigError, message: expect.stringMatching(message) }));

  it('refuses empty and over-long names, saying which', () => {
    refuses({ reader: '' }, /^Postgres role name is empty$/);
    refuses({ transformer: 't'.repeat(64) }, /role name "t{64}" is 64 bytes long; Postgres keeps at most 63/);
    refuses({ schemas: ['raw', ''], readerSchemas: [] }, /schema name is empty/);
    refuses({ database: 'd'.repeat(70) }, /database name .* 70 bytes/);
  });

  it('refuses names that would break the printed comment lines', () => {
    refuses({ reader: 'r\nDROP DATABASE x' }, /control character/);
  });

  it('refuses role names that mean something else to GRANT (PUBLIC is every role)', () => {
    refuses({ reader: 'public' }, /public is not a name Postgres allows/);
    refuses({ transformer: 'pg_monitor' }, /pg_monitor is not/);
    refuses({ reader: 'current_user' }, /current_user is not/);
  });

  it('refuses a reader that is the transformer, a reader schema gmp does not write, and a bad timeout', () => {
    refuses({ reader: 'gmp' }, /both gmp/);
    refuses({ readerSchemas: ['marts', 'public'] }, /does not write: public/);
    refuses({ readerStatementTimeoutS: 0 }, /positive whole number of seconds, not 0/);
    refuses({ readerStatementTimeoutS: 1.5 }, /not 1.5/);
  });
});
