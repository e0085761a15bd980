{{ config(materialized='partitioned', partition_by='dt') }}
-- The platforms on each game's record of the day (rawg/games): one row per day, game and platform,
-- with the game's release on it (`released_at`, only in the full shape).
with records as (
    {{ rawg_day_records('games') }}
)

select
    r.dt,
    {{ json_int('r.value', 'id') }}                  as game_id,
    {{ json_int('x.value', 'platform.id') }}         as platform_id,
    max({{ json_text('x.value', 'platform.name') }}) as name,
    max({{ json_text('x.value', 'platform.slug') }}) as slug,
    max({{ json_date('x.value', 'released_at') }})   as released_at
from records as r
{{ flatten('r.value', 'platforms', 'x') }}
where {{ json_int('x.value', 'platform.id') }} is not null
group by 1, 2, 3
