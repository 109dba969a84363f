-- Aggregates whose arguments and FILTERs repeat a subexpression (evaluated once per row by the
-- executor, execute/shared-exprs.ts): results, NULLs, laziness inside CASE, errors raised only
-- where an occurrence is reached, volatile calls never shared.
-- setup
create table se_events (id int primary key, dev int, payload jsonb, note text);
insert into se_events
  select g, g % 7,
         case when g % 17 = 0 then '{"status": "x"}'::jsonb
              when g % 19 = 0 then '{"humidity": null, "temperature": 50}'::jsonb
              else jsonb_build_object('humidity', (g * 37) % 100 + 0.5,
                                      'temperature', 40 + (g * 11) % 35) end,
         case when g % 5 = 0 then null else 'n' || g end
  from generate_series(1, 400) g;
create table se_div (a int, b int);
insert into se_div values (1, 1), (2, 0), (3, 2), (4, 0), (5, 5);

-- test
select dev,
  count(case when (payload ->> 'humidity')::decimal < 30 then 1 end) as low,
  count(case when (payload ->> 'humidity')::decimal > 70 then 1 end) as high,
  count(case when (payload ->> 'humidity')::decimal between 30 and 70 then 1 end) as mid,
  count(*) filter (where (payload ->> 'humidity')::decimal > 90) as alerts,
  sum((payload ->> 'temperature')::int), avg((payload ->> 'temperature')::int)
from se_events group by dev order by dev;
select count(case when (payload ->> 'humidity')::decimal < 50 then 1 end),
  count(case when (payload ->> 'humidity')::decimal >= 50 then 1 end),
  count((payload ->> 'humidity')::decimal), count(*) from se_events;
select length(note) % 3 as k, sum(length(note)), max(length(note)), count(length(note))
from se_events group by length(note) % 3 order by 1;
select dev, sum(upper(note) || 'x' is null::int::bool::int) from se_events group by dev order by 1;
select sum(case when b <> 0 then a / b end), sum(case when b <> 0 then a / b else 0 end),
  count(*) filter (where b <> 0 and a / b > 0) from se_div;
select sum(a / b), sum(a / b) from se_div;
select sum(a / b) filter (where b > 0), max(a / b) filter (where b > 0) from se_div;
select count(*) filter (where random() < 2), count(*) filter (where random() < 2) from se_div;
select count(distinct random() < 2), sum(case when random() >= 0 then 1 end) from se_div;
select a % 2, sum(a * 10 + b), min(a * 10 + b), max(a * 10 + b) from se_div group by a % 2 order by 1;
select a % 2, string_agg((a * 10 + b)::text, ',' order by a * 10 + b), sum(a * 10 + b)
from se_div group by a % 2 order by 1;
select count(distinct a * 10 + b), sum(a * 10 + b) from se_div;
select sum(('{"v": ' || a || '}')::jsonb ->> 'v')::int, max(('{"v": ' || a || '}')::jsonb ->> 'v')
from se_div;
select sum((payload ->> 'humidity')::decimal) filter (where (payload ->> 'status') is null),
  count(*) filter (where (payload ->> 'status') = 'x') from se_events;
select sum((payload ->> 'status')::decimal) from se_events;
select id, (payload ->> 'humidity')::decimal * 2, (payload ->> 'humidity')::decimal + 1,
  case when (payload ->> 'humidity')::decimal > 50 then 'hi' else 'lo' end
from se_events where id <= 40 order by id;
select id from se_events
where (payload ->> 'humidity')::decimal > 20 and (payload ->> 'humidity')::decimal < 25
order by id;
select id, note from se_events where length(note) > 3 and length(note) < 5 and id < 50 order by id;
select a, b from se_div where b <> 0 and a / b >= 1 and a / b < 3 order by a;
select a from se_div where a / b > 0 or a / b < 0 order by a;
select a, random() < 2 as r1, random() < 2 as r2 from se_div order by a;
select a, a * 10 + b as x, (a * 10 + b) * 2 as y, -(a * 10 + b) as z from se_div order by x;
select a, case when b = 0 then null else a / b end, case when b <> 0 then a / b end from se_div order by a;
prepare se_p(int) as select id, (payload ->> 'temperature')::int + $1, (payload ->> 'temperature')::int - $1
  from se_events where id between 10 and 14 order by id;
execute se_p(5);
execute se_p(7);
select (row(a, b)).f2 from se_div group by (row(a, b)).f1;
select (row(a, b)).f1, count(*) from se_div group by (row(a, b)).f1 order by 1;
select (row(a, b)).f1, (row(a, b)).f2, (row(a, b)).f1 + (row(a, b)).f2 from se_div order by 1;
select a, a + 'infinity'::float8, a + '-infinity'::float8, a * 'NaN'::float8, a * '-0'::float8
from se_div order by a;
select a, 1 / (a * '-0'::float8 + 1), 1 / (a * '0'::float8 + 1) from se_div where a = 1;
select a, to_timestamp('infinity'::float8), to_timestamp('-infinity'::float8) from se_div where a < 3 order by a;
select sum(a + 'infinity'::float8), sum(a + '-infinity'::float8), count(*) filter (where a < 'NaN'::float8)
from se_div;
select a + 'infinity'::float8 as p, count(*) from se_div group by a + 'infinity'::float8;
select a + '-infinity'::float8 from se_div group by a + 'infinity'::float8;
