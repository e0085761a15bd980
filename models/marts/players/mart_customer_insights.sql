{{ config(materialized='table') }}
-- One row per known player (seed 003's customer insights), as of the newest event: engagement score
-- min(10 × events in the last 7 days, 100), preferred platform (where most of their events come
-- from), top 5 genres by the games they viewed (through the RAWG marts), price sensitivity (the
-- share of their add-to-carts never bought: 0 buys everything carted, 1 buys nothing) and revenue.
with events as (
    select * from {{ ref('stg_events') }} where user_id is not null
),

as_of as (
    select max(event_time) as at from events
),

recent as (
    select e.user_id, count(*) as events_7d
    from events as e cross join as_of
    where e.event_time > as_of.at - interval '7 days'
    group by e.user_id
),

platforms as (
    select user_id, platform
    from (
        select user_id, platform, row_number() over (partition by user_id order by n desc, platform) as row_num
        from (select user_id, platform, count(*) as n from events where platform is not null group by user_id, platform) as counted
    ) as ranked
    where row_num = 1
),

genre_views as (
    select e.user_id, g.name as genre, count(*) as views
    from events as e
    join {{ ref('bridge_game_genres') }} as bg on bg.game_id = e.game_id
    join {{ ref('dim_genres') }} as g on g.genre_id = bg.genre_id
    where e.event_name = 'view'
    group by e.user_id, g.name
),

top_genres as (
    select user_id, {{ listagg('genre', "', '", 'views desc, genre') }} as top_genres
    from (
        select *, row_number() over (partition by user_id order by views desc, genre) as genre_rank from genre_views
    ) as ranked
    where genre_rank <= 5
    group by user_id
),

carts as (
    select
        user_id,
        count(*) filter (where event_name = 'add_to_cart')                      as add_to_carts,
        count(*) filter (where event_name = 'purchase' and item is null)        as store_purchases,
        sum(case when event_name = 'purchase' and currency_type = 'real' and currency_code = 'USD' then amount else 0 end) as revenue_usd
    from events
    group by user_id
)

select
    p.user_id,
    p.persona,
    coalesce(r.events_7d, 0)                                         as events_7d,
    least(10 * coalesce(r.events_7d, 0), 100)                        as engagement_score,
    pl.platform                                                      as preferred_platform,
    t.top_genres,
    case when c.add_to_carts > 0
         then greatest(0.0, 1.0 - cast(c.store_purchases as double precision) / c.add_to_carts) end as price_sensitivity,
    coalesce(c.revenue_usd, 0)                                       as revenue_usd,
    p.first_seen_at,
    p.last_seen_at
from {{ ref('dim_players') }} as p
left join recent as r on r.user_id = p.user_id
left join platforms as pl on pl.user_id = p.user_id
left join top_genres as t on t.user_id = p.user_id
left join carts as c on c.user_id = p.user_id
