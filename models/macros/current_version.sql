{#- The current version of each `key` in `daily` (a partitioned staging model): the first row by
    `order_by`. In an incremental run only the daily rows loaded since the newest row of `this`
    (`loaded_at`) are ranked, against the current rows of the same keys: a day of updates costs that
    day, not the whole history. A row loaded later wins a tie, so the watermark always moves on. -#}
{% macro current_version(daily, key, columns, order_by) -%}
with candidates as (
    {% if is_incremental() %}
    select {{ columns }}
    from {{ daily }}
    where loaded_at > (select coalesce(max(loaded_at), cast('1970-01-01' as timestamp)) from {{ this }})

    union all

    select {{ columns }}
    from {{ this }}
    where {{ key }} in (
        select {{ key }} from {{ daily }}
        where loaded_at > (select coalesce(max(loaded_at), cast('1970-01-01' as timestamp)) from {{ this }})
    )
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
