-- role bi"reader: created if missing
DO $gmp$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'bi"reader') THEN
    CREATE ROLE "bi""reader" NOLOGIN;
  END IF;
END
$gmp$;

-- bi"reader's transactions are read-only
ALTER ROLE "bi""reader" SET default_transaction_read_only = on;

-- bi"reader's statements stop after 60 s
ALTER ROLE "bi""reader" SET statement_timeout = '60s';

-- bi"reader may connect to Analytics
GRANT CONNECT ON DATABASE "Analytics" TO "bi""reader";

-- user may connect to Analytics, create schemas and temporary tables
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE "Analytics" TO "user";

-- schema Marts, owned by user
CREATE SCHEMA IF NOT EXISTS "Marts" AUTHORIZATION "user";

-- user builds in Marts even when another role owns it
GRANT USAGE, CREATE ON SCHEMA "Marts" TO "user";

-- schema select, owned by user
CREATE SCHEMA IF NOT EXISTS "select" AUTHORIZATION "user";

-- user builds in select even when another role owns it
GRANT USAGE, CREATE ON SCHEMA "select" TO "user";

-- bi"reader sees schema Marts
GRANT USAGE ON SCHEMA "Marts" TO "bi""reader";

-- bi"reader reads the tables and views already in Marts
GRANT SELECT ON ALL TABLES IN SCHEMA "Marts" TO "bi""reader";

-- bi"reader reads the tables and views user creates in Marts later
ALTER DEFAULT PRIVILEGES FOR ROLE "user" IN SCHEMA "Marts" GRANT SELECT ON TABLES TO "bi""reader";
