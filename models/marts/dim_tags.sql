{{ config(materialized='table') }}
-- Every tag: from the tags snapshot, completed by tags only seen on games; `language` is eng or rus.
with snapshot as (
    select tag_id, name, slug, language, games_count from {{ ref('stg_rawg__tags') }}
),

seen_on_games as (
    select
        {{ json_int('x.value', 'id') }}             as tag_id,
        max({{ json_text('x.value', 'name') }})     as name,
        max({{ json_text('x.value', 'slug') }})     as slug,
        max({{ json_text('x.value', 'language') }}) as language
    from {{ ref('stg_rawg__games') }} as g
    {{ flatten('g.record', 'tags', 'x') }}
    group by 1
)

select
    coalesce(s.tag_id, o.tag_id)         as tag_id,
    coalesce(s.name, o.name)             as name,
    coalesce(s.slug, o.slug)             as slug,
    coalesce(s.language, o.language)     as language,
    s.games_count,
    s.tag_id is not null                 as in_snapshot
from snapshot as s
full outer join seen_on_games as o on s.tag_id = o.tag_id
where coalesce(s.tag_id, o.tag_id) is not null
order by 1
