{#- The records of one daily partition of a RAWG entity (`games`, `game_details`), one per game: the
    latest `updated` of each game on that day. Every partitioned staging model of the entity reads
    the day through this, so the typed row and its nested links come from the same record. -#}
{% macro rawg_day_records(entity) -%}
    select dt, run_id, value
    from (
        select
            r.dt,
            r.run_id,
            r.value,
            row_number() over (
                partition by {{ json_int('r.value', 'id') }}, r.dt
                order by {{ json_timestamp('r.value', 'updated') }} desc nulls last, {{ json_timestamp('r.value', '_fetched_at') }} desc nulls last
            ) as row_num
        from {{ source('rawg', entity) }} as r
        where {{ in_partition('r.dt') }}
    ) as ranked
    where row_num = 1
{%- endmacro %}
