-- The events the collector refused, with why: a view over raw.failed_events for checks and triage.
select
    {{ json_text('value', 'event_id') }}                           as event_id,
    {{ json_text('value', 'reason') }}                             as reason,
    {{ json_text('value', 'detail') }}                             as detail,
    {{ json_timestamp('value', 'received_at') }}                   as received_at,
    {{ json_text('value', 'collector_id') }}                       as collector_id,
    {{ json_text('value', 'payload') }}                            as payload,
    dt                                                             as arrival_hour
from {{ source('events', 'failed_events') }}
