{{ config(materialized='table') }}
-- The current version of every game: the row of its latest `updated` across all partitions (a table,
-- so the models downstream read it without re-ranking every partition).
select
    game_id, slug, name, released, tba, updated_at, rating, rating_top, ratings_count, reviews_text_count,
    added, metacritic, playtime, suggestions_count, esrb_rating, background_image, dt, run_id, record
from (
    select *, row_number() over (partition by game_id order by updated_at desc nulls last, dt desc) as row_num
    from {{ ref('stg_rawg__games_daily') }}
) as ranked
where row_num = 1
