-- No game appears twice on a day: (dt, game_id) is unique.
select dt, game_id, count(*) as n_records
from {{ ref('fct_game_daily_snapshot') }}
where {{ in_partition('dt') }}
group by dt, game_id
having count(*) > 1
