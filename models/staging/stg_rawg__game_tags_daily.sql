{{ config(materialized='partitioned', partition_by='dt') }}
-- The tags on each game's record of the day (rawg/games): one row per day, game and tag; `language`
-- is eng or rus.
with records as (
    {{ rawg_day_records('games') }}
)

select
    r.dt,
    {{ json_int('r.value', 'id') }}             as game_id,
    {{ json_int('x.value', 'id') }}             as tag_id,
    max({{ json_text('x.value', 'name') }})     as name,
    max({{ json_text('x.value', 'slug') }})     as slug,
    max({{ json_text('x.value', 'language') }}) as language
from records as r
{{ flatten('r.value', 'tags', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
group by 1, 2, 3
