{{ config(materialized='table') }}
-- Every store: from the stores snapshot, completed by stores only seen on games.
with snapshot as (
    select store_id, name, slug, domain, games_count from {{ ref('stg_rawg__stores') }}
),

seen_on_games as (
    select
        {{ json_int('x.value', 'store.id') }}         as store_id,
        max({{ json_text('x.value', 'store.name') }}) as name,
        max({{ json_text('x.value', 'store.slug') }}) as slug
    from {{ ref('stg_rawg__games') }} as g
    {{ flatten('g.record', 'stores', 'x') }}
    group by 1
)

select
    coalesce(s.store_id, o.store_id) as store_id,
    coalesce(s.name, o.name)         as name,
    coalesce(s.slug, o.slug)         as slug,
    s.domain,
    s.games_count,
    s.store_id is not null           as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.store_id = o.store_id
where coalesce(s.store_id, o.store_id) is not null
order by 1
