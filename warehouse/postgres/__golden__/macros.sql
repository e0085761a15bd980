-- json_text
select (r.value #>> '{esrb_rating,slug}');

-- json_get
select (value #> '{platform}');

-- json_int
select (CASE WHEN (value #>> '{id}') ~ E'^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$' THEN CASE WHEN abs(CAST((value #>> '{id}') AS numeric)) < 9223372036854775807.5 THEN CAST(CAST((value #>> '{id}') AS numeric) AS bigint) END END);

-- json_float
select (CASE WHEN (value #>> '{rating}') ~ E'^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$' THEN CASE WHEN (CAST((value #>> '{rating}') AS numeric) = 0 OR abs(CAST((value #>> '{rating}') AS numeric)) BETWEEN 2.2250738585072014e-308 AND 1.7976931348623157e308) THEN CAST((value #>> '{rating}') AS double precision) END END);

-- json_bool
select (CASE WHEN lower(btrim((value #>> '{tba}'))) IN ('true', 't', 'yes', 'y', 'on', '1') THEN true WHEN lower(btrim((value #>> '{tba}'))) IN ('false', 'f', 'no', 'n', 'off', '0') THEN false END);

-- json_date
select (CASE WHEN (value #>> '{released}') ~ E'^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$' THEN CASE WHEN CAST(substr((value #>> '{released}'), 1, 4) AS integer) > 0 AND CAST(substr((value #>> '{released}'), 9, 2) AS integer) <= CASE WHEN CAST(substr((value #>> '{released}'), 6, 2) AS integer) = 2 THEN CASE WHEN (CAST(substr((value #>> '{released}'), 1, 4) AS integer) % 4 = 0 AND (CAST(substr((value #>> '{released}'), 1, 4) AS integer) % 100 <> 0 OR CAST(substr((value #>> '{released}'), 1, 4) AS integer) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr((value #>> '{released}'), 6, 2) AS integer) IN (4, 6, 9, 11) THEN 30 ELSE 31 END THEN CAST(substr((value #>> '{released}'), 1, 10) AS date) END END);

-- json_timestamp
select (CASE WHEN (value #>> '{updated}') ~ E'^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$' THEN CASE WHEN CAST(substr((value #>> '{updated}'), 1, 4) AS integer) > 0 AND CAST(substr((value #>> '{updated}'), 9, 2) AS integer) <= CASE WHEN CAST(substr((value #>> '{updated}'), 6, 2) AS integer) = 2 THEN CASE WHEN (CAST(substr((value #>> '{updated}'), 1, 4) AS integer) % 4 = 0 AND (CAST(substr((value #>> '{updated}'), 1, 4) AS integer) % 100 <> 0 OR CAST(substr((value #>> '{updated}'), 1, 4) AS integer) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr((value #>> '{updated}'), 6, 2) AS integer) IN (4, 6, 9, 11) THEN 30 ELSE 31 END THEN (CAST((value #>> '{updated}') AS timestamptz) AT TIME ZONE 'UTC') END END);

-- flatten
select x.value from staging.stg_rawg__games as g
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof((g.record #> '{genres}')) = 'array' THEN (g.record #> '{genres}') ELSE '[]'::jsonb END) AS x(value);

-- json_record
select r.value;

-- record_text
select (rec #>> '{esrb_rating,slug}');

-- record_int
select (CASE WHEN (rec #>> '{id}') ~ E'^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$' THEN CASE WHEN abs(CAST((rec #>> '{id}') AS numeric)) < 9223372036854775807.5 THEN CAST(CAST((rec #>> '{id}') AS numeric) AS bigint) END END);

-- record_float
select (CASE WHEN (rec #>> '{rating}') ~ E'^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$' THEN CASE WHEN (CAST((rec #>> '{rating}') AS numeric) = 0 OR abs(CAST((rec #>> '{rating}') AS numeric)) BETWEEN 2.2250738585072014e-308 AND 1.7976931348623157e308) THEN CAST((rec #>> '{rating}') AS double precision) END END);

-- record_bool
select (CASE WHEN lower(btrim((rec #>> '{tba}'))) IN ('true', 't', 'yes', 'y', 'on', '1') THEN true WHEN lower(btrim((rec #>> '{tba}'))) IN ('false', 'f', 'no', 'n', 'off', '0') THEN false END);

-- record_date
select (CASE WHEN (rec #>> '{released}') ~ E'^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$' THEN CASE WHEN CAST(substr((rec #>> '{released}'), 1, 4) AS integer) > 0 AND CAST(substr((rec #>> '{released}'), 9, 2) AS integer) <= CASE WHEN CAST(substr((rec #>> '{released}'), 6, 2) AS integer) = 2 THEN CASE WHEN (CAST(substr((rec #>> '{released}'), 1, 4) AS integer) % 4 = 0 AND (CAST(substr((rec #>> '{released}'), 1, 4) AS integer) % 100 <> 0 OR CAST(substr((rec #>> '{released}'), 1, 4) AS integer) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr((rec #>> '{released}'), 6, 2) AS integer) IN (4, 6, 9, 11) THEN 30 ELSE 31 END THEN CAST(substr((rec #>> '{released}'), 1, 10) AS date) END END);

-- record_timestamp
select (CASE WHEN (rec #>> '{updated}') ~ E'^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?$' THEN CASE WHEN CAST(substr((rec #>> '{updated}'), 1, 4) AS integer) > 0 AND CAST(substr((rec #>> '{updated}'), 9, 2) AS integer) <= CASE WHEN CAST(substr((rec #>> '{updated}'), 6, 2) AS integer) = 2 THEN CASE WHEN (CAST(substr((rec #>> '{updated}'), 1, 4) AS integer) % 4 = 0 AND (CAST(substr((rec #>> '{updated}'), 1, 4) AS integer) % 100 <> 0 OR CAST(substr((rec #>> '{updated}'), 1, 4) AS integer) % 400 = 0)) THEN 29 ELSE 28 END WHEN CAST(substr((rec #>> '{updated}'), 6, 2) AS integer) IN (4, 6, 9, 11) THEN 30 ELSE 31 END THEN (CAST((rec #>> '{updated}') AS timestamptz) AT TIME ZONE 'UTC') END END);

-- record_list
select (rec #> '{platforms}');

-- record_flatten
select x.value from staging.stg_rawg__games_daily as d
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(d.platforms) = 'array' THEN d.platforms ELSE '[]'::jsonb END) AS x(value);

-- date_spine
select d.date_day from bounds as b
CROSS JOIN LATERAL (SELECT CAST(spine_day AS date) AS date_day FROM generate_series(CAST(CAST(b.first_day AS date) AS timestamp), CAST(CAST(b.last_day AS date) AS timestamp), interval '1 day') AS spine(spine_day)) AS d;

-- listagg
select string_agg(name, ', ' ORDER BY name);

-- iso_day_of_week
select CAST(extract(isodow FROM date_day) AS bigint);

-- iso_week
select CAST(extract(week FROM date_day) AS bigint);

-- round_float
select (sign(CAST(avg(rating) AS double precision)) * floor(abs(CAST(avg(rating) AS double precision)) * power(10, 2) + 0.5) / power(10, 2));
