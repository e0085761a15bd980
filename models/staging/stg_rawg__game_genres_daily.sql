{{ config(materialized='partitioned', partition_by='dt') }}
-- The genres on each game's record of the day (rawg/games): one row per day, game and genre.
-- Rows of the typed list `genres` of stg_rawg__games_daily (no JSON is parsed again).
select
    d.dt,
    d.game_id,
    {{ record_int('x.value', 'id') }}                  as genre_id,
    max({{ record_text('x.value', 'name') }})          as name,
    max({{ record_text('x.value', 'slug') }})          as slug
from {{ ref('stg_rawg__games_daily') }} as d
{{ record_flatten('d.genres', 'x') }}
where {{ in_partition('d.dt') }}
    and {{ record_int('x.value', 'id') }} is not null
group by 1, 2, 3
