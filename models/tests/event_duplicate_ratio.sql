{{ config(severity='warn') }}
-- Duplicates committed to the lake (the same event_id more than once: a client retry outside the
-- collector's window) stay under 1% of the events; stg_events keeps one copy of each anyway.
with committed as (select count(*) as n from {{ source('events', 'events') }}),
     kept as (select count(*) as n from {{ ref('stg_events') }})
select committed.n as committed, kept.n as kept
from committed cross join kept
where committed.n > 0 and committed.n - kept.n > 0.01 * committed.n
