{{ config(materialized='table') }}
-- One row per purchase: a game bought in the store (no item) or an item bought in a game, with real
-- money or a virtual currency. Revenue counts real money in USD only (no exchange rates here).
select
    event_id                                                              as purchase_id,
    user_id,
    anonymous_id,
    session_id,
    game_id,
    event_time                                                            as purchased_at,
    event_date                                                            as purchase_date,
    case when item is null then 'store' else 'in_game' end                as purchase_kind,
    item,
    coalesce(quantity, 1)                                                 as quantity,
    amount,
    currency_type,
    currency_code,
    case when currency_type = 'real' and currency_code = 'USD' then amount else 0 end as revenue_usd,
    platform
from {{ ref('stg_events') }}
where event_name = 'purchase'
