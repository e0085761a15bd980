-- json_text
select r.value:esrb_rating.slug::string;

-- json_get
select value:platform;

-- json_int
select TRY_CAST(value:id::string AS NUMBER);

-- json_float
select TRY_CAST(value:rating::string AS DOUBLE);

-- json_bool
select TRY_CAST(value:tba::string AS BOOLEAN);

-- json_date
select TRY_CAST(value:released::string AS DATE);

-- json_timestamp
select (CASE WHEN REGEXP_LIKE(value:updated::string, '.*[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?\\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)') THEN CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(value:updated::string))::TIMESTAMP_NTZ ELSE TRY_CAST(value:updated::string AS TIMESTAMP_NTZ) END);

-- json_int over an expression (GET_PATH)
select TRY_CAST(GET_PATH(parse_json(r.raw), 'platform.id')::string AS NUMBER);

-- json_text with a reserved key
select x.value:"order"::string;

-- flatten
select x.value from staging.stg_rawg__games as g
, LATERAL FLATTEN(input => AS_ARRAY(g.record:genres), OUTER => FALSE) AS x;

-- json_record
select r.value;

-- record_text
select rec:esrb_rating.slug::string;

-- record_int
select TRY_CAST(rec:id::string AS NUMBER);

-- record_float
select TRY_CAST(rec:rating::string AS DOUBLE);

-- record_bool
select TRY_CAST(rec:tba::string AS BOOLEAN);

-- record_date
select TRY_CAST(rec:released::string AS DATE);

-- record_timestamp
select (CASE WHEN REGEXP_LIKE(rec:updated::string, '.*[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?\\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)') THEN CONVERT_TIMEZONE('UTC', TRY_TO_TIMESTAMP_TZ(rec:updated::string))::TIMESTAMP_NTZ ELSE TRY_CAST(rec:updated::string AS TIMESTAMP_NTZ) END);

-- record_list
select rec:platforms;

-- record_flatten
select x.value from staging.stg_rawg__games_daily as d
, LATERAL FLATTEN(input => AS_ARRAY(d.platforms), OUTER => FALSE) AS x;

-- date_spine
select d.date_day from bounds as b
, LATERAL (SELECT DATEADD(day, s.index, CAST(b.first_day AS DATE)) AS date_day FROM TABLE(FLATTEN(input => ARRAY_GENERATE_RANGE(0, DATEDIFF(day, CAST(b.first_day AS DATE), CAST(b.last_day AS DATE)) + 1))) AS s) AS d;

-- iso_day_of_week
select DAYOFWEEKISO(date_day);

-- iso_week
select WEEKISO(date_day);

-- round_float
select ROUND(avg(rating), 2);
