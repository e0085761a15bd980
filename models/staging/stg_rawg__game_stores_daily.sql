{{ config(materialized='partitioned', partition_by='dt') }}
-- The stores on each game's record of the day (rawg/games): one row per day, game and store.
-- Rows of the typed list `stores` of stg_rawg__games_daily (no JSON is parsed again).
select
    d.dt,
    d.game_id,
    {{ record_int('x.value', 'store.id') }}            as store_id,
    max({{ record_text('x.value', 'store.name') }})    as name,
    max({{ record_text('x.value', 'store.slug') }})    as slug
from {{ ref('stg_rawg__games_daily') }} as d
{{ record_flatten('d.stores', 'x') }}
where {{ in_partition('d.dt') }}
    and {{ record_int('x.value', 'store.id') }} is not null
group by 1, 2, 3
