{{ config(materialized='partitioned', partition_by='dt') }}
-- The tags on each game's record of the day (rawg/games): one row per day, game and tag; `language`
-- is eng or rus.
-- Rows of the typed list `tags` of stg_rawg__games_daily (no JSON is parsed again).
select
    d.dt,
    d.game_id,
    {{ record_int('x.value', 'id') }}                  as tag_id,
    max({{ record_text('x.value', 'name') }})          as name,
    max({{ record_text('x.value', 'slug') }})          as slug,
    max({{ record_text('x.value', 'language') }})      as language
from {{ ref('stg_rawg__games_daily') }} as d
{{ record_flatten('d.tags', 'x') }}
where {{ in_partition('d.dt') }}
    and {{ record_int('x.value', 'id') }} is not null
group by 1, 2, 3
