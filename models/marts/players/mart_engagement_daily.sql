{{ config(materialized='table') }}
-- Daily engagement: DAU (players active that UTC day), WAU and MAU (active in the 7 and 30 days
-- ending that day) and the DAU/MAU stickiness ratio, from the first to the last day with events.
-- A player is active on a day when any of their events (with a user_id) happened on it.
with activity as (
    select distinct user_id, event_date
    from {{ ref('stg_events') }}
    where user_id is not null
),

bounds as (
    select min(event_date) as first_day, max(event_date) as last_day from activity
),

days as (
    select d.date_day
    from bounds as b
    {{ date_spine('b.first_day', 'b.last_day', 'd') }}
    where b.first_day is not null
),

new_players as (
    select first_seen_date, count(*) as players from {{ ref('dim_players') }} group by first_seen_date
)

select
    d.date_day                                                              as activity_date,
    count(distinct case when a.event_date = d.date_day then a.user_id end)  as dau,
    count(distinct case when a.event_date > d.date_day - 7 then a.user_id end) as wau,
    count(distinct a.user_id)                                               as mau,
    {{ safe_divide('count(distinct case when a.event_date = d.date_day then a.user_id end)', 'count(distinct a.user_id)') }} as dau_mau,
    coalesce(max(n.players), 0)                                             as new_players
from days as d
left join activity as a on a.event_date between d.date_day - 29 and d.date_day
left join new_players as n on n.first_seen_date = d.date_day
group by d.date_day
