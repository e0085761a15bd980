{#- The current version of each `key` in `daily` (a partitioned staging model): the first row by
    `order_by`. In an incremental run only the daily rows loaded since the newest row of `this`
    (`loaded_at`) are ranked, against the current rows of the same keys: a day of updates costs that
    day, not the whole history. A row loaded later wins a tie, so the watermark always moves on.
    The window reaches back var('current_version_lookback_hours') (6) before that newest row: a
    partition another run loaded in a transaction that committed late (Postgres runs side by side)
    is still picked up; ranking a row again gives the same winner, so nothing changes twice. -#}
{% macro current_version(daily, key, columns, order_by) -%}
{%- set since -%}
    (select coalesce(max(loaded_at), cast('1970-01-01' as timestamp)) - interval '{{ var('current_version_lookback_hours', 6) }} hours' from {{ this }})
{%- endset -%}
with candidates as (
    {% if is_incremental() %}
    select {{ columns }}
    from {{ daily }}
    where loaded_at > {{ since }}

    union all

    select {{ columns }}
    from {{ this }}
    where {{ key }} in (select {{ key }} from {{ daily }} where loaded_at > {{ since }})
    {% else %}
    select {{ columns }}
    from {{ daily }}
    {% endif %}
)

select {{ columns }}
from (
    select *, row_number() over (partition by {{ key }} order by {{ order_by }}, loaded_at desc) as row_num
    from candidates
) as ranked
where row_num = 1
{%- endmacro %}
