{{ config(materialized='table') }}
-- Every publisher: from the publishers snapshot (page-capped), completed by publishers only seen on game details.
with snapshot as (
    select publisher_id, name, slug, games_count from {{ ref('stg_rawg__publishers') }}
),

seen_on_games as (
    select
        {{ json_int('x.value', 'id') }}         as publisher_id,
        max({{ json_text('x.value', 'name') }}) as name,
        max({{ json_text('x.value', 'slug') }}) as slug
    from {{ ref('stg_rawg__game_details') }} as g
    {{ flatten('g.record', 'publishers', 'x') }}
    group by 1
)

select
    coalesce(s.publisher_id, o.publisher_id) as publisher_id,
    coalesce(s.name, o.name)           as name,
    coalesce(s.slug, o.slug)           as slug,
    s.games_count,
    s.publisher_id is not null            as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.publisher_id = o.publisher_id
where coalesce(s.publisher_id, o.publisher_id) is not null
order by 1
