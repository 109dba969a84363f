-- Aggregates and grouping: GROUP BY expressions/ordinals, GROUPING SETS, ROLLUP, CUBE, HAVING,
-- every common aggregate, FILTER, ORDER BY inside aggregates, ordered-set aggregates.
-- setup
create table ag_sales (id int primary key, region text, product text, qty int, price numeric(8,2), sold date, returned bool, rating float8);
insert into ag_sales
  select g,
         (array['north', 'south', 'east', 'west'])[(g % 4) + 1],
         (array['widget', 'gadget', 'gizmo'])[(g % 3) + 1],
         case when g % 11 = 0 then null else (g * 37) % 20 + 1 end,
         ((g * 53) % 1000) / 10.0 + 0.99,
         date '2024-01-01' + (g * 13) % 180,
         case when g % 7 = 0 then null else g % 5 = 0 end,
         case when g % 13 = 0 then null else ((g * 29) % 40) / 4.0 end
  from generate_series(1, 120) g;
create table ag_empty (x int, y text);

-- test
select count(*), count(qty), count(distinct region), count(distinct qty), count(returned) from ag_sales;
select sum(qty), sum(price), avg(qty), avg(price), min(price), max(price), min(sold), max(sold) from ag_sales;
select sum(rating), avg(rating), min(rating), max(rating), sum(qty::int8), avg(qty::float8) from ag_sales;
select count(*), sum(x), avg(x), min(y), max(x), bool_and(x > 0), array_agg(x), string_agg(y, ','), jsonb_agg(x) from ag_empty;
select region, count(*), sum(qty), round(avg(qty), 3) from ag_sales group by region;
select region, product, count(*) from ag_sales group by region, product;
select product, count(*) from ag_sales group by 1;
select upper(region) as r, count(*) from ag_sales group by upper(region);
select extract(month from sold) as m, sum(qty) from ag_sales group by 1;
select qty % 3 as bucket, count(*) from ag_sales where qty is not null group by qty % 3;
select returned, count(*) from ag_sales group by returned;
select region, sum(qty) from ag_sales group by region having sum(qty) > 300;
select region, count(*) from ag_sales group by region having count(*) > 100;
select count(*) from ag_sales having count(*) > 0;
select 1 from ag_sales having false;
select region, max(price) - min(price) as spread from ag_sales group by region having min(price) < 10;
select region, product from ag_sales group by region, product having count(distinct qty) = count(qty) and count(*) > 9;
select sum(qty) filter (where region = 'north'), count(*) filter (where returned), avg(price) filter (where qty > 10) from ag_sales;
select region, count(*) filter (where product = 'widget') as widgets, sum(qty) filter (where sold < '2024-03-01') as early from ag_sales group by region;
select bool_and(returned), bool_or(returned), every(qty > 0), bool_and(qty > 100) from ag_sales;
select region, bool_or(returned), every(price > 1) from ag_sales group by region;
select array_agg(id order by id) from ag_sales where id <= 10;
select array_agg(qty order by qty desc nulls first, id) from ag_sales where id between 5 and 15;
select array_agg(distinct region order by region), array_agg(distinct product) from ag_sales;
select string_agg(product, '|' order by id desc) from ag_sales where id <= 6;
select region, string_agg(distinct product, ',' order by product) from ag_sales group by region;
select string_agg(id::text, ',' order by price, id) filter (where qty > 18) from ag_sales;
select jsonb_agg(id order by id), json_agg(region order by id) from ag_sales where id <= 5;
select jsonb_object_agg(product, total) from (select product, sum(qty) as total from ag_sales group by product) s;
select jsonb_object_agg(id, qty order by id) from ag_sales where id <= 4;
select region, jsonb_agg(jsonb_build_object('id', id, 'qty', qty) order by id) from ag_sales where id <= 8 group by region;
select stddev(qty), stddev_samp(qty), stddev_pop(qty), variance(qty), var_samp(qty), var_pop(qty) from ag_sales;
select round(stddev(price), 6), round(variance(price), 6), round(stddev_pop(price), 6) from ag_sales;
select stddev(x), variance(x) from (values (1)) t(x);
select region, round(stddev(qty), 4), round(var_pop(qty), 4) from ag_sales group by region;
select corr(qty, price)::numeric(10, 6), covar_pop(qty, id)::numeric(12, 4), regr_slope(qty, id)::numeric(10, 6), regr_count(qty, price) from ag_sales;
select percentile_cont(0.5) within group (order by qty), percentile_disc(0.5) within group (order by qty) from ag_sales;
select percentile_cont(array[0.25, 0.5, 0.75]) within group (order by price), percentile_disc(0.9) within group (order by price desc) from ag_sales;
select region, percentile_cont(0.5) within group (order by qty) filter (where product = 'gizmo') from ag_sales group by region;
select percentile_disc(0.5) within group (order by sold), percentile_cont(0.5) within group (order by sold::timestamp - timestamp '2024-01-01') from ag_sales;
select mode() within group (order by product) filter (where id <= 52), rank(5) within group (order by qty), dense_rank(5) within group (order by qty) from ag_sales;
select percent_rank(10) within group (order by qty), cume_dist(10) within group (order by qty) from ag_sales;
select percentile_cont(1.5) within group (order by qty) from ag_sales;
select count(distinct (region, product)), count(distinct region || product) from ag_sales;
select sum(distinct qty), avg(distinct qty)::numeric(10, 4), count(distinct returned) from ag_sales;
select bit_and(qty), bit_or(qty), bit_xor(qty) from ag_sales where id <= 10;
select max(region), min(product), max(returned::int), min(rating) filter (where rating > 0) from ag_sales;
-- GROUPING SETS, ROLLUP, CUBE
select region, product, sum(qty) from ag_sales group by grouping sets ((region), (product), ());
select region, product, count(*), grouping(region, product) from ag_sales group by rollup (region, product);
select region, product, count(*), grouping(region), grouping(product) from ag_sales group by cube (region, product);
select region, returned, count(*) from ag_sales group by grouping sets ((region, returned), (region));
select coalesce(region, 'ALL') as r, sum(qty) from ag_sales group by rollup (region);
select region, product, sum(qty) from ag_sales where id <= 30 group by region, rollup (product);
select region, count(*) from ag_sales group by grouping sets (region, region);
select region, product, count(*) from ag_sales group by cube (region, product) having count(*) > 35;
-- ordering and nesting
select region, sum(qty) as total from ag_sales group by region order by total desc;
select region, count(*) from ag_sales group by region order by 2 desc, 1;
select product, avg(price)::numeric(10, 2) from ag_sales group by product order by avg(price) desc;
select max(s) from (select region, sum(qty) as s from ag_sales group by region) t;
select region from ag_sales group by region having avg(price) > (select avg(price) from ag_sales);
select region, (select count(*) from ag_sales s2 where s2.region = s1.region and s2.qty > 15) from ag_sales s1 group by region;
select sum(sum(qty)) over (), region, sum(qty) from ag_sales group by region;
select count(*) from (select region, product from ag_sales group by region, product) t;
select sold, count(*) from ag_sales group by sold having count(*) > 1;
select date_trunc('month', sold)::date as month, count(*), sum(qty) from ag_sales group by 1;
select qty, count(*) from ag_sales group by qty;
select count(*), count(1), count(null), count(id), count(*) filter (where false) from ag_sales;
select avg(x), sum(x) from (values (1::int2), (2::int2)) t(x);
select sum(x), avg(x) from (values (9223372036854775807::int8), (1::int8)) t(x);
select sum(x) from (values (2147483647), (1)) t(x);
select sum(x), avg(x) from (values (1e308::float8), (1e308::float8)) t(x);
select max(x), min(x), sum(x) from (values ('NaN'::float8), (1::float8)) t(x);
select avg(x), sum(x) from (values (interval '1 day'), (interval '3 hours')) t(x);
select min(x), max(x) from (values (array[1, 2]), (array[1, 3]), (array[0])) t(x);
select sum('a');
select avg(region) from ag_sales;
select count(*) from ag_sales group by nosuch;
select region, count(*) from ag_sales group by 3;
select sum(count(*)) from ag_sales;
