{{ config(materialized='incremental', unique_key='event_id') }}
-- One typed row per accepted event, deduplicated by event_id: the collector drops the duplicates it
-- sees within its window; this is the authoritative pass (the first committed copy wins, a copy
-- arriving later never replaces it). Incremental: a run reads only the events received since the
-- newest one already here, less var('events_lookback_hours') for commits still landing (another
-- collector's, a replayed log), so late events are picked up; the anti-join keeps it exactly once.
with source as (
    select
        {{ json_text('r.value', 'event_id') }} as event_id,
        r.dt as event_hour,
        r.run_id,
        r.value,
        {{ json_timestamp('r.value', 'received_at') }} as received_at
    from {{ source('events', 'events') }} as r
    {% if is_incremental() %}
    where {{ json_timestamp('r.value', 'received_at') }} >= (
        select coalesce(max(received_at), timestamp '1970-01-01') - interval '{{ var('events_lookback_hours', 6) }} hours' from {{ this }}
    )
    {% endif %}
),

first_copy as (
    select event_id, event_hour, run_id, value, received_at
    from (
        select *, row_number() over (partition by event_id order by received_at, run_id) as row_num
        from source
        {% if is_incremental() %}
        where not exists (select 1 from {{ this }} as seen where seen.event_id = source.event_id)
        {% endif %}
    ) as copies
    where row_num = 1
)

select
    event_id,
    {{ json_text('value', 'event') }}                              as event_name,
    {{ json_text('value', 'schema') }}                             as schema_id,
    {{ json_text('value', 'user_id') }}                            as user_id,
    {{ json_text('value', 'anonymous_id') }}                       as anonymous_id,
    {{ json_text('value', 'session_id') }}                         as session_id,
    {{ json_int('value', 'game_id') }}                             as game_id,
    {{ json_timestamp('value', 'event_time') }}                    as event_time,
    cast({{ json_timestamp('value', 'event_time') }} as date)      as event_date,
    {{ json_timestamp('value', 'timestamp') }}                     as client_time,
    {{ json_timestamp('value', 'sent_at') }}                       as sent_at,
    received_at,
    {{ json_text('value', 'collector_id') }}                       as collector_id,
    -- Store interactions
    {{ json_text('value', 'properties.platform') }}                as platform,
    {{ json_text('value', 'properties.referrer_page') }}           as referrer_page,
    {{ json_float('value', 'properties.time_spent') }}             as time_spent_seconds,
    {{ json_text('value', 'properties.search_query') }}            as search_query,
    {{ json_float('value', 'properties.price') }}                  as price,
    {{ json_text('value', 'properties.action') }}                  as wishlist_action,
    {{ json_int('value', 'properties.rating') }}                   as review_rating,
    -- Purchases (store and in-game)
    {{ json_text('value', 'properties.item') }}                    as item,
    {{ json_int('value', 'properties.quantity') }}                 as quantity,
    {{ json_float('value', 'properties.amount') }}                 as amount,
    {{ json_text('value', 'properties.currency_type') }}           as currency_type,
    {{ json_text('value', 'properties.currency_code') }}           as currency_code,
    -- Game telemetry
    {{ json_text('value', 'properties.region') }}                  as region,
    {{ json_text('value', 'properties.device') }}                  as device,
    {{ json_text('value', 'properties.client_version') }}          as client_version,
    {{ json_text('value', 'properties.persona') }}                 as persona,
    {{ json_float('value', 'properties.fps') }}                    as fps,
    {{ json_float('value', 'properties.latency_ms') }}             as latency_ms,
    {{ json_float('value', 'properties.duration') }}               as duration_seconds,
    {{ json_float('value', 'properties.score') }}                  as score,
    {{ json_int('value', 'properties.level_reached') }}            as level_reached,
    {{ json_float('value', 'properties.coins_earned') }}           as coins_earned,
    {{ json_int('value', 'properties.level') }}                    as level,
    {{ json_float('value', 'properties.xp') }}                     as xp,
    {{ json_text('value', 'properties.flow') }}                    as resource_flow,
    {{ json_text('value', 'properties.currency') }}                as resource_currency,
    {{ json_text('value', 'properties.reason') }}                  as resource_reason,
    {{ json_get('value', 'properties') }}                          as properties,
    event_hour,
    run_id
from first_copy
