{{ config(materialized='partitioned', partition_by='dt') }}
-- The publishers on each game's detail of the day (rawg/game_details; RAWG lists them only in
-- /games/{id}): one row per day, game and publisher.
-- Rows of the typed list `publishers` of stg_rawg__game_details_daily (no JSON is parsed again).
select
    d.dt,
    d.game_id,
    {{ record_int('x.value', 'id') }}                  as publisher_id,
    max({{ record_text('x.value', 'name') }})          as name,
    max({{ record_text('x.value', 'slug') }})          as slug
from {{ ref('stg_rawg__game_details_daily') }} as d
{{ record_flatten('d.publishers', 'x') }}
where {{ in_partition('d.dt') }}
    and {{ record_int('x.value', 'id') }} is not null
group by 1, 2, 3
