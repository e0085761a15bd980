{{ config(materialized='table') }}
-- Retention by first-seen cohort: for each cohort (the UTC day a player was first seen) and each
-- day number N from 0 to 30, the players active exactly on day N (cohort day + N), and their share
-- of the cohort. Only days already observed are listed (cohort day + N up to the last day of data).
with players as (
    select user_id, first_seen_date as cohort_date from {{ ref('dim_players') }}
),

activity as (
    select distinct user_id, event_date
    from {{ ref('stg_events') }}
    where user_id is not null
),

cohorts as (
    select cohort_date, count(*) as cohort_size from players group by cohort_date
),

day_numbers as (
    -- 0 … 30, from the date spine (portable where generate_series is not).
    select d.date_day - cast('2000-01-01' as date) as day_number
    from (select cast('2000-01-01' as date) as first_day, cast('2000-01-31' as date) as last_day) as b
    {{ date_spine('b.first_day', 'b.last_day', 'd') }}
),

observed as (
    select max(event_date) as last_day from activity
),

grid as (
    select c.cohort_date, c.cohort_size, g.day_number
    from cohorts as c
    cross join day_numbers as g
    cross join observed as o
    where c.cohort_date + cast(g.day_number as integer) <= o.last_day
)

select
    grid.cohort_date,
    grid.day_number,
    grid.cohort_size,
    count(distinct a.user_id)                                             as active_players,
    {{ safe_divide('count(distinct a.user_id)', 'grid.cohort_size') }}    as retention
from grid
left join players as p on p.cohort_date = grid.cohort_date
left join activity as a on a.user_id = p.user_id and a.event_date = grid.cohort_date + cast(grid.day_number as integer)
group by grid.cohort_date, grid.day_number, grid.cohort_size
