{{ config(materialized='table') }}
-- Game ↔ store links of each game's current version (both list shapes nest the store under `store`).
select distinct
    g.game_id,
    {{ json_int('x.value', 'store.id') }} as store_id
from {{ ref('stg_rawg__games') }} as g
{{ flatten('g.record', 'stores', 'x') }}
where {{ json_int('x.value', 'store.id') }} is not null
order by 1, 2
