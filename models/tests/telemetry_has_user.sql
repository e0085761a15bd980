{{ config(severity='warn') }}
-- Game telemetry names its player: a heartbeat or game event without a user_id cannot be
-- attributed (store browsing may be anonymous, session_start included).
select event_id, event_name, anonymous_id
from {{ ref('stg_events') }}
where user_id is null
  and event_name in ('heartbeat', 'game_start', 'game_end', 'progress', 'level_up', 'resource')
