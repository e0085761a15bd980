{{ config(materialized='table') }}
-- The in-game economy per day, currency and reason: how much of each currency entered it (sources:
-- rewards, grants) and left it (sinks: spending), from resource events.
select
    event_date                                                          as activity_date,
    resource_currency                                                   as currency,
    coalesce(resource_reason, 'unspecified')                            as reason,
    coalesce(sum(amount) filter (where resource_flow = 'source'), 0)    as source_amount,
    coalesce(sum(amount) filter (where resource_flow = 'sink'), 0)      as sink_amount,
    coalesce(sum(amount) filter (where resource_flow = 'source'), 0)
      - coalesce(sum(amount) filter (where resource_flow = 'sink'), 0)  as net_amount,
    count(distinct user_id)                                             as players
from {{ ref('stg_events') }}
where event_name = 'resource'
group by event_date, resource_currency, coalesce(resource_reason, 'unspecified')
