{{ config(materialized='table') }}
-- The latest detail of every game: the row of its latest `updated` across all partitions.
select game_id, slug, name, updated_at, website, description, fetched_at, dt, run_id, record
from (
    select *, row_number() over (partition by game_id order by updated_at desc nulls last, dt desc, fetched_at desc) as row_num
    from {{ ref('stg_rawg__game_details_daily') }}
) as ranked
where row_num = 1
