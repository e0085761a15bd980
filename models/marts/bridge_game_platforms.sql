{{ config(materialized='table') }}
-- Game ↔ platform links of each game's current version (`released_at` only in the full shape).
select
    g.game_id,
    {{ json_int('x.value', 'platform.id') }}      as platform_id,
    max({{ json_date('x.value', 'released_at') }}) as released_at
from {{ ref('stg_rawg__games') }} as g
{{ flatten('g.record', 'platforms', 'x') }}
where {{ json_int('x.value', 'platform.id') }} is not null
group by 1, 2
order by 1, 2
