-- createSchema (existence first, concurrent creators waited for)
DO $gmp_schema$ BEGIN IF to_regnamespace('marts') IS NULL THEN BEGIN CREATE SCHEMA marts; EXCEPTION WHEN duplicate_schema OR unique_violation THEN NULL; END; END IF; END $gmp_schema$;

-- replaceRelation view
SELECT pg_advisory_xact_lock(hashtext('gmp:staging.stg_rawg__games'));
DO $gmp_leftover$ DECLARE leftover regclass := to_regclass('staging.stg_rawg__games__gmp_next'); BEGIN IF leftover IS NOT NULL THEN EXECUTE format('DROP %s %s', CASE (SELECT relkind FROM pg_class WHERE oid = leftover) WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, leftover); END IF; END $gmp_leftover$;
CREATE VIEW staging.stg_rawg__games__gmp_next AS
select * from raw.rawg_games;
DO $gmp_swap$
DECLARE
  live_rel regclass := to_regclass('staging.stg_rawg__games');
  next_rel regclass := to_regclass('staging.stg_rawg__games__gmp_next');
  old_kind "char";
  next_kind "char";
  foreign_views text;
  same_columns boolean;
  saved_timeout text := current_setting('lock_timeout');
  view_defs text[];
  grant_stmts text[];
  stmt text;
  attempt integer := 0;
BEGIN
  IF next_rel IS NULL THEN
    RAISE EXCEPTION 'the new version of % is gone: another build of it replaced this one', 'staging.stg_rawg__games'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'run the model again';
  END IF;
  IF live_rel IS NULL THEN
    EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, 'stg_rawg__games');
    RETURN;
  END IF;
  SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.oid::regclass::text) INTO foreign_views
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid = live_rel AND r.ev_class <> live_rel) AS v
    JOIN pg_class c ON c.oid = v.oid
    WHERE NOT (pg_has_role(c.relowner, 'USAGE') AND has_schema_privilege(c.relnamespace, 'CREATE'));
  IF foreign_views IS NOT NULL THEN
    SELECT relkind INTO old_kind FROM pg_class WHERE oid = live_rel;
    SELECT relkind INTO next_kind FROM pg_class WHERE oid = next_rel;
    SELECT (SELECT array_agg(format('%I %s', attname, format_type(atttypid, atttypmod)) ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = live_rel AND attnum > 0 AND NOT attisdropped)
           IS NOT DISTINCT FROM
           (SELECT array_agg(format('%I %s', attname, format_type(atttypid, atttypmod)) ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = next_rel AND attnum > 0 AND NOT attisdropped)
      INTO same_columns;
    IF same_columns AND old_kind = 'r' AND next_kind = 'r' THEN
      EXECUTE format('DELETE FROM %s', live_rel);
      EXECUTE format('INSERT INTO %s SELECT * FROM %s', live_rel, next_rel);
      EXECUTE format('DROP TABLE %s', next_rel);
      EXECUTE format('ANALYZE %s', live_rel);
      RETURN;
    ELSIF same_columns AND old_kind = 'v' AND next_kind = 'v' THEN
      EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', live_rel, pg_get_viewdef(next_rel));
      EXECUTE format('DROP VIEW %s', next_rel);
      RETURN;
    END IF;
    RAISE EXCEPTION 'the new % of % has other columns, and views of other users depend on it: %', CASE next_kind WHEN 'v' THEN 'view' ELSE 'table' END, live_rel, foreign_views
      USING ERRCODE = 'dependent_objects_still_exist', HINT = 'nothing was changed; ask the owners of those views to drop them (or re-create them after this build), then run the model again';
  END IF;
  PERFORM set_config('lock_timeout', '100ms', true);
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE%s', live_rel, CASE WHEN attempt < 100 THEN ' NOWAIT' ELSE '' END);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt >= 700 THEN
        RAISE EXCEPTION 'readers held % for too long: the new version was not swapped in', live_rel
          USING ERRCODE = 'lock_not_available', HINT = 'find the long query in pg_stat_activity, then run the model again';
      END IF;
      PERFORM pg_sleep(CASE WHEN attempt < 100 THEN least(0.005 * attempt, 0.1) ELSE least(0.02 * (attempt - 100), 1.0) END);
    END;
  END LOOP;
  PERFORM set_config('lock_timeout', saved_timeout, true);
  SELECT relkind INTO old_kind FROM pg_class WHERE oid = live_rel;
  SELECT coalesce(array_agg(format('CREATE OR REPLACE VIEW %s AS %s', v.oid::regclass, pg_get_viewdef(v.oid))), '{}')
    INTO view_defs
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid = live_rel AND r.ev_class <> live_rel) AS v;
  SELECT coalesce(array_agg(format('GRANT %s ON %s TO %s', a.privilege_type, next_rel,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END)), '{}')
    INTO grant_stmts
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a LEFT JOIN pg_roles g ON g.oid = a.grantee
    WHERE c.oid = live_rel AND a.grantee <> c.relowner;
  FOREACH stmt IN ARRAY grant_stmts LOOP EXECUTE stmt; END LOOP;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', live_rel, 'stg_rawg__games__gmp_old');
  EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, 'stg_rawg__games');
  FOREACH stmt IN ARRAY view_defs LOOP EXECUTE stmt; END LOOP;
  EXECUTE format('DROP %s %s', CASE old_kind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, live_rel);
END
$gmp_swap$;

-- replaceRelation table (built beside, analyzed, swapped with lock_timeout and retries)
SELECT pg_advisory_lock(hashtext('gmp:marts.dim_games'));
DO $gmp_leftover$ DECLARE leftover regclass := to_regclass('marts.dim_games__gmp_next'); BEGIN IF leftover IS NOT NULL THEN EXECUTE format('DROP %s %s', CASE (SELECT relkind FROM pg_class WHERE oid = leftover) WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, leftover); END IF; END $gmp_leftover$;
CREATE TABLE marts.dim_games__gmp_next AS
select 1 as game_id;
ANALYZE marts.dim_games__gmp_next;
COMMIT;
BEGIN;
DO $gmp_swap$
DECLARE
  live_rel regclass := to_regclass('marts.dim_games');
  next_rel regclass := to_regclass('marts.dim_games__gmp_next');
  old_kind "char";
  next_kind "char";
  foreign_views text;
  same_columns boolean;
  saved_timeout text := current_setting('lock_timeout');
  view_defs text[];
  grant_stmts text[];
  stmt text;
  attempt integer := 0;
BEGIN
  IF next_rel IS NULL THEN
    RAISE EXCEPTION 'the new version of % is gone: another build of it replaced this one', 'marts.dim_games'
      USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'run the model again';
  END IF;
  IF live_rel IS NULL THEN
    EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, 'dim_games');
    RETURN;
  END IF;
  SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.oid::regclass::text) INTO foreign_views
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid = live_rel AND r.ev_class <> live_rel) AS v
    JOIN pg_class c ON c.oid = v.oid
    WHERE NOT (pg_has_role(c.relowner, 'USAGE') AND has_schema_privilege(c.relnamespace, 'CREATE'));
  IF foreign_views IS NOT NULL THEN
    SELECT relkind INTO old_kind FROM pg_class WHERE oid = live_rel;
    SELECT relkind INTO next_kind FROM pg_class WHERE oid = next_rel;
    SELECT (SELECT array_agg(format('%I %s', attname, format_type(atttypid, atttypmod)) ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = live_rel AND attnum > 0 AND NOT attisdropped)
           IS NOT DISTINCT FROM
           (SELECT array_agg(format('%I %s', attname, format_type(atttypid, atttypmod)) ORDER BY attnum)
              FROM pg_attribute WHERE attrelid = next_rel AND attnum > 0 AND NOT attisdropped)
      INTO same_columns;
    IF same_columns AND old_kind = 'r' AND next_kind = 'r' THEN
      EXECUTE format('DELETE FROM %s', live_rel);
      EXECUTE format('INSERT INTO %s SELECT * FROM %s', live_rel, next_rel);
      EXECUTE format('DROP TABLE %s', next_rel);
      EXECUTE format('ANALYZE %s', live_rel);
      RETURN;
    ELSIF same_columns AND old_kind = 'v' AND next_kind = 'v' THEN
      EXECUTE format('CREATE OR REPLACE VIEW %s AS %s', live_rel, pg_get_viewdef(next_rel));
      EXECUTE format('DROP VIEW %s', next_rel);
      RETURN;
    END IF;
    RAISE EXCEPTION 'the new % of % has other columns, and views of other users depend on it: %', CASE next_kind WHEN 'v' THEN 'view' ELSE 'table' END, live_rel, foreign_views
      USING ERRCODE = 'dependent_objects_still_exist', HINT = 'nothing was changed; ask the owners of those views to drop them (or re-create them after this build), then run the model again';
  END IF;
  PERFORM set_config('lock_timeout', '100ms', true);
  LOOP
    BEGIN
      EXECUTE format('LOCK TABLE %s IN ACCESS EXCLUSIVE MODE%s', live_rel, CASE WHEN attempt < 100 THEN ' NOWAIT' ELSE '' END);
      EXIT;
    EXCEPTION WHEN lock_not_available THEN
      attempt := attempt + 1;
      IF attempt >= 700 THEN
        RAISE EXCEPTION 'readers held % for too long: the new version was not swapped in', live_rel
          USING ERRCODE = 'lock_not_available', HINT = 'find the long query in pg_stat_activity, then run the model again';
      END IF;
      PERFORM pg_sleep(CASE WHEN attempt < 100 THEN least(0.005 * attempt, 0.1) ELSE least(0.02 * (attempt - 100), 1.0) END);
    END;
  END LOOP;
  PERFORM set_config('lock_timeout', saved_timeout, true);
  SELECT relkind INTO old_kind FROM pg_class WHERE oid = live_rel;
  SELECT coalesce(array_agg(format('CREATE OR REPLACE VIEW %s AS %s', v.oid::regclass, pg_get_viewdef(v.oid))), '{}')
    INTO view_defs
    FROM (SELECT DISTINCT r.ev_class AS oid FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
          WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
            AND d.refobjid = live_rel AND r.ev_class <> live_rel) AS v;
  SELECT coalesce(array_agg(format('GRANT %s ON %s TO %s', a.privilege_type, next_rel,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(g.rolname) END)), '{}')
    INTO grant_stmts
    FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a LEFT JOIN pg_roles g ON g.oid = a.grantee
    WHERE c.oid = live_rel AND a.grantee <> c.relowner;
  FOREACH stmt IN ARRAY grant_stmts LOOP EXECUTE stmt; END LOOP;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', live_rel, 'dim_games__gmp_old');
  EXECUTE format('ALTER TABLE %s RENAME TO %I', next_rel, 'dim_games');
  FOREACH stmt IN ARRAY view_defs LOOP EXECUTE stmt; END LOOP;
  EXECUTE format('DROP %s %s', CASE old_kind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, live_rel);
END
$gmp_swap$;
COMMIT;
SELECT pg_advisory_unlock(hashtext('gmp:marts.dim_games'));
BEGIN;

-- replacePartition one day
SELECT pg_advisory_xact_lock(hashtext('gmp:marts.fct_game_daily_snapshot'));
CREATE TABLE IF NOT EXISTS marts.fct_game_daily_snapshot AS SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE false;
DELETE FROM marts.fct_game_daily_snapshot WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01';
CREATE TEMP TABLE gmp_partition__marts_fct_game_daily_snapshot ON COMMIT DROP AS SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE dt BETWEEN DATE '2024-05-01' AND DATE '2024-05-01';
DO $gmp_insert$
DECLARE
  columns text;
BEGIN
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute WHERE attrelid = to_regclass('gmp_partition__marts_fct_game_daily_snapshot') AND attnum > 0 AND NOT attisdropped;
  EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s', 'marts.fct_game_daily_snapshot', columns, columns, 'gmp_partition__marts_fct_game_daily_snapshot');
END
$gmp_insert$;

-- replacePartition hours
SELECT pg_advisory_xact_lock(hashtext('gmp:marts.mart_events_hourly'));
CREATE TABLE IF NOT EXISTS marts.mart_events_hourly AS SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE false;
DELETE FROM marts.mart_events_hourly WHERE event_hour >= TIMESTAMP '2024-05-01 05:00:00' AND event_hour < TIMESTAMP '2024-05-01 07:00:00';
CREATE TEMP TABLE gmp_partition__marts_mart_events_hourly ON COMMIT DROP AS SELECT * FROM (
select dt, game_id, rating from staging.stg_rawg__games_daily
) AS model WHERE event_hour >= TIMESTAMP '2024-05-01 05:00:00' AND event_hour < TIMESTAMP '2024-05-01 07:00:00';
DO $gmp_insert$
DECLARE
  columns text;
BEGIN
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute WHERE attrelid = to_regclass('gmp_partition__marts_mart_events_hourly') AND attnum > 0 AND NOT attisdropped;
  EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s', 'marts.mart_events_hourly', columns, columns, 'gmp_partition__marts_mart_events_hourly');
END
$gmp_insert$;

-- mergeOnKey composite key
SELECT pg_advisory_xact_lock(hashtext('gmp:marts.daily_scores'));
CREATE TEMP TABLE gmp_merge__marts_daily_scores ON COMMIT DROP AS
select dt, game_id, score from staging.scores;
DELETE FROM marts.daily_scores USING gmp_merge__marts_daily_scores WHERE marts.daily_scores.dt = gmp_merge__marts_daily_scores.dt AND marts.daily_scores.game_id = gmp_merge__marts_daily_scores.game_id;
DO $gmp_insert$
DECLARE
  columns text;
BEGIN
  SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO columns
    FROM pg_attribute WHERE attrelid = to_regclass('gmp_merge__marts_daily_scores') AND attnum > 0 AND NOT attisdropped;
  EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s', 'marts.daily_scores', columns, columns, 'gmp_merge__marts_daily_scores');
END
$gmp_insert$;
