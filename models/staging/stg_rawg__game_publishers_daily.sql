{{ config(materialized='partitioned', partition_by='dt') }}
-- The publishers on each game's detail of the day (rawg/game_details; RAWG lists them only in
-- /games/{id}): one row per day, game and publisher.
with records as (
    {{ rawg_day_records('game_details') }}
)

select
    r.dt,
    {{ json_int('r.value', 'id') }}             as game_id,
    {{ json_int('x.value', 'id') }}             as publisher_id,
    max({{ json_text('x.value', 'name') }})     as name,
    max({{ json_text('x.value', 'slug') }})     as slug
from records as r
{{ flatten('r.value', 'publishers', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
group by 1, 2, 3
