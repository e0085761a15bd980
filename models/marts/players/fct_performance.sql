{{ config(materialized='table') }}
-- Client performance per day, platform and region, from heartbeats: frames per second and network
-- latency (average and percentiles). A heartbeat without platform or region takes the player's.
with beats as (
    select
        e.event_date,
        coalesce(e.platform, p.platform, 'unknown') as platform,
        coalesce(e.region, p.region, 'unknown')     as region,
        e.user_id,
        e.fps,
        e.latency_ms
    from {{ ref('stg_events') }} as e
    left join {{ ref('dim_players') }} as p on p.user_id = e.user_id
    where e.event_name = 'heartbeat'
)

select
    event_date,
    platform,
    region,
    count(*)                                                       as heartbeats,
    count(distinct user_id)                                        as players,
    avg(fps)                                                       as avg_fps,
    percentile_cont(0.05) within group (order by fps)              as p5_fps,
    avg(latency_ms)                                                as avg_latency_ms,
    percentile_cont(0.5) within group (order by latency_ms)        as p50_latency_ms,
    percentile_cont(0.95) within group (order by latency_ms)       as p95_latency_ms
from beats
group by event_date, platform, region
