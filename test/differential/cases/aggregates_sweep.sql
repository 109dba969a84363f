-- Aggregates, window functions and grouping sets (regression sweep): NaN and infinite inputs,
-- bit-string aggregates, ordered-set and hypothetical-set aggregates and their errors,
-- outer-level aggregates with FILTER / ORDER BY, set-returning calls over aggregates, moving
-- window aggregates, RANGE frames over infinities, frame errors, nested grouping sets, and
-- pg_get_viewdef of views with grouping sets and ordered aggregates.
-- setup
create table as_orders (id int primary key, shop text, item text, qty int, price numeric(8,2),
  placed date, rush bool);
insert into as_orders
  select n,
         (array['ash', 'birch', 'cedar'])[(n % 3) + 1],
         (array['nail', 'screw', 'bolt', 'rivet'])[(n % 4) + 1],
         case when n % 9 = 0 then null else (n * 11) % 13 + 1 end,
         ((n * 37) % 500) / 10.0 + 0.5,
         date '2023-03-01' + (n * 5) % 90,
         case when n % 8 = 0 then null else n % 3 = 0 end
  from generate_series(1, 36) n;
create table as_pts (k int, x float8, y float8);
insert into as_pts values (1, 1, 3), (2, 2, 4.5), (3, 4, 6), (4, 5, 9.5), (5, null, 1),
  (6, 7, null), (7, 8, 12);
create table as_vals (id int, f float8, n numeric);
insert into as_vals values (0, '-infinity', '-infinity'), (1, -2, -2), (2, 0, 0),
  (3, 1.5, 1.5), (4, 3, 3), (5, 50, 50), (6, 'infinity', 'infinity'), (7, 'NaN', 'NaN');
create table as_staff (dept text, empno int primary key, pay int, hired date);
insert into as_staff values ('ops', 1, 4100, '2019-05-01'), ('ops', 2, 4700, '2020-02-10'),
  ('ops', 3, 5300, '2021-07-19'), ('dev', 4, 6100, '2018-11-30'), ('dev', 5, 5900, '2020-06-01'),
  ('dev', 6, 7200, '2022-01-15'), ('hr', 7, 3900, '2019-09-09'), ('hr', 8, 4300, '2023-03-03');
create table as_bits (b bit(4));
insert into as_bits values (B'1100'), (B'1010'), (B'0110');
create view as_v_sets as
  select shop, item, count(*), sum(qty) from as_orders
  group by grouping sets ((shop, item), (shop), ()), rollup (rush, (shop, item)), cube (item);
create view as_v_rollup as
  select shop, grouping(shop) as g, count(*) filter (where qty > 5) as big,
    percentile_cont(0.5) within group (order by qty) as med,
    string_agg(item, ',' order by lower(item), id) as items
  from as_orders group by rollup (shop);
create view as_v_osa as
  select percentile_disc(0.5) within group (order by price),
    percentile_cont(array[0.25, 0.75]) within group (order by qty::float8),
    mode() within group (order by upper(shop)), rank(10) within group (order by qty desc),
    array_agg(qty order by qty::numeric desc, id) as qtys
  from as_orders where id <= 12;

-- test
-- numeric NaN and infinity in variance and friends
select var_pop('nan'::numeric), var_samp('nan'::numeric), stddev_pop('nan'::numeric), stddev_samp('nan'::numeric);
select var_pop(n), var_samp(n), stddev(n) from as_vals where id in (3, 6);
select sum(n), avg(n), variance(n) from as_vals where id in (0, 6);
select sum(n), avg(n), var_pop(n) from as_vals where id between 1 and 5;
select var_pop(f), stddev_samp(f) from as_vals where id in (3, 4, 6);
select variance(n), stddev(n) from as_vals where id = 7;
-- bit-string aggregates
select bit_and(b), bit_or(b), bit_xor(b) from as_bits;
select bit_or(b) from as_bits where false;
select bit_and(x) from (values (B'101'), (B'1')) v(x);
-- ordered-set and hypothetical-set aggregates
select rank(x) within group (order by x) from generate_series(1, 4) x;
select count(*) within group (order by id) from as_orders;
select string_agg(item, ',') within group (order by item) from as_orders;
select lower(shop) within group (order by shop) from as_orders;
select shop, rank(length(shop)) within group (order by qty nulls first) from as_orders group by shop order by shop;
select grouping(shop), shop, rank(shop) within group (order by item) from as_orders group by rollup (shop) order by shop;
select shop, percentile_disc(0.5) within group (order by qty) from as_orders group by rollup (shop) order by shop;
select percentile_cont(array[0, 0.3, 1]) within group (order by qty), percentile_disc(array[0.2, 0.8]) within group (order by placed) from as_orders;
select mode() within group (order by item), rank(7, 'nail') within group (order by qty, item) from as_orders;
-- outer-level aggregates: the level of FILTER and ORDER BY counts too
select (select count(*) filter (where o.qty > 5) from (values (1), (2)) t(z)) from as_orders o;
select (select count(t.z) filter (where o.qty > 5) from (values (1), (2)) t(z)) from as_orders o where o.id <= 3 order by o.id;
select (select sum(o.qty) filter (where o.qty > 10) from (values (1)) t(z)) from as_orders o;
select (select string_agg(o.item, '/' order by o.id) from (values (1)) t(z)) from as_orders o where o.id <= 5;
select (select max((select o.id where o.qty > 3)) filter (where o.id < 20) from (values (1)) t(z)) from as_orders o;
select shop, (select grouping(shop) from (values (1)) t(z)) as g from as_orders group by rollup (shop) order by shop;
-- set-returning calls over aggregates and windows
select unnest(array_agg(id order by id desc)) from as_orders where id <= 4;
select shop, unnest(array_agg(qty order by id)) as q from as_orders where id <= 7 group by shop order by shop, q;
select generate_series(1, max(qty)) from as_orders where id <= 3;
select unnest(array[count(*), sum(qty)]) from as_orders;
select id, generate_series(1, row_number() over (order by id)::int) as s from as_orders where id <= 3 order by id, s;
select id, generate_series(1, id) as s from as_orders where id <= 3 group by id order by id, s;
-- GROUP BY errors
select count(*) from as_orders group by 1;
select row_number() over () from as_orders group by 1;
select count() from as_orders;
select count() over () from as_orders;
-- moving window aggregates
select id, sum(n) over (order by id rows between current row and 1 following) from as_vals order by id;
select id, avg(n) over (order by id rows between 1 preceding and current row) from as_vals where id between 1 and 6 order by id;
select id, var_pop(qty) over (order by id rows between 2 preceding and current row) from as_orders where id <= 10 order by id;
select id, stddev_samp(qty::numeric) over (order by id rows between current row and 3 following) from as_orders where id <= 10 order by id;
select id, avg(qty::int8) over (order by id rows between current row and unbounded following) from as_orders where id between 5 and 12 order by id;
select id, sum(price::money) over (order by id rows between 1 preceding and 1 following) from as_orders where id <= 6 order by id;
select id, count(qty) over (order by id rows between 2 preceding and 2 following exclude current row) from as_orders where id <= 10 order by id;
select id, string_agg(item, ',') over (order by id rows between 1 preceding and 1 following exclude ties) from as_orders where id <= 5 order by id;
-- RANGE frames over infinities, NaN offsets and frame errors
select id, f, first_value(id) over w, last_value(id) over w from as_vals window w as (order by f range between 'inf' preceding and 'inf' following) order by id;
select id, n, first_value(id) over w, last_value(id) over w from as_vals window w as (order by n range between 'inf' preceding and 'inf' following) order by id;
select id, n, count(*) over w from as_vals window w as (order by n desc range between 'inf' preceding and 1 following) order by id;
select id, f, count(*) over w from as_vals window w as (order by f range between 1 preceding and 'inf' following exclude current row) order by id;
select id, f, first_value(id) over (order by f range between 1 preceding and 'nan' following) from as_vals;
select id, n, first_value(id) over (order by n range between 'nan' preceding and 1 following) from as_vals;
select id, sum(id) over (order by id rows 1 following) from as_vals;
select id, sum(id) over (order by id rows between 1.4 preceding and current row) from as_vals order by id;
select id, sum(id) over (order by id groups between 0.6 preceding and 0.4 following) from as_vals order by id;
-- grouping sets, nested and empty
select sum(qty) from as_orders group by grouping sets (shop, grouping sets (shop, cube (item))) order by 1 desc;
select sum(qty) from as_orders group by grouping sets ((), grouping sets ((), grouping sets (()))) order by 1;
select shop, item, sum(qty) from as_orders group by grouping sets ((shop, (shop, item)), shop) order by 1, 2, 3;
select shop, sum(qty), count(*) from as_orders where false group by grouping sets ((shop), (), ());
select shop, rush, count(*), grouping(shop, rush) from as_orders group by cube (shop, rush) having count(*) > 4 order by 4, 1, 2;
-- views: grouping sets and ordered aggregates printed back
select pg_get_viewdef('as_v_sets');
select pg_get_viewdef('as_v_rollup');
select pg_get_viewdef('as_v_osa');
select * from as_v_rollup order by shop;
select * from as_v_osa;
select count(*), sum(count) from as_v_sets;
-- statistics aggregates
select regr_count(y, x), regr_sxx(y, x), regr_syy(y, x), regr_sxy(y, x), regr_avgx(y, x), regr_avgy(y, x) from as_pts;
select regr_slope(y, x)::numeric(12, 8), regr_intercept(y, x)::numeric(12, 8), regr_r2(y, x)::numeric(12, 8), corr(y, x)::numeric(12, 8) from as_pts;
select covar_pop(y, x)::numeric(12, 8), covar_samp(y, x)::numeric(12, 8) from as_pts;
select corr(y, x), regr_slope(y, x), regr_r2(y, x) from as_pts where k = 1;
select regr_slope(y, x), regr_r2(y, x) from (values (1.0::float8, 2.0::float8), (1.0, 3.0)) v(x, y);
-- windows over staff: peers, named windows, frames
select empno, pay, sum(pay) over (order by hired range between interval '1 year' preceding and interval '1 year' following) from as_staff order by empno;
select empno, dept, rank() over w, pay - avg(pay) over (partition by dept) > 0 as above from as_staff window w as (partition by dept order by pay desc) order by empno;
select empno, lag(pay, 1, 0) over w, lead(pay, 2, -1) over w, nth_value(empno, 2) over (w rows between unbounded preceding and unbounded following) from as_staff window w as (order by empno) order by empno;
select dept, sum(pay), rank() over (order by sum(pay) desc), sum(sum(pay)) over () from as_staff group by dept order by 3;
select empno, ntile(3) over (order by pay), cume_dist() over (order by pay), percent_rank() over (order by pay) from as_staff order by empno;
-- float overflow in the running sums of variance and regression
select var_pop(x) from (values (1e200::float8), (-1e200::float8)) v(x);
select corr(y, x) from (values (1e200::float8, 1::float8), (2e200, 2)) v(x, y);
select regr_syy(y, x) from (values (1::float8, 1e300::float8), (2, -1e300)) v(x, y);
select var_samp(x), covar_pop(x, x) from (values ('infinity'::float8), (1::float8)) v(x);
-- types without equality or ordering operators
select count(distinct j) from (values ('{"a":1}'::json)) v(j) where false;
select array_agg(x order by j) from (values (1, '{}'::json)) v(x, j);
select percentile_disc(0.5) within group (order by j) from (values ('[]'::json)) v(j);
select count(*) over (partition by j) from (values ('{}'::json)) v(j);
select count(*) over (order by p) from (values (point(1, 2))) v(p);
select count(*) from (values (box '(1,1),(0,0)')) v(b) group by b;
select count(*) from (values ('{}'::json)) v(b) group by rollup (b);
select count(distinct j::jsonb), count(distinct p::text) from (values ('{"a":1}'::json, point(1, 2))) v(j, p);
-- nested implicit rows in a grouping set flatten
select shop, item, count(*) from as_orders where id <= 9 group by grouping sets ((shop, (shop, item))) order by 1, 2;
-- set-returning calls and window functions where they are not allowed
select sum(generate_series(1, 3));
select max(generate_series(1, qty)) over () from as_orders;
select count(*) filter (where row_number() over () > 1) from as_orders;
select percentile_disc(0.5) within group (order by qty) filter (where rank() over () > 0) from as_orders;
select string_agg(item, ',' order by generate_series(1, 2)) from as_orders;
-- columns determined by a primary key common to every grouping set
select empno, dept, pay, grouping(empno, dept) from as_staff group by grouping sets ((empno, dept), (empno)) order by 1, 4;
select empno, hired, count(*) from as_staff group by empno, rollup (dept) order by 1, 3;
select empno, pay from as_staff group by rollup (empno) order by 1;
-- equal aggregate calls in ORDER BY and the select list under DISTINCT
select distinct shop, count(*) from as_orders group by shop order by count(*), shop;
select distinct shop, max(qty) filter (where rush) from as_orders group by shop order by max(qty) filter (where rush), shop;
-- ntile reads its argument once per partition, from its first row
select empno, ntile(empno) over (order by empno) from as_staff order by empno;
select empno, ntile(case when empno < 3 then null else 3 end) over (order by empno) from as_staff order by empno;
select dept, empno, ntile(empno) over (partition by dept order by empno desc) from as_staff order by dept, empno;

-- A set-returning call that is a grouping key runs below the grouping, on the scan's rows
create table srf_words (s text);
insert into srf_words values ('a b'), ('b c'), (null);
select regexp_split_to_table(s, ' ') as w, count(1) from srf_words group by w order by 1;
select generate_series(1, 2) as g, count(*) from srf_words group by g order by 1;
select unnest(array[s]) u, count(*) from srf_words group by 1 order by 1;
select unnest(string_to_array(s, ' ')) as w, count(*) from srf_words group by w having count(*) > 1 order by w;
select unnest(array_agg(s order by s)) from srf_words;
drop table srf_words;
