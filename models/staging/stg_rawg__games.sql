{{ config(materialized='table') }}
-- The current version of every game: the row of its latest `updated` across all partitions (a table,
-- so the models downstream read it without re-ranking every partition).
select *
from {{ ref('stg_rawg__games_daily') }}
qualify row_number() over (partition by game_id order by updated_at desc nulls last, dt desc) = 1
