{{ config(materialized='table') }}
-- Daily monetization, overall (segment 'all') and per segment ('platform:<p>', 'persona:<p>' from
-- dim_players): active players, paying players, revenue (real money in USD), ARPDAU (revenue per
-- active player), ARPPU (revenue per paying player) and conversion (paying / active).
with active as (
    select distinct e.user_id, e.event_date, p.platform, p.persona
    from {{ ref('stg_events') }} as e
    join {{ ref('dim_players') }} as p on p.user_id = e.user_id
),

spend as (
    select user_id, purchase_date, sum(revenue_usd) as revenue_usd
    from {{ ref('fct_purchases') }}
    where user_id is not null and revenue_usd > 0
    group by user_id, purchase_date
),

player_days as (
    select a.event_date, a.user_id, a.platform, a.persona, coalesce(s.revenue_usd, 0) as revenue_usd
    from active as a
    left join spend as s on s.user_id = a.user_id and s.purchase_date = a.event_date
),

segmented as (
    select event_date, 'all' as segment, user_id, revenue_usd from player_days
    union all
    select event_date, 'platform:' || coalesce(platform, 'unknown') as segment, user_id, revenue_usd from player_days
    union all
    select event_date, 'persona:' || persona as segment, user_id, revenue_usd from player_days where persona is not null
)

select
    event_date                                                                    as activity_date,
    segment,
    count(*)                                                                      as active_players,
    count(*) filter (where revenue_usd > 0)                                       as paying_players,
    sum(revenue_usd)                                                              as revenue_usd,
    {{ safe_divide('sum(revenue_usd)', 'count(*)') }}                            as arpdau,
    {{ safe_divide('sum(revenue_usd)', 'count(*) filter (where revenue_usd > 0)') }} as arppu,
    {{ safe_divide('count(*) filter (where revenue_usd > 0)', 'count(*)') }}     as conversion
from segmented
group by event_date, segment
