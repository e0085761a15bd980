{{ config(materialized='table') }}
-- The store funnel view → cart → purchase, per game and overall (scope 'overall', game_id null).
-- Counted per (player, game): viewed the game; then added it to the cart at or after the first
-- view; then bought it at or after that first add. Anonymous browsing is not counted.
with steps as (
    select user_id, game_id, event_name, event_time
    from {{ ref('stg_events') }}
    where user_id is not null and game_id is not null
      and (event_name in ('view', 'add_to_cart') or (event_name = 'purchase' and item is null))
),

viewed as (
    select user_id, game_id, min(event_time) as viewed_at
    from steps where event_name = 'view'
    group by user_id, game_id
),

carted as (
    select v.user_id, v.game_id, min(s.event_time) as carted_at
    from viewed as v
    join steps as s on s.user_id = v.user_id and s.game_id = v.game_id and s.event_name = 'add_to_cart' and s.event_time >= v.viewed_at
    group by v.user_id, v.game_id
),

bought as (
    select c.user_id, c.game_id, min(s.event_time) as purchased_at
    from carted as c
    join steps as s on s.user_id = c.user_id and s.game_id = c.game_id and s.event_name = 'purchase' and s.event_time >= c.carted_at
    group by c.user_id, c.game_id
),

pairs as (
    select v.user_id, v.game_id, c.carted_at is not null as carted, b.purchased_at is not null as purchased
    from viewed as v
    left join carted as c on c.user_id = v.user_id and c.game_id = v.game_id
    left join bought as b on b.user_id = v.user_id and b.game_id = v.game_id
),

per_game as (
    select 'game' as scope, game_id, count(user_id) as viewers, count(user_id) filter (where carted) as carted, count(user_id) filter (where purchased) as purchased
    from pairs group by game_id
    union all
    select 'overall' as scope, cast(null as bigint) as game_id, count(user_id) as viewers, count(user_id) filter (where carted) as carted, count(user_id) filter (where purchased) as purchased
    from pairs
)

select
    f.scope,
    f.game_id,
    g.name                                               as game_name,
    f.viewers,
    f.carted,
    f.purchased,
    {{ safe_divide('f.carted', 'f.viewers') }}           as view_to_cart,
    {{ safe_divide('f.purchased', 'f.carted') }}         as cart_to_purchase,
    {{ safe_divide('f.purchased', 'f.viewers') }}        as view_to_purchase
from per_game as f
left join {{ ref('dim_games') }} as g on g.game_id = f.game_id
