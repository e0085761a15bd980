{{ config(materialized='partitioned', partition_by={'field': 'event_hour', 'granularity': 'hour'}) }}
-- Events per UTC hour and event name, with the players and sessions behind them: the live traffic
-- at hourly grain. Partitioned by hour, so a backfill or a late batch rebuilds only its hours.
select
    cast(date_trunc('hour', event_time) as timestamp)   as event_hour,
    event_name,
    count(*)                                            as events,
    count(distinct user_id)                             as players,
    count(distinct session_id)                          as sessions
from {{ ref('stg_events') }}
where {{ in_partition('event_time') }}
group by 1, 2
