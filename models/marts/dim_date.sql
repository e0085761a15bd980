{{ config(materialized='table') }}
-- One row per calendar day from the earliest to the latest day the data mentions (release dates and
-- partitions), so facts can join on a date and BI tools can slice by year, quarter, month and week.
with bounds as (
    select
        least(coalesce(min(released), min(dt)), min(dt))    as first_day,
        greatest(coalesce(max(released), max(dt)), max(dt)) as last_day
    from {{ ref('stg_rawg__games_daily') }}
),

days as (
    select d.date_day
    from bounds as b
    {{ date_spine('b.first_day', 'b.last_day', 'd') }}
    where b.first_day is not null
)

select
    date_day,
    cast(extract(year from date_day) as bigint)    as year,
    cast(extract(quarter from date_day) as bigint) as quarter,
    cast(extract(month from date_day) as bigint)   as month,
    case extract(month from date_day)
        when 1 then 'January' when 2 then 'February' when 3 then 'March' when 4 then 'April'
        when 5 then 'May' when 6 then 'June' when 7 then 'July' when 8 then 'August'
        when 9 then 'September' when 10 then 'October' when 11 then 'November' else 'December'
    end                                            as month_name,
    cast(extract(day from date_day) as bigint)     as day_of_month,
    {{ iso_day_of_week('date_day') }}              as day_of_week,
    case {{ iso_day_of_week('date_day') }}
        when 1 then 'Monday' when 2 then 'Tuesday' when 3 then 'Wednesday' when 4 then 'Thursday'
        when 5 then 'Friday' when 6 then 'Saturday' else 'Sunday'
    end                                            as day_name,
    {{ iso_week('date_day') }}                     as iso_week,
    {{ iso_day_of_week('date_day') }} >= 6         as is_weekend
from days
order by date_day
