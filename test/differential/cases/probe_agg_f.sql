-- setup
create table pf_t (id int, g text, v int);
insert into pf_t values (1,'a',3),(2,'a',5),(3,'b',null),(4,'b',7);
-- test
select unnest(array_agg(id order by id desc)) from pf_t;
select unnest(array_agg(id)) from pf_t;
select generate_series(1, max(id)) from pf_t;
select g, generate_series(1, count(*)::int) from pf_t group by g order by 1, 2;
select g, unnest(array_agg(v order by id)) from pf_t group by g order by 1, 2;
select (select grouping(g) from (values (1)) v2(q)) as gg, g from pf_t group by rollup(g) order by 2;
select g from pf_t group by rollup(g) having (select grouping(g) = 1 from (values (1)) v(x)) order by 1;
select string_agg(g, ',') within group (order by g) from pf_t;
select count(*) within group (order by id) from pf_t;
select lower(g) within group (order by g) from pf_t;
select nosuchfn(1) within group (order by g) from pf_t;
select id, generate_series(1, id) from pf_t group by id order by 1, 2;
select generate_series(1, id) from pf_t group by id order by 1;
select generate_series(1, v) from pf_t group by id;
select id, generate_series(1, row_number() over (order by id)::int) from pf_t order by 1, 2;
select unnest(array[count(*), sum(v)]) from pf_t;
select g, unnest(array_agg(v order by id)) as u, count(*) over () from pf_t group by g order by 1, 2;
