-- CREATE TYPE … AS RANGE: a user range type and its multirange end to end (constructors,
-- operators, functions, aggregates, columns, arrays, catalogs, DROP TYPE). Type OIDs differ
-- between servers, so catalog queries print names.
-- setup
create type floatrange as range (subtype = float8, subtype_diff = float8mi);
create type textrange as range (subtype = text);
create type period as range (subtype = timestamp, multirange_type_name = periods);
-- test
select floatrange(1.5, 2.5)::text, floatrange(1, 2, '[]')::text, floatrange(null, 3)::text;
select '[1.5,3)'::floatrange::text, '(,)'::floatrange::text, 'empty'::floatrange::text;
select '[3,1)'::floatrange;
select floatrange(3, 1);
select floatrange(1, 2, 'xx');
select '[1,5]'::floatrange @> 3.0::float8, '[1,5]'::floatrange @> '[2,3]'::floatrange;
select 2.0::float8 <@ '[1,5)'::floatrange, '[1,5)'::floatrange && '[4,9)'::floatrange;
select '[1,2)'::floatrange << '[3,4)'::floatrange, '[1,2)'::floatrange -|- '[2,4)'::floatrange;
select ('[1,5)'::floatrange + '[3,9)'::floatrange)::text,
  ('[1,5)'::floatrange * '[3,9)'::floatrange)::text,
  ('[1,5)'::floatrange - '[3,9)'::floatrange)::text;
select '[1,2)'::floatrange + '[3,4)'::floatrange;
select lower('[1.5,2)'::floatrange), upper('[1.5,2)'::floatrange), isempty('empty'::floatrange),
  lower_inc('[1,2)'::floatrange), upper_inf('[1,)'::floatrange);
select range_merge('[1,2)'::floatrange, '[5,6)'::floatrange)::text;
select '[1,2)'::floatrange = '[1,2)'::floatrange, '[1,2)'::floatrange < '[1,3)'::floatrange;
select textrange('a', 'm')::text, textrange('a', 'm') @> 'cat'::text;
select '["2024-01-01","2024-02-01")'::period::text;
select floatmultirange()::text, floatmultirange(floatrange(5, 7), floatrange(1, 3))::text;
select '{[1,3), [2,5), [8,9)}'::floatmultirange::text;
select '{[1,3),[5,7)}'::floatmultirange @> 6.0::float8,
  '{[1,3),[5,7)}'::floatmultirange && '[2,4)'::floatrange;
select ('{[1,3)}'::floatmultirange + '{[2,6)}'::floatmultirange)::text,
  ('{[1,9)}'::floatmultirange - '{[2,3)}'::floatmultirange)::text;
select lower('{[1,3),[5,7)}'::floatmultirange), upper('{[1,3),[5,7)}'::floatmultirange);
select multirange('[1,2)'::floatrange)::text;
select periods(period('2024-01-01', '2024-01-02'))::text;
select pg_typeof(floatrange(1, 2))::text, pg_typeof(floatmultirange())::text,
  pg_typeof('{[1,2)}'::periods)::text;
create table fr (id int, r floatrange, rs floatrange[], m floatmultirange);
insert into fr values (1, '[1,2)', array['[1,2)', '(3,4]']::floatrange[], '{[1,2),[3,4)}'),
  (2, '[5,8)', null, '{}'), (3, null, '{}', null), (4, 'empty', null, '{[0,1)}');
select id, r::text, rs::text, m::text from fr order by id;
select id from fr where r @> 6.5::float8 order by id;
select id from fr where r && '[1.5,5.5)'::floatrange order by id;
select r::text from fr order by r;
select range_agg(r)::text from fr;
select range_intersect_agg(r)::text from fr where r is not null and not isempty(r);
select unnest(m)::text from fr where id = 1;
select count(distinct r) from fr;
select format_type(t.oid, null), t.typtype, t.typcategory, t.typlen, e.typname as elem
  from pg_type t left join pg_type e on e.oid = t.typelem
  where t.typname in ('floatrange', 'floatmultirange', '_floatrange', '_floatmultirange',
    'period', 'periods', 'textrange', 'textmultirange') order by 1;
select rngtypid::regtype::text, rngsubtype::regtype::text, rngmultitypid::regtype::text,
  rngsubdiff from pg_range where rngtypid::regtype::text in ('floatrange', 'period',
  'textrange') order by 1;
select 'floatrange'::regtype::text, 'floatmultirange'::regtype::text;
create type floatrange as range (subtype = float8);
create type badrange as range (subtype = float8, foo = 1);
create type badrange as range (subtype_diff = float8mi);
create type jrange as range (subtype = json);
create type floatmulti as range (subtype = int4, multirange_type_name = floatmultirange);
create type rangey as range (subtype = int4);
create type rangey_multi as range (subtype = int8, multirange_type_name = multirangey);
drop type floatrange;
drop type floatmultirange;
drop table fr;
drop type floatrange;
select '[1,2)'::floatrange::text;
drop type if exists floatrange;
drop type rangey, multirangey;
select count(*) from pg_type where typname in ('rangey', 'multirangey');
begin;
create type temprange as range (subtype = int8);
select temprange(1, 5)::text;
rollback;
select temprange(1, 5);
create type intr as range (subtype = int4);
select '[1,5]'::intr::text, intr(1, 5, '(]')::text;
create type fr2 as range (subtype = float8);
select ('[1,2)'::fr2::fr2multirange)::text, ('empty'::fr2::fr2multirange)::text;
create type r2 as range (subtype = int4, canonical = foo);
create type r3 as range (subtype = float8, subtype_opclass = float8_ops);
create schema s1;
create type s1.myrange as range (subtype = numeric);
select s1.myrange(1, 2)::text;
select '[1,2]'::s1.myrange::text, '{[1,2]}'::s1.mymultirange::text;
select typname, typnamespace::regnamespace::text from pg_type
  where typname like '%myrange%' or typname like '%mymultirange%' order by 1;
select array['[1,2)'::fr2]::text, pg_typeof(array['[1,2)'::fr2])::text;
select to_regtype('fr2')::text, to_regtype('fr2multirange')::text;
select format_type('fr2'::regtype, null);
select r::text from (values ('[1,2)'::fr2), ('[0,1)')) v(r) order by r;
select distinct r::text from (values ('[1,2)'::fr2), ('[1,2)')) v(r);
select fr2(1, 2) = fr2(1, 2), fr2(1,2) <> fr2(1,3);
create table t9 (r fr2 primary key);
insert into t9 values ('[1,2)'), ('[1,2)');
select r::text from t9;
create type r4 as range (subtype = float8, subtype_opclass = text_ops);
create type r6 as range (subtype = int4, subtype_opclass = int4_ops);
select rngsubopc::int from pg_range where rngtypid = 'r6'::regtype;
select '[1,2)'::r6::r6multirange::text;
create type r7 as range (subtype = int4, collation = "C");
