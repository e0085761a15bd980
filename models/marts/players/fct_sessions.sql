{{ config(materialized='table') }}
-- One row per player session, sessionized from the events themselves (not the client's
-- session_id, which a client may reuse or lose): a session ends after 30 minutes without an event,
-- and lasts 24 hours at most (a longer run of activity is split into 24-hour sessions).
with events as (
    select user_id, event_id, event_time, event_name, session_id, game_id, platform, revenue_usd
    from (
        select *, case when event_name = 'purchase' and currency_type = 'real' and currency_code = 'USD' then amount else 0 end as revenue_usd
        from {{ ref('stg_events') }}
    ) as e
    where user_id is not null
),

gaps as (
    select
        *,
        case
            when lag(event_time) over (partition by user_id order by event_time, event_id) is null then 1
            when event_time - lag(event_time) over (partition by user_id order by event_time, event_id) > interval '30 minutes' then 1
            else 0
        end as starts_activity
    from events
),

activity as (
    select *, sum(starts_activity) over (partition by user_id order by event_time, event_id rows between unbounded preceding and current row) as activity_number
    from gaps
),

capped as (
    select
        *,
        floor(extract(epoch from event_time - min(event_time) over (partition by user_id, activity_number)) / 86400) as day_chunk
    from activity
)

select
    md5(user_id || '|' || cast(min(event_time) as varchar))                as session_key,
    user_id,
    min(session_id)                                                       as client_session_id,
    min(event_time)                                                       as started_at,
    max(event_time)                                                       as ended_at,
    cast(min(event_time) as date)                                         as session_date,
    cast(extract(epoch from max(event_time) - min(event_time)) as double precision) as duration_seconds,
    count(*)                                                              as events,
    count(distinct game_id)                                               as games,
    count(*) filter (where event_name = 'game_start')                     as games_started,
    count(*) filter (where event_name = 'purchase')                       as purchases,
    sum(revenue_usd)                                                      as revenue_usd,
    min(platform)                                                         as platform
from capped
group by user_id, activity_number, day_chunk
