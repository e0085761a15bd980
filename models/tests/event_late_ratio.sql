{{ config(severity='warn') }}
-- Late events (received over an hour after they happened: offline clients, retries) stay under 5%
-- of the events; they still land in their own hour.
select count(*) as events, count(*) filter (where received_at > event_time + interval '1 hour') as late
from {{ ref('stg_events') }}
having count(*) > 0 and count(*) filter (where received_at > event_time + interval '1 hour') > 0.05 * count(*)
