{{ config(materialized='table') }}
-- Game ↔ genre links of each game's current version.
select distinct
    g.game_id,
    {{ json_int('x.value', 'id') }} as genre_id
from {{ ref('stg_rawg__games') }} as g
{{ flatten('g.record', 'genres', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
order by 1, 2
