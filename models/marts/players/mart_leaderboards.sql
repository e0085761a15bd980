{{ config(materialized='table') }}
-- The ten best players per game per day and per ISO week (weeks start on Monday), by their best
-- game_end score in the period; ties go to the player who reached the score first.
with scores as (
    select user_id, game_id, event_date, event_time, score
    from {{ ref('stg_events') }}
    where event_name = 'game_end' and user_id is not null and game_id is not null and score is not null
),

periods as (
    select 'day' as period, event_date as period_start, user_id, game_id, event_time, score from scores
    union all
    select 'week' as period, cast(date_trunc('week', event_date) as date) as period_start, user_id, game_id, event_time, score from scores
),

best as (
    select period, period_start, game_id, user_id, best_score, reached_at
    from (
        select
            period, period_start, game_id, user_id, score as best_score, event_time as reached_at,
            row_number() over (partition by period, period_start, game_id, user_id order by score desc, event_time) as row_num
        from periods
    ) as scored
    where row_num = 1
),

ranked as (
    select *, row_number() over (partition by period, period_start, game_id order by best_score desc, reached_at, user_id) as rank
    from best
)

select period, period_start, game_id, rank, user_id, best_score, reached_at
from ranked
where rank <= 10
