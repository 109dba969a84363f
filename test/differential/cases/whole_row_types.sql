-- Whole-row references carry the relation's row type, as in PostgreSQL: `t` of a table or
-- view in FROM, RETURNING t, a function in FROM returning a composite or a table's row type,
-- and what is built on them (arrays, coalesce, CASE, subqueries). ROW(...) constructors,
-- subquery, VALUES, WITH and join rows stay `record`. Type OIDs of user types differ between
-- servers, so types are printed by name (pg_typeof(...)::text, format_type, ::regtype).
-- setup
create table wrt_item (id int primary key, name text, price numeric(6,2));
insert into wrt_item values (1, 'pen', 1.5), (2, 'ink', null), (3, null, 12.25);
create table wrt_tag (k int, label text);
insert into wrt_tag values (1, 'x'), (4, 'y');
create view wrt_cheap as select id, name from wrt_item where price < 10;
create type wrt_pair as (a int, b text);
create function wrt_all() returns setof wrt_item language sql as 'select * from wrt_item';
create function wrt_one() returns wrt_pair language sql as 'select 7, ''seven''';
-- test
select pg_typeof(i)::text from wrt_item i limit 1;
select pg_typeof(wrt_item)::text from wrt_item limit 1;
select pg_typeof(x)::text, x::text from wrt_item as x(a, b) order by x.a;
select row_to_json(x)::text from wrt_item as x(a, b) order by 1;
select row_to_json(i)::text, to_jsonb(i)::text from wrt_item i order by i.id;
select pg_typeof(c)::text, c::text from wrt_cheap c order by c.id;
select pg_typeof(s)::text from (select * from wrt_item) s limit 1;
select pg_typeof(v)::text from (values (1, 2)) v limit 1;
with w as (select * from wrt_item) select pg_typeof(w)::text from w limit 1;
select pg_typeof(j)::text from (wrt_item join wrt_tag on id = k) j limit 1;
select pg_typeof(row(i.id, i.name))::text from wrt_item i limit 1;
select * from wrt_all() order by 1;
select f::text, pg_typeof(f)::text from wrt_all() f order by 1;
select (f).name, f.price from wrt_all() f order by f.id;
select p::text, pg_typeof(p)::text, p.b from wrt_one() p;
select pg_typeof(wrt_one())::text, wrt_one()::text;
select pg_typeof(array_agg(i))::text from wrt_item i;
select array_agg(i order by id)::text from wrt_item i;
select (array_agg(i order by id))[2]::text, ((array_agg(i order by id))[2]).name from wrt_item i;
select pg_typeof(array[i])::text from wrt_item i limit 1;
select format_type(pg_typeof(i), null), format_type(pg_typeof(array_agg(i)), null)
  from wrt_item i group by i limit 1;
select pg_typeof(i)::regtype::text from wrt_item i limit 1;
select i::text, (i).name, (i).id + 1 from wrt_item i order by id;
select (i).* from wrt_item i order by id;
select pg_typeof(t)::text from wrt_item i left join wrt_tag t on i.id = t.k order by i.id;
select i = i from wrt_item i order by id;
select i::text from wrt_item i where i = (select i2 from wrt_item i2 where id = 2);
select i::text from wrt_item i where i in (select i2 from wrt_item i2 where id <> 2) order by 1;
select count(i), count(distinct i) from wrt_item i;
select count(*) from wrt_item i group by i;
select pg_typeof((select i from wrt_item i limit 1))::text;
select pg_typeof(i)::text from wrt_item i, lateral (select i) s limit 1;
select pg_typeof(s.i)::text from (select i from wrt_item i) s limit 1;
select pg_typeof(i::wrt_item)::text, i::wrt_item::text from wrt_item i order by id;
select jsonb_populate_record(i, '{"name":"zz"}')::text from wrt_item i order by id;
select pg_typeof(jsonb_populate_record(i, '{"name":"zz"}'))::text from wrt_item i limit 1;
select i is null, i is not null from wrt_item i order by id;
select pg_typeof(coalesce(i, null))::text from wrt_item i limit 1;
select pg_typeof(case when true then i end)::text from wrt_item i limit 1;
select i::text from wrt_item i union all select row(9, 'q', 0)::wrt_item::text order by 1;
select pg_typeof(x)::text from (select i from wrt_item i union all select i from wrt_item i) x(x)
  limit 1;
select distinct i::text from wrt_item i order by 1;
select i::text from wrt_item i order by i desc;
select jsonb_agg(i order by id)::text, string_agg(i::text, ';' order by id) from wrt_item i;
select json_build_object('r', i)::text from wrt_item i order by i.id;
select '(5,x,1)'::wrt_item::text, pg_typeof('(5,x,1)'::wrt_item)::text;
select ('(5,x,1)'::wrt_item).price;
select pg_typeof(null::wrt_item[])::text, '{"(1,a,2)"}'::wrt_item[]::text;
insert into wrt_tag values (7, 'm') returning pg_typeof(wrt_tag)::text, wrt_tag::text;
update wrt_tag set label = 'n' where k = 7 returning pg_typeof(wrt_tag)::text, wrt_tag::text;
delete from wrt_tag where k = 7 returning pg_typeof(wrt_tag)::text, wrt_tag::text;
alter table wrt_item rename to wrt_item2;
select pg_typeof(i)::text, format_type(pg_typeof(i), null) from wrt_item2 i limit 1;
alter table wrt_item2 rename to wrt_item;
select pg_typeof(i)::text from wrt_item i limit 1;
