{{ config(materialized='table') }}
-- One row per known player (events with a user_id): when they were first and last seen, their
-- persona when a client told it, and where they play (the latest platform, region and device seen).
with events as (
    select user_id, event_id, event_time, platform, region, device, persona
    from {{ ref('stg_events') }}
    where user_id is not null
),

seen as (
    select user_id, min(event_time) as first_seen_at, max(event_time) as last_seen_at, count(*) as events
    from events
    group by user_id
),

latest_persona as (
    select user_id, persona
    from (
        select user_id, persona, row_number() over (partition by user_id order by event_time desc, event_id) as row_num
        from events where persona is not null
    ) as ranked
    where row_num = 1
),

latest_platform as (
    select user_id, platform
    from (
        select user_id, platform, row_number() over (partition by user_id order by event_time desc, event_id) as row_num
        from events where platform is not null
    ) as ranked
    where row_num = 1
),

latest_region as (
    select user_id, region
    from (
        select user_id, region, row_number() over (partition by user_id order by event_time desc, event_id) as row_num
        from events where region is not null
    ) as ranked
    where row_num = 1
),

latest_device as (
    select user_id, device
    from (
        select user_id, device, row_number() over (partition by user_id order by event_time desc, event_id) as row_num
        from events where device is not null
    ) as ranked
    where row_num = 1
)

select
    s.user_id,
    s.first_seen_at,
    cast(s.first_seen_at as date) as first_seen_date,
    s.last_seen_at,
    cast(s.last_seen_at as date)  as last_seen_date,
    s.events,
    p.persona,
    pl.platform,
    r.region,
    d.device
from seen as s
left join latest_persona as p on p.user_id = s.user_id
left join latest_platform as pl on pl.user_id = s.user_id
left join latest_region as r on r.user_id = s.user_id
left join latest_device as d on d.user_id = s.user_id
