{{ config(materialized='table') }}
-- One row per game: its current attributes.
select
    game_id,
    slug,
    name,
    released,
    tba,
    updated_at,
    rating,
    rating_top,
    ratings_count,
    reviews_text_count,
    added,
    metacritic,
    playtime,
    esrb_rating,
    background_image,
    dt as last_seen_dt
from {{ ref('stg_rawg__games') }}
order by game_id
