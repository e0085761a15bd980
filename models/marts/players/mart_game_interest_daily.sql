{{ config(materialized='table') }}
-- Live interest in each RAWG game per day (views, viewers, wishlist adds, store purchases and their
-- revenue) beside its catalogue rating: behaviour joined to the market. Games missing from the
-- catalogue keep their rows, with a null name.
select
    e.event_date                                                                as activity_date,
    e.game_id,
    g.name                                                                      as game_name,
    g.rating                                                                    as catalogue_rating,
    g.ratings_count                                                             as catalogue_ratings_count,
    count(*) filter (where e.event_name = 'view')                               as views,
    count(distinct coalesce(e.user_id, 'anonymous:' || e.anonymous_id)) filter (where e.event_name = 'view') as viewers,
    count(*) filter (where e.event_name = 'wishlist' and coalesce(e.wishlist_action, 'add') = 'add') as wishlist_adds,
    count(*) filter (where e.event_name = 'purchase' and e.item is null)        as purchases,
    sum(case when e.event_name = 'purchase' and e.item is null and e.currency_type = 'real' and e.currency_code = 'USD' then e.amount else 0 end) as revenue_usd
from {{ ref('stg_events') }} as e
left join {{ ref('dim_games') }} as g on g.game_id = e.game_id
where e.game_id is not null
group by e.event_date, e.game_id, g.name, g.rating, g.ratings_count
