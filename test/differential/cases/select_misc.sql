-- SELECT clauses: DISTINCT, DISTINCT ON, ORDER BY (NULLS FIRST/LAST, expressions, ordinals,
-- aliases), LIMIT/OFFSET/FETCH, set operations, VALUES, set-returning functions, sessions.
-- setup
create table sm_people (id int primary key, name text, city text, age int, joined date);
insert into sm_people values
  (1, 'Ada', 'London', 36, '2020-01-10'), (2, 'Bo', 'Oslo', 28, '2021-05-01'), (3, 'Cy', null, 45, '2019-11-30'),
  (4, 'Di', 'London', 28, '2022-02-14'), (5, 'Ed', 'Paris', null, '2020-07-04'), (6, 'Flo', 'Oslo', 51, null),
  (7, 'Gus', 'Paris', 36, '2023-03-03'), (8, 'Hal', 'london', 19, '2021-12-25'), (9, 'Ivy', 'Rome', 63, '2018-08-08'),
  (10, 'Jo', null, null, '2024-01-01'), (11, 'Kim', 'Oslo', 28, '2020-09-09'), (12, 'Lu', 'Rome', 40, '2022-06-06');
create table sm_other (id int, name text);
insert into sm_other values (1, 'Ada'), (2, 'Bo'), (13, 'Mo'), (13, 'Mo'), (14, null), (null, null);

-- test
select distinct city from sm_people;
select distinct age from sm_people order by age nulls first;
select distinct city, age from sm_people where age < 40;
select distinct on (city) city, name, age from sm_people order by city, age desc nulls last, id;
select distinct on (age) age, name from sm_people order by age, name desc;
select distinct on (lower(city)) lower(city), id from sm_people where city is not null order by lower(city), id;
select distinct on (city) name from sm_people order by age;
select count(distinct city), count(distinct lower(city)) from sm_people;
select distinct name is null, id is null from sm_other;
select name, age from sm_people order by age, name;
select name, age from sm_people order by age desc, name;
select name, age from sm_people order by age nulls first, name;
select name, age from sm_people order by age desc nulls last, name;
select name, city from sm_people order by city asc nulls first, id desc;
select name, age from sm_people order by 2 desc nulls last, 1;
select name as n, age * 2 as double from sm_people order by double, n;
select name from sm_people order by length(name) desc, name;
select name from sm_people order by city is null, city, name;
select name, joined from sm_people order by joined desc nulls first, id;
select name from sm_people order by 3;
select name, city from sm_people order by city collate "C", id;
select name from sm_people order by case when city = 'Oslo' then 0 else 1 end, id;
select id, name from sm_people order by id limit 3;
select id, name from sm_people order by id limit 3 offset 2;
select id, name from sm_people order by id offset 10;
select id, name from sm_people order by id desc limit 0;
select id from sm_people order by id limit null;
select id from sm_people order by id offset 20;
select id from sm_people order by id fetch first 2 rows only;
select id from sm_people order by id offset 1 row fetch next 3 rows only;
-- unordered
select id, age from sm_people order by age fetch first 3 rows with ties;
select id from sm_people order by id limit -1;
select id from sm_people order by id offset -1;
select count(*) from (select id from sm_people limit 5) s;
-- set operations
select city from sm_people where age < 30 union select city from sm_people where age > 50;
select city from sm_people where age < 30 union all select city from sm_people where age > 50;
select name from sm_people intersect select name from sm_other;
select id from sm_other intersect all select id from sm_other where id = 13;
select name from sm_other except select name from sm_people;
select id from sm_other except all select 13;
select id, name from sm_other union select id, name from sm_people where id <= 2;
select 1 as a union select 2 union select 1 order by a;
select 1 as a, 'x' as b union all select 2, 'y' order by b desc;
select id from sm_people where id < 3 union all select id from sm_people where id < 2 order by 1 desc;
(select id from sm_people order by id limit 2) union all (select id from sm_people order by id desc limit 2);
select 1 union select 'a';
select 1, 2 union select 1;
select 1.5 union select 1;
select null union select 1;
select 'a' union select null order by 1 nulls first;
select id from sm_people intersect select id from sm_other except select 2;
select * from (select id from sm_people union select id from sm_other) s where id > 10;
select x from (values (1), (2), (2), (null)) t(x) union select x from (values (2), (null)) u(x);
-- VALUES
values (1, 'one'), (2, 'two'), (3, null);
values (1), (2) order by 1 desc;
select * from (values (1, 'a'), (2, 'b')) as v(num, letter) where num > 1;
values (1, 2), (3);
values (1), ('a');
values (1), (2.5), (null);
select pg_typeof(column1), column2 from (values (1::int8, 'x')) v;
select * from (values (date '2024-01-01'), ('2024-02-01')) v(d);
insert into sm_other values (20, 'V') returning *;
-- SRFs in FROM and select list
select * from unnest(array[3, 1, 2]) with ordinality u(v, n) order by v;
select id, unnest(array[id, id * 10]) from sm_people where id <= 3;
select id, generate_series(1, id) from sm_people where id <= 3;
select unnest(array[1, 2]), unnest(array['a', 'b', 'c']);
select * from generate_series(1, 3) g, lateral (select g * 2 as d) x;
select * from json_each_text('{"a": "1", "b": "2"}');
select * from regexp_matches('a1b2c3', '([a-z])(\d)', 'g') as m;
select sum(v) from unnest(array[1, 2, 3]) v;
select * from unnest('{}'::int[]);
select x, count(*) from (select unnest(array['a', 'b', 'a']) as x) s group by x;
select case when id > 2 then generate_series(1, 2) end from sm_people where id <= 3;
select id from sm_people where id = any(select generate_series(2, 4));
-- misc select forms
select;
select 1 where false;
select 1, 'two', 3.0, null, true;
select * from sm_people where false;
select t.* from sm_people t where t.id = 1;
select sm_people::text from sm_people where id = 2;
select (p).name from (select sm_people as p from sm_people where id = 3) s;
select row(id, name) from sm_people where id = 4;
select name, age from sm_people where (age > 30) is not true;
select id from sm_people where name in (select name from sm_other where name is not null) order by id;
select current_database() is not null, current_schema(), version() like 'PostgreSQL%';
select current_setting('DateStyle'), current_setting('TimeZone'), current_setting('standard_conforming_strings');
show TimeZone;
set extra_float_digits = 0;
select 1/3::float8, 0.1::float4;
reset extra_float_digits;
set application_name = 'differential';
show application_name;
set nosuch_setting = 1;
set client_min_messages = warning;
select set_config('search_path', 'public', false), current_setting('search_path');
select 1 as x, 2 as x;
select "id" from sm_people where "name" = 'Ada';
select id from sm_people as "P" where "P".id = 1;
select id, name from sm_people for update;
table sm_other;
-- LIMIT and OFFSET take an assignment cast to bigint
select g from generate_series(1, 5) g order by g limit 1.5;
select g from generate_series(1, 5) g order by g limit 2.4 offset 1.5;
select g from generate_series(1, 5) g limit 'x';
select g from generate_series(1, 5) g limit true;
