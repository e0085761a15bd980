{{ config(materialized='table', tags=['ml']) }}
-- One row per game: what the prediction models learn from, and their targets (`rating`, and
-- `popular`: more than var('ml_popular_ratings_count', 100) ratings). A publisher's and its
-- developers' track record counts only games released strictly before this one, so no feature
-- leaks the outcome of the game itself or of later games. Metacritic stays NULL when missing.
-- Live interest (views, wishlist adds) comes from the telemetry marts when the project has events.
with games as (
    select game_id, released, rating, ratings_count, metacritic, playtime, esrb_rating
    from {{ ref('dim_games') }}
),

genres as (
    select b.game_id, {{ listagg('d.slug', "'|'", 'd.slug') }} as genres, count(*) as genre_count
    from {{ ref('bridge_game_genres') }} as b
    join {{ ref('dim_genres') }} as d on d.genre_id = b.genre_id
    group by b.game_id
),

parent_platforms as (
    select game_id, {{ listagg('parent_platform_slug', "'|'", 'parent_platform_slug') }} as parent_platforms
    from (
        select distinct b.game_id, p.parent_platform_slug
        from {{ ref('bridge_game_platforms') }} as b
        join {{ ref('dim_platforms') }} as p on p.platform_id = b.platform_id
        where p.parent_platform_slug is not null
    ) as distinct_families
    group by game_id
),

platform_counts as (
    select game_id, count(distinct platform_id) as platform_count
    from {{ ref('bridge_game_platforms') }}
    group by game_id
),

store_counts as (
    select game_id, count(distinct store_id) as store_count
    from {{ ref('bridge_game_stores') }}
    group by game_id
),

-- The catalogue's 20 most used tags (ties by slug): the vocabulary of `top_tags`.
top_tag_ids as (
    select tag_id
    from (
        select b.tag_id, row_number() over (order by count(*) desc, min(t.slug)) as tag_rank
        from {{ ref('bridge_game_tags') }} as b
        join {{ ref('dim_tags') }} as t on t.tag_id = b.tag_id
        group by b.tag_id
    ) as ranked
    where tag_rank <= 20
),

top_tags as (
    select b.game_id, {{ listagg('t.slug', "'|'", 't.slug') }} as top_tags
    from {{ ref('bridge_game_tags') }} as b
    join top_tag_ids as k on k.tag_id = b.tag_id
    join {{ ref('dim_tags') }} as t on t.tag_id = b.tag_id
    group by b.game_id
),

{% set bridges = {'publisher': ref('bridge_game_publishers'), 'developer': ref('bridge_game_developers')} %}
{% for role in ['publisher', 'developer'] %}
-- Per {{ role }} and game: its games released before this one's day, and their mean rating (rated ones).
{{ role }}_history as (
    select
        c.{{ role }}_id,
        g.game_id,
        count(*) over (partition by c.{{ role }}_id order by g.released range between unbounded preceding and interval '1 day' preceding) as prior_games,
        avg(case when g.ratings_count > 0 and g.rating > 0 then g.rating end) over (partition by c.{{ role }}_id order by g.released range between unbounded preceding and interval '1 day' preceding) as prior_avg_rating
    from {{ bridges[role] }} as c
    join games as g on g.game_id = c.game_id
    where g.released is not null
),

{{ role }}_record as (
    select game_id, max(prior_games) as prior_games, avg(prior_avg_rating) as prior_avg_rating
    from {{ role }}_history
    group by game_id
),

{% endfor %}
-- Live interest over the last 7 days of telemetry (gmp collect), NULL for every game while the
-- project has no events at all, 0 for a game nobody looked at.
interest_window as (
    select max(activity_date) as last_day, count(*) > 0 as has_events
    from {{ ref('mart_game_interest_daily') }}
),

interest as (
    select i.game_id, sum(i.views) as views_7d, sum(i.wishlist_adds) as wishlist_adds_7d
    from {{ ref('mart_game_interest_daily') }} as i
    cross join interest_window as w
    where i.activity_date > w.last_day - 7
    group by i.game_id
),

features as (
    select
        g.game_id,
        g.released,
        cast(extract(year from g.released) as bigint)        as release_year,
        cast(extract(month from g.released) as bigint)       as release_month,
        g.metacritic,
        g.playtime,
        g.esrb_rating,
        ge.genres,
        coalesce(ge.genre_count, 0)                          as genre_count,
        pf.parent_platforms,
        coalesce(pc.platform_count, 0)                       as platform_count,
        coalesce(sc.store_count, 0)                          as store_count,
        tt.top_tags,
        coalesce(pr.prior_games, 0)                          as publisher_prior_games,
        pr.prior_avg_rating                                  as publisher_prior_avg_rating,
        coalesce(dr.prior_games, 0)                          as developer_prior_games,
        dr.prior_avg_rating                                  as developer_prior_avg_rating,
        case when iw.has_events then coalesce(it.views_7d, 0) end          as views_7d,
        case when iw.has_events then coalesce(it.wishlist_adds_7d, 0) end  as wishlist_adds_7d,
        case when g.ratings_count > 0 and g.rating > 0 then g.rating end as rating,
        g.ratings_count,
        g.ratings_count > {{ var('ml_popular_ratings_count', 100) }} as popular
    from games as g
    left join genres as ge on ge.game_id = g.game_id
    left join parent_platforms as pf on pf.game_id = g.game_id
    left join platform_counts as pc on pc.game_id = g.game_id
    left join store_counts as sc on sc.game_id = g.game_id
    left join top_tags as tt on tt.game_id = g.game_id
    left join publisher_record as pr on pr.game_id = g.game_id
    left join developer_record as dr on dr.game_id = g.game_id
    cross join interest_window as iw
    left join interest as it on it.game_id = g.game_id
)

select * from features
order by game_id
