{{ config(materialized='incremental', unique_key='game_id') }}
-- The latest detail of every game: the row of its latest `updated` across all partitions.
-- Incremental (see the current_version macro): a day of updates costs that day.
{{ current_version(
    ref('stg_rawg__game_details_daily'),
    'game_id',
    'game_id, slug, name, updated_at, website, description, fetched_at, dt, run_id, loaded_at',
    'updated_at desc nulls last, dt desc, fetched_at desc'
) }}
