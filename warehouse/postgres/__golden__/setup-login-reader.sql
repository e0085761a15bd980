-- role gmp_reader: created if missing
DO $gmp$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'gmp_reader') THEN
    CREATE ROLE gmp_reader NOLOGIN;
  END IF;
END
$gmp$;

-- gmp_reader logs in with the configured password
ALTER ROLE gmp_reader WITH LOGIN PASSWORD '***';

-- gmp_reader's transactions are read-only
ALTER ROLE gmp_reader SET default_transaction_read_only = on;

-- gmp_reader's statements stop after 300 s
ALTER ROLE gmp_reader SET statement_timeout = '300s';

-- gmp_reader may connect to analytics
GRANT CONNECT ON DATABASE analytics TO gmp_reader;

-- gmp may connect to analytics, create schemas and temporary tables
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE analytics TO gmp;

-- schema raw, owned by gmp
CREATE SCHEMA IF NOT EXISTS raw AUTHORIZATION gmp;

-- gmp builds in raw even when another role owns it
GRANT USAGE, CREATE ON SCHEMA raw TO gmp;

-- schema staging, owned by gmp
CREATE SCHEMA IF NOT EXISTS staging AUTHORIZATION gmp;

-- gmp builds in staging even when another role owns it
GRANT USAGE, CREATE ON SCHEMA staging TO gmp;

-- schema marts, owned by gmp
CREATE SCHEMA IF NOT EXISTS marts AUTHORIZATION gmp;

-- gmp builds in marts even when another role owns it
GRANT USAGE, CREATE ON SCHEMA marts TO gmp;

-- gmp_reader sees schema marts
GRANT USAGE ON SCHEMA marts TO gmp_reader;

-- gmp_reader reads the tables and views already in marts
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO gmp_reader;

-- gmp_reader reads the tables and views gmp creates in marts later
ALTER DEFAULT PRIVILEGES FOR ROLE gmp IN SCHEMA marts GRANT SELECT ON TABLES TO gmp_reader;

-- gmp_reader sees schema staging
GRANT USAGE ON SCHEMA staging TO gmp_reader;

-- gmp_reader reads the tables and views already in staging
GRANT SELECT ON ALL TABLES IN SCHEMA staging TO gmp_reader;

-- gmp_reader reads the tables and views gmp creates in staging later
ALTER DEFAULT PRIVILEGES FOR ROLE gmp IN SCHEMA staging GRANT SELECT ON TABLES TO gmp_reader;
