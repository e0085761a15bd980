{{ config(materialized='incremental', unique_key='game_id') }}
-- The current version of every game: the row of its latest `updated` across all partitions.
-- Incremental (see the current_version macro): a day of updates costs that day.
{{ current_version(
    ref('stg_rawg__games_daily'),
    'game_id',
    'game_id, slug, name, released, tba, updated_at, rating, rating_top, ratings_count, reviews_text_count,
    added, metacritic, playtime, suggestions_count, esrb_rating, background_image, dt, run_id, loaded_at',
    'updated_at desc nulls last, dt desc'
) }}
