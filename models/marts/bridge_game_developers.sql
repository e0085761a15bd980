{{ config(materialized='table') }}
-- Game ↔ developer links from each game's latest detail (RAWG lists them only in /games/{id}).
select distinct
    g.game_id,
    {{ json_int('x.value', 'id') }} as developer_id
from {{ ref('stg_rawg__game_details') }} as g
{{ flatten('g.record', 'developers', 'x') }}
where {{ json_int('x.value', 'id') }} is not null
order by 1, 2
