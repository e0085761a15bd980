{{ config(materialized='table', tags=['ml']) }}
-- Every game's latest batch predictions (ml/game_predictions), with the model version behind each
-- one, beside what has happened since: the rating it has now and the error of the prediction.
with latest as (
    select max(dt) as dt from {{ source('ml', 'game_predictions') }}
),

predictions as (
    select
        {{ json_int('p.value', 'game_id') }}                   as game_id,
        {{ json_float('p.value', 'rating_prediction') }}      as predicted_rating,
        {{ json_text('p.value', 'rating_model') }}            as rating_model,
        {{ json_int('p.value', 'rating_model_version') }}     as rating_model_version,
        {{ json_float('p.value', 'popular_prediction') }}     as popularity_probability,
        {{ json_text('p.value', 'popular_model') }}           as popularity_model,
        {{ json_int('p.value', 'popular_model_version') }}    as popularity_model_version,
        p.dt                                                  as scored_on,
        p.run_id
    from {{ source('ml', 'game_predictions') }} as p
    join latest as l on l.dt = p.dt
),

-- One commit per day is read; a re-run of the day supersedes the earlier one in the lake already,
-- and this keeps one row per game if a snapshot ever held two.
deduped as (
    select *
    from (
        select *, row_number() over (partition by game_id order by run_id desc) as row_num
        from predictions
    ) as ranked
    where row_num = 1
)

select
    d.game_id,
    g.name,
    g.released,
    d.predicted_rating,
    d.rating_model,
    d.rating_model_version,
    d.popularity_probability,
    d.popularity_probability >= 0.5                          as predicted_popular,
    d.popularity_model,
    d.popularity_model_version,
    d.scored_on,
    case when g.ratings_count > 0 and g.rating > 0 then g.rating end as actual_rating,
    g.ratings_count                                           as actual_ratings_count,
    case when g.ratings_count > 0 and g.rating > 0 then d.predicted_rating - g.rating end as rating_error
from deduped as d
left join {{ ref('dim_games') }} as g on g.game_id = d.game_id
order by d.game_id
