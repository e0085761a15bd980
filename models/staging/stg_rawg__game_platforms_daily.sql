{{ config(materialized='partitioned', partition_by='dt') }}
-- The platforms on each game's record of the day (rawg/games): one row per day, game and platform,
-- with the game's release on it (`released_at`, only in the full shape).
-- Rows of the typed list `platforms` of stg_rawg__games_daily (no JSON is parsed again).
select
    d.dt,
    d.game_id,
    {{ record_int('x.value', 'platform.id') }}         as platform_id,
    max({{ record_text('x.value', 'platform.name') }}) as name,
    max({{ record_text('x.value', 'platform.slug') }}) as slug,
    max({{ record_date('x.value', 'released_at') }})   as released_at
from {{ ref('stg_rawg__games_daily') }} as d
{{ record_flatten('d.platforms', 'x') }}
where {{ in_partition('d.dt') }}
    and {{ record_int('x.value', 'platform.id') }} is not null
group by 1, 2, 3
