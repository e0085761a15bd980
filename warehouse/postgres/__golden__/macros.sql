-- json_text
select (r.value #>> '{esrb_rating,slug}');

-- json_get
select (value #> '{platform}');

-- json_int
select (CASE WHEN (value #>> '{id}') ~ E'^\\s*[-+]?[0-9]{1,18}\\s*$' THEN CAST((value #>> '{id}') AS bigint) END);

-- json_float
select (CASE WHEN (value #>> '{rating}') ~ E'^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\s*$' THEN CAST((value #>> '{rating}') AS double precision) END);

-- json_bool
select (CASE WHEN lower(btrim((value #>> '{tba}'))) IN ('true', 't', 'yes', 'y', 'on', '1') THEN true WHEN lower(btrim((value #>> '{tba}'))) IN ('false', 'f', 'no', 'n', 'off', '0') THEN false END);

-- json_date
select (CASE WHEN (value #>> '{released}') ~ E'^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN CAST((value #>> '{released}') AS date) END);

-- json_timestamp
select (CASE WHEN (value #>> '{updated}') ~ E'^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$' THEN (CAST((value #>> '{updated}') AS timestamptz) AT TIME ZONE 'UTC') END);

-- flatten
select x.value from staging.stg_rawg__games as g
CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof((g.record #> '{genres}')) = 'array' THEN (g.record #> '{genres}') ELSE '[]'::jsonb END) AS x(value);

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
