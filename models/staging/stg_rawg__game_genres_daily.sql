{{ config(materialized='partitioned', partition_by='dt') }}
-- The genres on each game's record of the day (rawg/games): one row per day, game and genre.
with records as (
    {{ rawg_day_records('games') }}
)

select
    r.dt,
    {{ json_int('r.value', 'id') }}             as game_id,
    {{ json_int('x.value', 'id') }}             as genre_id,
    max({{ json_text('x.value', 'name') }})     as name,
    max({{ json_text('x.value', 'slug') }})     as slug
from records as r
{{ flatten('r.value', 'genres', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
group by 1, 2, 3
