import type { Command } from 'commander';
import { interruptSignal } from './context.js';

export function registerWarehouse(program: Command): void {
  const warehouse = program.command('warehouse').description('prepare the configured warehouse (GMP_WAREHOUSE_URL)');
  warehouse
    .command('setup')
    .description('create or update everything the pipeline needs in the configured warehouse (idempotent)')
    .option('--print', 'print the SQL instead of running it (no connection; credentials not needed)')
    .addHelpText(
      'after',
      `
DuckDB: creates the schemas raw, staging, marts and checks (raw views are rebuilt over the
committed lake files after every ingestion commit).
Snowflake: the schemas; the storage integration (only when SNOWFLAKE_STORAGE_AWS_ROLE_ARN is
set; needs ACCOUNTADMIN or CREATE INTEGRATION); the JSON file format and the stage over
GMP_LAKE_URL; per raw entity an external table (files registered by gmp, never REFRESHed) and
the view raw.<source>_<entity> over its committed runs.
Postgres (run it as an admin: a superuser, or the database owner with CREATEROLE): the schemas,
owned by the URL's user (the transformer); the read-only BI role GMP_WAREHOUSE_READER
(gmp_reader; a login role only when GMP_WAREHOUSE_READER_PASSWORD is set) with
default_transaction_read_only, a statement_timeout, USAGE and SELECT on staging and marts, and
default privileges so the tables gmp builds later are readable too. Raw tables are loaded from
the committed lake files by COPY after every ingestion commit.
Every statement is safe to run again; none drops data. Passwords and keys are never printed.

Examples:
  gmp warehouse setup --print > setup.sql    # review, or hand to an admin
  gmp warehouse setup                        # run it with SNOWFLAKE_USER's role
  GMP_WAREHOUSE_URL=postgres://admin@db.internal:5432/analytics gmp warehouse setup
  GMP_WAREHOUSE_URL=snowflake://xy12345.eu-west-1/GAME_MARKET?warehouse=TRANSFORMING \\
    GMP_LAKE_URL=s3://my-lake/prod gmp warehouse setup --print`,
    )
    .action(async (opts: { print?: boolean }) => {
      const { planWarehouseSetup, runWarehouseSetup } = await import('../../app/index.js');
      const plan = planWarehouseSetup({ env: process.env, cwd: process.cwd(), requireCredentials: !opts.print });
      if (opts.print) {
        const header = [`-- gmp warehouse setup for ${plan.target}`, ...plan.notes.map((n) => `-- ${n}`)].join('\n');
        const body = [...plan.preamble.map((sql) => `${sql};`), ...plan.statements.map((s) => `-- ${s.purpose}\n${s.printable ?? s.sql};`)];
        process.stdout.write(`${[header, ...body].join('\n\n')}\n`);
        return;
      }
      process.stderr.write(`setting up ${plan.target} (${plan.statements.length} statements)\n`);
      const outcome = await runWarehouseSetup(plan, {
        signal: interruptSignal(),
        onStatement: (s) => process.stdout.write(`ok  ${s.purpose}\n`),
      });
      for (const note of plan.notes) process.stdout.write(`note: ${note}\n`);
      if (outcome.lakeAccess) {
        process.stdout.write(
          `\nLet Snowflake assume the IAM role: its trust policy must allow\n` +
            `  principal   ${outcome.lakeAccess.iamUserArn}\n  external id ${outcome.lakeAccess.externalId}\n`,
        );
      }
    });
}
