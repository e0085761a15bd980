{{ config(materialized='partitioned', partition_by='dt') }}
-- The stores on each game's record of the day (rawg/games): one row per day, game and store.
with records as (
    {{ rawg_day_records('games') }}
)

select
    r.dt,
    {{ json_int('r.value', 'id') }}               as game_id,
    {{ json_int('x.value', 'store.id') }}         as store_id,
    max({{ json_text('x.value', 'store.name') }}) as name,
    max({{ json_text('x.value', 'store.slug') }}) as slug
from records as r
{{ flatten('r.value', 'stores', 'x') }}
where {{ json_int('x.value', 'store.id') }} is not null
group by 1, 2, 3
