{#- The records of one daily partition of a RAWG entity (`games`, `game_details`), one per game: the
    latest `updated` of each game on that day, parsed once into `rec` with the named `fields` (see
    json_record; `id`, `updated` and `_fetched_at` are always there). Read them with record_*. -#}
{% macro rawg_day_records(entity, fields) -%}
    select dt, run_id, rec
    from (
        select
            parsed.dt,
            parsed.run_id,
            parsed.rec,
            row_number() over (
                partition by {{ record_int('parsed.rec', 'id') }}, parsed.dt
                order by {{ record_timestamp('parsed.rec', 'updated') }} desc nulls last, {{ record_timestamp('parsed.rec', '_fetched_at') }} desc nulls last
            ) as row_num
        from (
            select r.dt, r.run_id, {{ json_record('r.value', 'id, updated, _fetched_at, ' ~ fields) }} as rec
            from {{ source('rawg', entity) }} as r
            where {{ in_partition('r.dt') }}
        ) as parsed
    ) as ranked
    where row_num = 1
{%- endmacro %}
