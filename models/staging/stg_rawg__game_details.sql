{{ config(materialized='table') }}
-- The latest detail of every game: the row of its latest `updated` across all partitions.
select *
from {{ ref('stg_rawg__game_details_daily') }}
qualify row_number() over (partition by game_id order by updated_at desc nulls last, dt desc, fetched_at desc) = 1
