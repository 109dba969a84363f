-- Harder query shapes that applications and ORMs produce: correlated subqueries in every
-- clause, NULL-aware EXISTS/NOT IN, LATERAL, FULL/NATURAL joins, recursive CTEs with SEARCH and
-- CYCLE, data-modifying CTEs, grouping sets with GROUPING(), window frames with offsets,
-- ordered-set and hypothetical-set aggregates, set operations with parentheses, row compares.
-- setup
create table qs_item (id int primary key, grp text, val int, amt numeric(8,2), d date, tag text);
insert into qs_item values
  (1, 'a', 10, 1.50, '2024-01-01', 'x'), (2, 'a', 20, 2.25, '2024-01-03', null),
  (3, 'a', null, 3.00, '2024-01-04', 'y'), (4, 'b', 5, 0.75, '2024-01-04', 'x'),
  (5, 'b', 5, null, '2024-01-10', 'z'), (6, 'b', 40, 4.00, null, 'y'),
  (7, 'c', 15, 1.50, '2024-01-02', null), (8, 'c', 25, 2.50, '2024-01-06', 'x'),
  (9, null, 30, 3.75, '2024-01-08', 'z'), (10, 'c', 15, 1.25, '2024-01-09', 'x');
create table qs_grp (name text primary key, label text, lim int);
insert into qs_grp values ('a', 'Alpha', 25), ('b', 'Beta', 10), ('d', 'Delta', 0);
create table qs_node (id int primary key, parent int, name text);
insert into qs_node values (1, null, 'root'), (2, 1, 'left'), (3, 1, 'right'), (4, 2, 'll'),
  (5, 2, 'lr'), (6, 3, 'rl'), (7, 6, 'rll'), (8, null, 'other');
create table qs_edge (src int, dst int);
insert into qs_edge values (1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (5, 4);
create table qs_l (k int, v text);
insert into qs_l values (1, 'l1'), (2, 'l2'), (null, 'lnull'), (4, 'l4');
create table qs_r (k int, v text);
insert into qs_r values (2, 'r2'), (3, 'r3'), (null, 'rnull'), (4, 'l4');
create table qs_log (id int primary key, msg text);

-- test
-- correlated subqueries in every clause
select i.id, (select g.label from qs_grp g where g.name = i.grp) as label from qs_item i order by i.id;
select i.id, (select count(*) from qs_item j where j.grp = i.grp and j.id < i.id) as before from qs_item i order by i.id;
select i.id from qs_item i where i.val > (select avg(j.val) from qs_item j where j.grp = i.grp) order by i.id;
select grp, sum(val) from qs_item i group by grp having sum(val) > (select lim from qs_grp g where g.name = i.grp) order by grp;
select grp, count(*) from qs_item i group by grp having exists (select 1 from qs_grp g where g.name = i.grp) order by grp;
select id, grp from qs_item i order by (select g.label from qs_grp g where g.name = i.grp) nulls first, id;
select id from qs_item i order by (select count(*) from qs_item j where j.val > i.val) desc, id;
select g.name, (select max(i.val) from qs_item i where i.grp = g.name), (select array_agg(i.id order by i.id) from qs_item i where i.grp = g.name) from qs_grp g order by g.name;
select g.name, (select i.id from qs_item i where i.grp = g.name order by i.val desc nulls last, i.id limit 1) as top from qs_grp g order by 1;
select i.id, (select sum(j.val) from qs_item j where j.id <= i.id) as running from qs_item i where i.id <= 6 order by i.id;
select i.grp, (select count(*) from qs_grp g where g.name = i.grp) from qs_item i group by i.grp order by 1;
select id from qs_item i where (select count(*) from qs_item j where j.grp = i.grp) = 3 order by id;
select id, val from qs_item i where val = any (select val from qs_item j where j.id <> i.id) order by id;
select id from qs_item i where val >= all (select val from qs_item j where j.grp = i.grp and j.val is not null) order by id;
select id from qs_item i where val > all (select val from qs_item j where j.grp = 'zz') order by id;
-- EXISTS / NOT EXISTS / IN / NOT IN with NULLs
select k from qs_l where k in (select k from qs_r) order by k;
select v from qs_l where k not in (select k from qs_r) order by v;
select v from qs_l where k not in (select k from qs_r where k is not null) order by v;
select v from qs_l l where not exists (select 1 from qs_r r where r.k = l.k) order by v;
select v from qs_l l where exists (select 1 from qs_r r where r.k is not distinct from l.k) order by v;
select k, k in (select k from qs_r) as inr, k not in (select k from qs_r) as notinr from qs_l order by v;
select k, k = any (array[2, null]) as a1, k <> all (array[2, null]) as a2 from qs_l order by v;
select null::int in (select 1 where false), null::int not in (select 1 where false);
select 1 in (null, 1), 2 in (null, 1), 2 not in (null, 1);
select v from qs_l l where exists (select 1 from qs_r r where r.k > l.k having count(*) > 1) order by v;
select v from qs_l where (k, v) in (select k, v from qs_r) order by v;
select v from qs_l where (k, v) not in (select k, v from qs_r where k is not null) order by v;
select count(*) from qs_l where exists (select);
-- LATERAL
select g.name, t.id, t.val from qs_grp g cross join lateral (select id, val from qs_item i where i.grp = g.name order by val desc nulls last, id limit 2) t order by g.name, t.id;
select g.name, t.id from qs_grp g left join lateral (select id from qs_item i where i.grp = g.name order by id desc limit 1) t on true order by g.name;
select g.name, t.cnt, t.total from qs_grp g left join lateral (select count(*) as cnt, sum(val) as total from qs_item i where i.grp = g.name) t on true order by g.name;
select i.id, x.n from qs_item i, lateral (select n from generate_series(1, 3) n where n <= coalesce(i.val, 0) / 10) x where i.id <= 4 order by i.id, x.n;
select i.id, x.prev from qs_item i left join lateral (select j.id as prev from qs_item j where j.id < i.id order by j.id desc limit 1) x on x.prev % 2 = 0 order by i.id;
select a.n, b.m from generate_series(1, 3) a(n), lateral (select a.n * 10 as m union all select a.n * 100) b order by 1, 2;
select a.id, b.val2 from qs_item a join lateral (select a.val * 2 as val2) b on b.val2 > 30 order by a.id;
select * from qs_grp g, lateral (select g.lim + 1 as nxt) s, lateral (select s.nxt * 2 as dbl) d order by g.name;
-- FULL OUTER JOIN with USING, NATURAL joins
select * from qs_l full join qs_r using (k) order by k nulls first, 2 nulls first, 3 nulls first;
select k, l.v, r.v from qs_l l full outer join qs_r r using (k) where k is null or k > 1 order by k nulls first, l.v nulls first, r.v;
select coalesce(l.k, r.k) as k, l.v, r.v from qs_l l full join qs_r r on l.k = r.k and l.v <> 'l4' order by 1 nulls first, 2 nulls first, 3 nulls first;
select * from qs_l natural join qs_r;
select * from qs_l natural full join qs_r order by k nulls first, v;
select * from qs_l natural left join qs_r order by k nulls first, v;
select j.k, j.v from qs_l full join qs_r using (k, v) as j order by 1 nulls first, 2;
select count(*), count(l.k), count(r.k) from qs_l l full join qs_r r on l.k = r.k;
select l.v, r.v from qs_l l full join qs_r r on l.k = r.k and r.k > 2 order by 1 nulls first, 2 nulls first;
select * from qs_l l full join qs_r r on l.k < r.k;
select t1.k, t2.k from qs_l t1 right join qs_r t2 using (k) order by t2.v;
-- recursive CTEs
with recursive sub(id, name, depth, path) as (select id, name, 0, array[id] from qs_node where parent is null union all select n.id, n.name, s.depth + 1, s.path || n.id from qs_node n join sub s on n.parent = s.id) select * from sub order by path;
with recursive walk(src, dst, path, cyc) as (select src, dst, array[src, dst], false from qs_edge where src = 1 union all select e.src, e.dst, w.path || e.dst, e.dst = any (w.path) from qs_edge e join walk w on e.src = w.dst where not w.cyc) select path, cyc from walk order by path;
with recursive sub(id, parent, name) as (select id, parent, name from qs_node where id = 1 union all select n.id, n.parent, n.name from qs_node n join sub s on n.parent = s.id) search depth first by id set ord select id, name, ord from sub order by ord;
with recursive sub(id, parent, name) as (select id, parent, name from qs_node where id = 1 union all select n.id, n.parent, n.name from qs_node n join sub s on n.parent = s.id) search breadth first by id set ord select id, name, ord from sub order by ord;
with recursive walk(src, dst) as (select src, dst from qs_edge where src = 1 union all select e.src, e.dst from qs_edge e join walk w on e.src = w.dst) cycle dst set is_cycle using path select src, dst, is_cycle, path from walk order by path;
with recursive walk(src, dst) as (select src, dst from qs_edge where src = 4 union all select e.src, e.dst from qs_edge e join walk w on e.src = w.dst) cycle src, dst set looped to 'Y' default 'N' using trail select * from walk order by trail;
with recursive anc(id, parent) as (select id, parent from qs_node where id = 7 union all select n.id, n.parent from qs_node n join anc a on n.id = a.parent) select string_agg(id::text, '<' order by id desc) from anc;
with recursive cnt(n) as (values (1) union all select n + 1 from cnt where n < 5) select n, n * n from cnt order by n;
with recursive r(n, s) as (select 1, '1'::text union all select n + 1, s || ',' || (n + 1) from r where n < 4) select s from r order by n;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 3), u as (select n * 2 as m from t) select * from u order by m;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 3 order by 1) select * from t;
with recursive t(n) as (select n from t) select * from t;
with recursive t(n) as (select 1 union all select sum(n) from t) select * from t;
-- MATERIALIZED / NOT MATERIALIZED and data-modifying CTEs
with c as materialized (select id, val from qs_item where val > 10) select a.id, b.id from c a join c b on a.val = b.val and a.id < b.id order by 1, 2;
with c as not materialized (select id, val * 2 as v2 from qs_item) select id, v2 from c where id in (2, 4) order by id;
with ins as (insert into qs_log values (1, 'one'), (2, 'two') returning id, msg) select count(*), string_agg(msg, ',' order by id) from ins;
with ins as (insert into qs_log select id + 10, 'item ' || id from qs_item where grp = 'a' returning *) select i.id, i.msg, q.val from ins i join qs_item q on q.id = i.id - 10 order by i.id;
with up as (update qs_log set msg = upper(msg) where id < 10 returning id, msg) select * from up order by id;
with del as (delete from qs_log where id > 10 returning id) select array_agg(id order by id) from del;
with a as (insert into qs_log values (3, 'three') returning id), b as (insert into qs_log select id + 100, 'copy' from a returning id) select (select id from a), (select id from b);
select id, msg from qs_log order by id;
with moved as (delete from qs_log where id >= 100 returning *) insert into qs_log select id - 50, msg from moved returning id, msg;
-- GROUPING SETS / ROLLUP / CUBE with GROUPING()
select grp, tag, sum(val), grouping(grp, tag) as g from qs_item group by rollup (grp, tag) order by g, grp nulls last, tag nulls last;
select grp, tag, count(*), grouping(grp), grouping(tag) from qs_item group by cube (grp, tag) order by 4, 5, 1 nulls last, 2 nulls last;
select case when grouping(grp) = 1 then 'total' else coalesce(grp, '(none)') end as g, sum(val) from qs_item group by rollup (grp) order by 1;
select grp, tag, count(*) from qs_item group by grouping sets ((grp, tag), grp, ()) having count(*) > 1 order by 1 nulls last, 2 nulls last, 3;
select grp, extract(day from d) as dy, count(*) from qs_item group by grouping sets (grp, extract(day from d)) order by 1 nulls last, 2 nulls last;
select grp, sum(val), rank() over (partition by grouping(grp) order by sum(val) desc nulls last) from qs_item group by rollup (grp) order by grouping(grp), 3, grp;
select grp, tag, sum(amt) from qs_item group by grp, cube (tag) order by 1 nulls last, grouping(tag), 2 nulls last;
select grp, tag, count(*) from qs_item group by rollup ((grp, tag)) order by 1 nulls last, 2 nulls last;
select grouping(grp, tag, grp), count(*) from qs_item group by grouping sets ((grp), (tag)) order by 1, 2;
select grp, count(*) filter (where val > 10), array_agg(id order by id) from qs_item group by rollup (grp) order by grouping(grp), grp nulls last;
select grp from qs_item group by grp having grouping(grp) = 0 order by 1 nulls last;
select grouping(val) from qs_item group by grp;
select grp, grouping(grp) from qs_item;
-- window frames: RANGE offsets on numeric and date, GROUPS, EXCLUDE, named windows
select id, amt, sum(amt) over (order by amt range between 1 preceding and 0.5 following) from qs_item order by id;
select id, d, count(*) over (order by d range between '2 days' preceding and '1 day' following) from qs_item order by id;
select id, d, sum(id) over (order by d desc range between '3 days' preceding and current row), count(*) over (order by d desc range between current row and '2 days' following) from qs_item where d is not null order by id;
select id, val, sum(val) over (order by val nulls first range between 5 preceding and 5 following) from qs_item order by id;
select id, val, count(*) over (order by val groups between 1 preceding and 1 following) from qs_item order by id;
select id, val, sum(id) over (order by val groups between current row and 2 following exclude group) from qs_item order by id;
select id, val, sum(id) over (order by val rows between unbounded preceding and unbounded following exclude current row) from qs_item order by id;
select id, val, array_agg(id) over (order by val, id rows between 2 preceding and 2 following exclude ties) from qs_item order by id;
select id, val, array_agg(id order by id) over (order by val range between current row and current row exclude ties) from qs_item order by id;
select id, val, first_value(id) over w, last_value(id) over w from qs_item window w as (order by val, id rows between 1 preceding and 1 following) order by id;
select id, sum(val) over (w range unbounded preceding), count(*) over w from qs_item window w as (partition by grp order by id) order by id;
select id, rank() over w, row_number() over w from qs_item window w as (partition by grp order by val nulls last, id), w2 as (w) order by id;
select id, amt, avg(amt) over (order by amt range between unbounded preceding and current row)::numeric(8,3) from qs_item where amt is not null order by id;
select id, val, sum(val) over (order by val range between 5 following and 10 following) from qs_item order by id;
select id, val, count(*) over (order by val range between -1 preceding and current row) from qs_item;
select id, d, count(*) over (order by d range between 1 preceding and current row) from qs_item;
select id, count(*) over (order by grp, val range between 1 preceding and current row) from qs_item;
select id, count(*) over (rows between current row and unbounded preceding) from qs_item;
select id, count(*) over w from qs_item window w as (order by id), w as (order by val);
select id, count(*) over (w order by val) from qs_item window w as (order by id);
-- ranking and offset functions with defaults
select id, grp, ntile(3) over (partition by grp order by id), percent_rank() over (partition by grp order by val), cume_dist() over (partition by grp order by val) from qs_item order by id;
select id, nth_value(id, 2) over (order by id rows between unbounded preceding and unbounded following), nth_value(val, 3) over (order by id) from qs_item order by id;
select id, lag(val, 1, 0) over (order by id), lead(val, 2, -1) over (order by id), lag(amt, 3, 9.99) over (order by id) from qs_item order by id;
select id, lag(tag, 1, 'none') over (partition by grp order by id), lead(d, 1, date '2000-01-01') over (partition by grp order by id) from qs_item order by id;
select id, lag(val, 1, 1.5) over (order by id) from qs_item order by id;
select id, lag(id, id % 3) over (order by id), lead(id, null) over (order by id) from qs_item order by id;
select id, first_value(val) over (order by id rows between current row and unbounded following exclude current row) from qs_item order by id;
select ntile(null) over (order by id) from qs_item;
select id, lag(val, -1, 99) over (order by id) from qs_item order by id;
-- ordered-set and hypothetical-set aggregates
select grp, percentile_cont(array[0, 0.5, 1]) within group (order by val), percentile_disc(array[0.1, 0.9]) within group (order by val) from qs_item group by grp order by grp nulls last;
select percentile_cont(0.25) within group (order by amt desc), percentile_disc(0.5) within group (order by d) from qs_item;
select mode() within group (order by val), mode() within group (order by tag desc) from qs_item;
select grp, mode() within group (order by tag) from qs_item group by grp order by grp nulls last;
select rank(15) within group (order by val), dense_rank(15) within group (order by val), percent_rank(15) within group (order by val), cume_dist(15) within group (order by val) from qs_item;
select grp, rank(20, 'x') within group (order by val, tag) from qs_item group by grp order by grp nulls last;
select rank(null::int) within group (order by val nulls first), rank(10) within group (order by val desc) from qs_item;
select percentile_cont(array[0.5, null]) within group (order by val) from qs_item;
select percentile_disc(0.5) within group (order by val) from qs_item where false;
select percentile_cont(0.5) within group (order by tag) from qs_item;
select rank(1, 2) within group (order by val) from qs_item;
select mode(val) from qs_item;
-- FILTER and CASE in aggregates
select count(*) filter (where tag is null), sum(val) filter (where grp = 'a' or grp is null), array_agg(id order by id) filter (where val > 20) from qs_item;
select grp, sum(case when tag = 'x' then val else 0 end) as xs, count(case when val > 10 then 1 end) as big from qs_item group by grp order by grp nulls last;
select max(val) filter (where val < (select avg(val) from qs_item)) from qs_item;
select sum(val) filter (where id > 3) over (order by id) from qs_item order by id;
select count(*) filter (where sum(val) > 1) from qs_item;
-- DISTINCT ON with ORDER BY
select distinct on (grp) grp, id, val from qs_item order by grp nulls first, val desc nulls last, id;
select distinct on (tag, grp) tag, grp, id from qs_item order by tag nulls last, grp nulls last, id desc;
select distinct on (grp) grp, id from qs_item order by grp, id limit 2 offset 1;
select distinct on (val % 10) val % 10 as r, id from qs_item where val is not null order by val % 10, id desc;
select distinct on (grp) id from qs_item order by id;
-- set operations with parentheses, ORDER BY and LIMIT
(select id from qs_item where grp = 'a' union all select id from qs_item where grp = 'b') except (select id from qs_item where val = 5) order by 1;
select val from qs_item intersect all select val from qs_item where id > 4 order by 1 nulls first;
select val from qs_item except all select val from qs_item where grp = 'c' order by 1 nulls last;
(select id, val from qs_item order by val desc nulls last, id limit 3) union (select id, val from qs_item order by id limit 2) order by id;
select grp from qs_item union select name from qs_grp order by 1 nulls first limit 3 offset 1;
select 1 as x union all (select 2 intersect select 2) order by x desc;
(select 1 as x union all select 2) intersect (select 2 union all select 3);
select k from qs_l union all select k from qs_r except select 4 order by k nulls first;
select k, v from qs_l union select k, v from qs_r order by 2 desc limit 3;
select * from ((select 1 as a) union (select 2)) s(b) order by b;
select id from qs_item union select id from qs_item order by id + 1;
select 1 union select 2 order by nosuch;
select 1 as a intersect select 1, 2;
-- VALUES lists as tables with aliases
select v.* from (values (1, 'one', date '2024-01-01'), (2, 'two', null)) as v(n, word, day) order by n;
select x.a, y.b from (values (1), (2)) x(a) join (values (2, 'b'), (3, 'c')) y(a2, b) on y.a2 = x.a;
select * from (values (1, 2), (3, 4)) v(a) order by a;
select n, sum(n) over () from (values (1), (2), (3)) t(n) order by n;
select * from qs_item where (grp, val) in (values ('a', 10), ('b', 5), ('c', null)) order by id;
select * from (values (1, 2)) v(a, b, c);
-- ORDER BY NULLS FIRST/LAST, USING, LIMIT ALL, OFFSET, FETCH WITH TIES
select id, val from qs_item order by val using >, id using <;
select id, tag from qs_item order by tag using < nulls first, id;
select id, val from qs_item order by val desc nulls first, id limit all;
select id from qs_item order by id limit all offset 7;
select id from qs_item order by id offset 2 rows fetch first 3 rows only;
-- unordered
select id, val from qs_item order by val nulls first fetch first 3 rows with ties;
-- unordered
select id, grp from qs_item order by grp desc nulls last offset 3 fetch next 2 rows with ties;
select id from qs_item order by id fetch first row only;
select id from qs_item fetch first 2 rows with ties;
select id from qs_item order by val using ~~;
-- row constructors and row comparisons
select id from qs_item where (val, id) > (15, 7) order by id;
select id from qs_item where (grp, val) <= ('a', 20) order by id;
select row(1, 2) < row(1, 3), row(1, null) = row(1, 2), row(1, null) is null, row(null, null) is null, row(1, null) is not null;
select (1, 'a') = (1, 'a'), (1, 2, 3) <> (1, 2, 4), (1, null) < (2, null), (2, null) < (2, 3);
select row(1, 2) is distinct from row(1, null), row(1, null) is not distinct from row(1, null);
select id, (val, amt) from qs_item where id <= 3 order by id;
select (1, 2) = (1, 2, 3);
select (1, 'a') < (2, 3);
select id from qs_item where (id, id) = (select 1, 2);
select id from qs_item where (id, val) = (select id, val from qs_item where id = 4);
-- IS DISTINCT FROM, COALESCE/NULLIF/GREATEST/LEAST with mixed types
select id, val is distinct from 5, tag is not distinct from null from qs_item order by id;
select l.v, r.v from qs_l l join qs_r r on l.k is not distinct from r.k order by 1, 2;
select coalesce(val, amt, 0), coalesce(null, 1, 2.5), coalesce(tag, grp, 'none') from qs_item order by id;
select nullif(val, 5), nullif(tag, 'x'), nullif(1, 1.0), nullif(2.5, 2) from qs_item order by id;
select greatest(val, amt, 3), least(val, amt), greatest(d, date '2024-01-05'), least('b', tag) from qs_item order by id;
select greatest(1, 2.5, 3::int8), least(1::int2, 2::int8), greatest(null, null), pg_typeof(greatest(1, 2.5));
select coalesce(1, 'a');
select greatest(1, 'x'::text);
select coalesce(val, 'x') from qs_item;
-- scalar subquery errors and grouping errors
select (select val from qs_item where grp = 'a');
select id, (select id from qs_item j where j.grp = i.grp) from qs_item i order by id;
select i.id, (select j.id from qs_item j where j.grp = i.grp) from qs_item i order by i.id;
select i.id, (select j.id from qs_item j where j.grp = i.grp) from qs_item i where i.id = 9;
select (select 1, 2);
select id, count(*) from qs_item;
select grp, val from qs_item group by grp;
select grp, (select val) from qs_item group by grp;
select grp from qs_item group by grp order by val;
select grp, count(*) over (order by val) from qs_item group by grp;
select id from qs_item where sum(val) > 1;
select sum(val) from qs_item group by sum(val);
select count(max(val)) from qs_item;
-- TABLESAMPLE
select count(*) from qs_item tablesample bernoulli (100);
-- more shapes: outer-level aggregates, forward CTE references, grouping set forms
select (select sum(i.val)) from qs_item i;
select i.grp, (select max(i.val) from qs_grp g where g.name = i.grp) from qs_item i group by i.grp order by 1 nulls last;
select (select count(*) filter (where j.val > i.val) from qs_item j) as c from qs_item i where i.id <= 3 order by c;
with recursive a as (select * from b), b as (select 1 as x) select * from a;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) select * from t where n in (select n from t where n > 1) order by n;
select grp, tag, count(*) from qs_item group by distinct rollup (grp, tag), rollup (grp) order by 1 nulls last, 2 nulls last, 3;
select grp, tag, count(*) from qs_item group by grouping sets (rollup (grp), cube (tag)) order by 1 nulls last, 2 nulls last, 3;
select count(*) from qs_item group by ();
select grp, count(*) from qs_item group by grp, () order by 1 nulls last;
select distinct grp from qs_item order by val;
select string_agg(distinct tag, ',' order by id) from qs_item;
select array_agg(id order by id) over (order by id) from qs_item;
select id, count(*) over (groups between 1 preceding and current row) from qs_item;
select id, count(*) over (order by tag range between 1 preceding and current row) from qs_item;
select id from qs_item group by grp having val > 1;
select grp, count(*) from qs_item group by grp for update;
select a + 1 as x from (values (1), (2)) t(a) order by x + 1;
select a + 1 as x, count(*) from (values (1), (2), (1)) t(a) group by x order by x;
select id, row_number() over (order by val desc nulls last, id) from qs_item order by row_number() over (order by val desc nulls last, id) limit 4;
select x from (values (3), (1), (2) order by 1 limit 2) v(x) order by x;
select 1 union select 2 intersect select 2 order by 1;
select * from qs_l natural join qs_grp;
select v from qs_l where (k, v) in ((1, 'l1'), (4, 'l4'), (null, 'lnull')) order by v;
select v from qs_l where k = any (array(select k from qs_r)) order by v;
select v from qs_l where exists (select 1 from qs_r limit 0);
select v from qs_l where k in (select k from qs_r order by k desc nulls last limit 1);
select id, val, val - lag(val) over w as delta, sum(val) over (w rows unbounded preceding) from qs_item window w as (order by id) order by id;
select id, max(val) over (partition by grp order by id rows between 1 preceding and 1 following exclude current row) from qs_item order by id;
select grp, val, rank() over (partition by grp order by val), dense_rank() over (partition by grp order by val desc) from qs_item where val is not null order by grp nulls last, val, 3, 4;
select l.v, x.v from qs_l l left join lateral (select r.v from qs_r r where r.k > l.k order by r.k limit 1) x on true order by 1;
select l.v, (select string_agg(r.v, ',' order by r.v) from qs_r r where r.k <> l.k) from qs_l l order by 1;
select count(*) from qs_l l where not exists (select 1 from qs_r r where r.k = l.k) and l.k is not null;
select * from (select grp, sum(val) as s from qs_item group by grp) t where s > (select avg(val) from qs_item) order by 1;
select grp, sum(val) from qs_item group by grp having sum(val) > all (select lim from qs_grp where lim > 0) order by 1 nulls last;
select id from qs_item where val = (select val from qs_item where id = 99);
select id, greatest(id, val, 20) filter_alias from qs_item where least(id, val) > 4 order by id;
select percentile_cont(0.5) within group (order by val) over () from qs_item;
select rank(3) within group (order by val) over () from qs_item;
select grp, percentile_disc(0.5) within group (order by val) filter (where tag is not null) from qs_item group by rollup (grp) order by grouping(grp), grp nulls last;
with w as (select id, val from qs_item where val is not null) select a.id, b.id from w a join w b on b.val = (select min(val) from w c where c.val > a.val) order by 1, 2;
-- shapes ORMs emit
select g.name, g.label, count(i.id) from qs_grp g left join qs_item i on i.grp = g.name group by g.name order by g.name;
select g.name, g.label, count(i.id) from qs_grp g left join qs_item i on i.grp = g.name group by g.label order by g.label;
select 1 as one from qs_item where grp = 'a' limit 1;
select exists (select 1 as a from qs_item u0 where u0.val > 20 limit 1) as e;
select u0.id from qs_item u0 where u0.id in (select v0.id from qs_item v0 where v0.grp in (select w0.name from qs_grp w0 where w0.lim > 5)) order by u0.id;
select * from (select id, val, count(*) over () as total, row_number() over (order by id) as rn from qs_item) anon_1 where rn between 3 and 5 order by rn;
select g.name, coalesce((select sum(i.val) from qs_item i where i.grp = g.name), 0) as total from qs_grp g order by g.name;
select g.name, case when exists (select 1 from qs_item i where i.grp = g.name and i.tag = 'x') then 'has x' else 'none' end from qs_grp g order by g.name;
select g.name, (select json_agg(t order by t.id) from (select i.id, i.val from qs_item i where i.grp = g.name) t) from qs_grp g order by g.name;
select g.name, array(select i.id from qs_item i where i.grp = g.name order by i.id desc) from qs_grp g order by g.name;
select g.name, items.data from qs_grp g left join lateral (select coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'val', i.val) order by i.id), '[]'::jsonb) as data from qs_item i where i.grp = g.name) items on true order by g.name;
select to_jsonb(s) from (select id, grp, amt from qs_item where id <= 2 order by id) s;
select row_to_json(s) from (select g.name, (select count(*) from qs_item i where i.grp = g.name) as n from qs_grp g order by g.name) s;
select grp, count(*), rank() over (order by count(*) desc, grp) from qs_item where grp is not null group by grp order by 3;
select id, val from qs_item where val between symmetric 20 and 10 order by id;
select id, (val > 10) is true, (val > 10) is unknown, (val > 10) is not false from qs_item order by id;
select case when val > 10 then (select label from qs_grp where name = 'a') else (select label from qs_grp where name = 'b') end from qs_item order by id;
select (select val from qs_item where id = 99) + 1, coalesce((select val from qs_item where id = 99), -1);
select grp, array_agg(distinct tag) filter (where tag is not null) from qs_item group by grp order by grp nulls last;
select distinct on (grp) grp, id, val from qs_item where val is not null order by grp nulls last, val desc, id limit 2;
(select id from qs_item where grp = 'a' order by id desc limit 2) union all (select id from qs_item where grp = 'b' order by id limit 1) order by 1 desc;
select count(*) over (), id from qs_item order by id offset 8;
select i.id from qs_item i where not exists (select 1 from qs_grp g where g.name = i.grp) and i.grp is not null order by 1;
update qs_log set msg = msg || '?' where id in (select id from qs_log order by id limit 1) returning id, msg;
delete from qs_log l where exists (select 1 from qs_item i where i.id = l.id and i.grp = 'a') returning l.id;
with src(id, msg) as (values (60, 'sixty'), (61, 'sixty-one')) insert into qs_log select * from src returning *;
with upd as (update qs_log set msg = 'x' where id = 60 returning id) delete from qs_log where id in (select id + 1 from upd);
select id, msg from qs_log order by id;
select id from qs_item order by grp using <, id using >;
select id, count(*) over (order by val using > range between 5 preceding and current row) from qs_item order by id;
-- window frames, more set operations, recursion and grouping errors
select id, amt, sum(amt) over (order by amt desc range between 1 preceding and 0.5 following) from qs_item order by id;
select id, val, count(*) over (order by val desc nulls last range between 5 preceding and 5 following), count(*) over (order by val nulls first range between unbounded preceding and 5 following) from qs_item order by id;
select id, d, count(*) over (order by d desc nulls first range between '1 day' preceding and '2 days' following) from qs_item order by id;
select id, val, array_agg(id) over (order by val, id groups between 1 preceding and 1 following exclude ties) from qs_item order by id;
select id, val, count(*) over (order by val groups between 0 preceding and 0 following), sum(id) over (order by val rows between 0 preceding and 0 following) from qs_item order by id;
select id, val, first_value(id) over (order by val range between current row and unbounded following), last_value(id) over (order by val nulls first, id groups between unbounded preceding and current row) from qs_item order by id;
select id, nth_value(id, 2) over (order by id rows between unbounded preceding and unbounded following exclude current row) from qs_item order by id;
select distinct count(*) over (partition by grp) from qs_item order by 1;
select id, sum(val) over (order by id rows between -1 preceding and current row) from qs_item;
select id, sum(val) over (order by id rows between null preceding and current row) from qs_item;
select id, sum(val) over (order by val groups between 1 preceding and -1 following) from qs_item;
select id, sum(val) over (w rows between 1 preceding and current row) from qs_item window w as (order by id rows unbounded preceding);
select id, sum(val) over (w partition by grp) from qs_item window w as (order by id);
select id, count(*) over (order by tag range between 'a' preceding and current row) from qs_item;
select grp, count(*) from qs_item group by grp having rank() over (order by grp) > 1;
select 1 as x union select 2::int8 union select 2.5 order by 1;
select pg_typeof(x) from (select null as x union select null) s;
values (1) union all values (2) order by 1 desc;
select 1 as a union select 2 order by 3;
select id from qs_item union select id from qs_item for update;
select val from qs_item intersect all select val from qs_item except all select 15 order by 1 nulls first;
select x from (values (1), (1), (null), (null), (2)) t(x) except all select x from (values (1), (null)) u(x) order by 1 nulls first;
with recursive t(n) as (select 1 union all select n + 1.5 from t where n < 4) select * from t;
with recursive t(n) as (select 1 union all select t.n + 1 from qs_item left join t on true where t.n < 3) select * from t;
with recursive t(n) as (select 1 union all select n + 1 from t where n < (select max(n) from t)) select * from t;
with recursive t(n) as (select 1 union all select a.n + b.n from t a, t b where a.n < 3) select * from t;
with recursive walk(src, dst, label) as (select src, dst, 'e' || src from qs_edge where src = 3 union all select e.src, e.dst, 'e' || e.src from qs_edge e join walk w on e.src = w.dst) cycle src, dst set seen to 'yes' default 'no' using trail search breadth first by src, dst set ord select src, dst, label, seen, ord from walk order by ord, seen;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) search depth first by x set s select * from t;
with recursive t(n) as (select 1 union all select n + 1 from t where n < 3) cycle n set c using c select * from t;
with t(n) as (select 1) search depth first by n set s select * from t;
select id, val from qs_item where val in (select amt from qs_item where amt > 2) order by id;
select id from qs_item where val = any (select val from qs_item where id in (3, 9)) order by id;
select v from qs_l where (k, v) not in (select k, v from qs_r) order by v;
select i.id, (select g.label from qs_grp g order by g.lim desc limit 1) from qs_item i where i.id < 3 order by i.id;
select g.name from qs_grp g where exists (select 1 from qs_item i where i.grp = g.name group by i.grp having sum(i.val) > g.lim) order by 1;
select i.id, g.name from qs_item i join qs_grp g on g.lim = (select max(lim) from qs_grp where name = i.grp) order by 1;
select i.id from qs_item i where case when i.val > 10 then exists (select 1 from qs_grp g where g.name = i.grp) else false end order by 1;
select i.id, (select (select i.val + g.lim) from qs_grp g where g.name = i.grp) from qs_item i order by i.id;
select grp as val, count(*) from qs_item group by val;
select grp as val from qs_item order by val nulls first, id;
select grp, tag, count(*) from qs_item group by 1, grouping sets ((tag), ()) order by 1 nulls last, 2 nulls last, 3;
select grp, count(*) from qs_item group by rollup (grp) having grouping(grp) = 1 or count(*) > 3 order by 1 nulls last;
select count(distinct val) filter (where grp <> 'c'), sum(distinct val) filter (where id > 2) from qs_item;
select count(distinct val, tag) from qs_item;
select id, sum(val) over (partition by grp order by id) from qs_item group by id order by id;
create view qs_rowcmp as select * from qs_l where (k, v) = (select 1, 'l1') or (k, v) < (select 2, 'b') or (k) = (select 4);
select pg_get_viewdef('qs_rowcmp');
select * from qs_rowcmp order by v;
with src as (select id from qs_item where grp = 'b') update qs_log set msg = 'from b' where id in (select id + 55 from src) returning id, msg;
with gone as (select 53 as id) delete from qs_log where id in (select id from gone) returning id;
with recursive up(id, parent) as (select id, parent from qs_node where id = 5 union all select n.id, n.parent from qs_node n join up on n.id = up.parent) update qs_log set msg = 'tree' where id in (select id + 59 from up) returning id;
