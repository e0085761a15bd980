{{ config(materialized='table') }}
-- Game ↔ tag links of each game's current version (tags in every language RAWG sends).
select distinct
    g.game_id,
    {{ json_int('x.value', 'id') }} as tag_id
from {{ ref('stg_rawg__games') }} as g
{{ flatten('g.record', 'tags', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
order by 1, 2
