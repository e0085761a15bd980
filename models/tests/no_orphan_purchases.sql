{{ config(severity='warn') }}
-- A store purchase follows a view or an add-to-cart of the same game by the same player; one that
-- does not (an orphan) points at lost events or a client that skips them.
select p.purchase_id, p.user_id, p.game_id, p.purchased_at
from {{ ref('fct_purchases') }} as p
where p.purchase_kind = 'store'
  and p.user_id is not null
  and not exists (
      select 1 from {{ ref('stg_events') }} as e
      where e.user_id = p.user_id and e.game_id = p.game_id
        and e.event_name in ('view', 'add_to_cart') and e.event_time <= p.purchased_at
  )
