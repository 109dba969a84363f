-- Window functions: ranking, offsets, value functions, aggregates over windows with frames
-- (ROWS, RANGE, GROUPS, EXCLUDE), named windows, and windows over grouped results.
-- setup
create table wn_scores (id int primary key, team text, player text, score int, played date);
insert into wn_scores
  select g,
         (array['red', 'blue', 'green'])[(g % 3) + 1],
         'p' || lpad(g::text, 2, '0'),
         case when g % 10 = 0 then null else (g * 17) % 23 end,
         date '2024-03-01' + g
  from generate_series(1, 30) g;

-- test
select id, row_number() over (order by id) from wn_scores where id <= 10;
select id, team, row_number() over (partition by team order by id) from wn_scores;
select id, score, rank() over (order by score), dense_rank() over (order by score) from wn_scores;
select id, team, score, rank() over w, dense_rank() over w, percent_rank() over w, cume_dist() over w from wn_scores window w as (partition by team order by score);
select id, ntile(4) over (order by id), ntile(7) over (order by id) from wn_scores;
select id, score, ntile(3) over (partition by team order by score desc nulls last, id) from wn_scores;
select id, lag(score) over (order by id), lead(score) over (order by id), lag(score, 2, -1) over (order by id), lead(score, 3, 0) over (order by id) from wn_scores;
select id, team, lag(player) over (partition by team order by id), lead(id, 1, id) over (partition by team order by id) from wn_scores;
select id, first_value(score) over (order by id), last_value(score) over (order by id), nth_value(score, 3) over (order by id) from wn_scores where id <= 12;
select id, last_value(score) over (order by id rows between unbounded preceding and unbounded following) from wn_scores where id <= 12;
select id, team, first_value(player) over (partition by team order by score desc nulls last, id) as best from wn_scores;
select id, nth_value(player, 2) over (partition by team order by id rows between unbounded preceding and unbounded following) from wn_scores;
select id, nth_value(score, 0) over (order by id) from wn_scores;
select id, ntile(0) over (order by id) from wn_scores;
select id, score, sum(score) over (order by id) as running from wn_scores;
select id, score, sum(score) over (order by score) as running_range from wn_scores;
select id, team, score, sum(score) over (partition by team) as team_total, count(*) over (partition by team) from wn_scores;
select id, score, avg(score) over (order by id rows between 2 preceding and current row) from wn_scores where id <= 12;
select id, score, sum(score) over (order by id rows between 1 preceding and 1 following), max(score) over (order by id rows between current row and 2 following) from wn_scores where id <= 12;
select id, score, min(score) over (order by id rows between unbounded preceding and 1 preceding) from wn_scores where id <= 8;
select id, score, count(score) over (order by score range between 2 preceding and 2 following) from wn_scores where score is not null;
select id, played, count(*) over (order by played range between interval '3 days' preceding and current row) from wn_scores where id <= 10;
select id, score, sum(score) over (order by score groups between 1 preceding and 1 following) from wn_scores where id <= 15;
select id, score, sum(score) over (order by id rows between 2 preceding and 2 following exclude current row), sum(score) over (order by score range between unbounded preceding and current row exclude ties) from wn_scores where id <= 10;
select id, score, sum(score) over (order by score range between unbounded preceding and current row exclude group) from wn_scores where id <= 10;
select id, score, array_agg(id) over (order by id rows between 1 preceding and 1 following) from wn_scores where id <= 6;
select id, string_agg(player, ',') over (partition by team order by id rows between unbounded preceding and current row) from wn_scores where id <= 9;
select id, bool_and(score > 5) over (order by id), every(score > 0) over (partition by team) from wn_scores where id <= 9;
select id, team, score, score - avg(score) over (partition by team) as diff from wn_scores where score is not null and id <= 12;
select id, round(100.0 * score / sum(score) over (), 3) as pct from wn_scores where id <= 10;
select id, sum(score) over (), count(*) over (), max(score) over () from wn_scores where id <= 5;
select id, stddev_pop(score) over (partition by team)::numeric(10, 4) from wn_scores where id <= 9;
select team, sum(score), rank() over (order by sum(score) desc) from wn_scores group by team;
select team, count(*), sum(count(*)) over () as total, row_number() over (order by team) from wn_scores group by team;
select * from (select id, team, score, row_number() over (partition by team order by score desc nulls last, id) as rn from wn_scores) s where rn <= 2;
select id, score from (select id, score, lag(score) over (order by id) as prev from wn_scores) s where score > prev;
select distinct team, max(score) over (partition by team) from wn_scores;
select id, row_number() over (order by id desc) from wn_scores order by id limit 5;
select id, rank() over (order by score desc nulls last) as r from wn_scores order by r, id limit 10;
select id, score, percent_rank() over (order by score nulls first), cume_dist() over (order by score nulls first) from wn_scores where id <= 10;
select id, sum(id) over w1, sum(id) over w2 from wn_scores where id <= 5 window w1 as (order by id), w2 as (w1 rows between 1 preceding and current row);
select id, count(*) over (partition by id % 2 order by id range between unbounded preceding and unbounded following) from wn_scores where id <= 6;
select id, lag(id, -1) over (order by id), lead(id, -1) over (order by id) from wn_scores where id <= 4;
select id, first_value(id) over (order by id rows between 2 following and 4 following) from wn_scores where id <= 6;
select id, row_number() over (order by id) * 10, sum(score) over (order by id) / nullif(row_number() over (order by id), 0) from wn_scores where id <= 5;
select id, avg(score) over (order by id rows between 1 preceding and 1 following)::numeric(10, 3) from wn_scores where id between 8 and 12;
select row_number() over (), count(*) over () from (values (1)) t(x);
select id, rank() over () from wn_scores where id <= 3;
select id, sum(score) over (order by id rows between 1 following and 1 preceding) from wn_scores where id <= 3;
select id from wn_scores where row_number() over (order by id) = 1;
select id, sum(score) over (order by id range between 1 preceding and current row) from wn_scores where id <= 3;
select id, lag(id) over (partition by team order by id rows between 1 preceding and current row) from wn_scores where id <= 3;
select id, sum(row_number() over (order by id)) from wn_scores;
