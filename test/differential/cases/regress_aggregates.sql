-- Cases from PostgreSQL 15's src/test/regress/sql/aggregates.sql, run in their own schema
-- (ra_agg) on small deterministic versions of the regression tables (tenk1, onek, aggtest,
-- int4_tbl, ...). EXPLAIN statements, planner settings and regress-only C functions are left
-- out; queries whose plans the original checked are kept as plain SELECTs.
-- setup
create schema ra_agg;
set search_path = ra_agg;
set extra_float_digits = 0;
create table int4_tbl (f1 int4);
insert into int4_tbl values (0), (123456), (-123456), (2147483647), (-2147483647);
create table int8_tbl (q1 int8, q2 int8);
insert into int8_tbl values (123, 456), (123, 4567890123456789), (4567890123456789, 123), (4567890123456789, 4567890123456789), (4567890123456789, -4567890123456789);
create table varchar_tbl (f1 varchar(4));
insert into varchar_tbl values ('a'), ('ab'), ('abcd'), ('abcd');
create table aggtest (a int2, b float4);
insert into aggtest values (56, 7.8), (100, 99.097), (0, 0.09561), (42, 324.78);
create table student (name text, age int4, gpa float8);
insert into student values ('fred', 28, 3.7), ('larry', 60, 3.1);
create table tenk1 (unique1 int4, unique2 int4, two int4, four int4, ten int4, twenty int4, hundred int4, thousand int4, twothousand int4, fivethous int4, tenthous int4, odd int4, even int4, stringu1 name, stringu2 name, string4 name);
insert into tenk1 select u1, u2, u1 % 2, u1 % 4, u1 % 10, u1 % 20, u1 % 100, u1 % 250 * 4, u1 % 500, u1 % 333, u1, (u1 % 100) * 2 + 1, (u1 % 100) * 2, (chr(65 + u1 % 26) || chr(65 + (u1 / 26) % 26) || 'AAAAxx')::name, (chr(65 + u2 % 26) || chr(65 + (u2 / 26) % 26) || 'AAAAxx')::name, ((array['AAAAxx', 'HHHHxx', 'OOOOxx', 'VVVVxx'])[1 + u1 % 4])::name from (select i as u1, (i * 7 + 3) % 1000 as u2 from generate_series(0, 999) i) s;
create table onek as select * from tenk1 where unique1 < 400;
create type aggtype as (a integer, b integer, c text);
create function aggf_trans(aggtype[], integer, integer, text) returns aggtype[] as 'select array_append($1, row($2, $3, $4)::aggtype)' language sql strict immutable;
create function aggfns_trans(aggtype[], integer, integer, text) returns aggtype[] as 'select array_append($1, row($2, $3, $4)::aggtype)' language sql immutable;
create aggregate aggfstr(integer, integer, text) (sfunc = aggf_trans, stype = aggtype[], initcond = '{}');
create aggregate aggfns(integer, integer, text) (sfunc = aggfns_trans, stype = aggtype[], sspace = 10000, initcond = '{}');
create function sum3(int8, int8, int8) returns int8 as 'select $1 + $2 + $3' language sql strict immutable;
create aggregate sum2(int8, int8) (sfunc = sum3, stype = int8, initcond = '0');
create aggregate newavg (sfunc = int4_avg_accum, basetype = int4, stype = _int8, finalfunc = int8_avg, initcond1 = '{0,0}');
create aggregate newsum (sfunc1 = int4pl, basetype = int4, stype1 = int4, initcond1 = '0');
create aggregate newcnt (*) (sfunc = int8inc, stype = int8, initcond = '0', parallel = safe);
create aggregate oldcnt (sfunc = int8inc, basetype = 'ANY', stype = int8, initcond = '0');
create aggregate newcnt ("any") (sfunc = int8inc_any, stype = int8, initcond = '0');
create function least_accum(anyelement, variadic anyarray) returns anyelement language sql as 'select least($1, min($2[i])) from generate_subscripts($2, 1) g(i)';
create aggregate least_agg(variadic items anyarray) (stype = anyelement, sfunc = least_accum);

-- test
select avg(four) as avg_1 from onek;
select avg(a) as avg_32 from aggtest where a < 100;
select avg(b)::numeric(10,3) as avg_107_943 from aggtest;
select avg(gpa) as avg_3_4 from only student;
select sum(four) as sum_1500 from onek;
select sum(a) as sum_198 from aggtest;
select sum(b) as avg_431_773 from aggtest;
select sum(gpa) as avg_6_8 from only student;
select max(four) as max_3 from onek;
select max(a) as max_100 from aggtest;
select max(aggtest.b) as max_324_78 from aggtest;
select max(student.gpa) as max_3_7 from student;
select stddev_pop(b) from aggtest;
select stddev_samp(b) from aggtest;
select var_pop(b) from aggtest;
select var_samp(b) from aggtest;
select stddev_pop(b::numeric) from aggtest;
select stddev_samp(b::numeric) from aggtest;
select var_pop(b::numeric) from aggtest;
select var_samp(b::numeric) from aggtest;
select var_pop(1.0), var_samp(2.0);
select stddev_pop(3.0::numeric), stddev_samp(4.0::numeric);
select sum(null::int4) from generate_series(1,3);
select sum(null::int8) from generate_series(1,3);
select sum(null::numeric) from generate_series(1,3);
select sum(null::float8) from generate_series(1,3);
select avg(null::int4) from generate_series(1,3);
select avg(null::int8) from generate_series(1,3);
select avg(null::numeric) from generate_series(1,3);
select avg(null::float8) from generate_series(1,3);
select sum('NaN'::numeric) from generate_series(1,3);
select avg('NaN'::numeric) from generate_series(1,3);
select avg(x::float8), var_pop(x::float8) from (values ('1'), ('infinity')) v(x);
select avg(x::float8), var_pop(x::float8) from (values ('infinity'), ('1')) v(x);
select avg(x::float8), var_pop(x::float8) from (values ('infinity'), ('infinity')) v(x);
select avg(x::float8), var_pop(x::float8) from (values ('-infinity'), ('infinity')) v(x);
select avg(x::float8), var_pop(x::float8) from (values (100000003), (100000004), (100000006), (100000007)) v(x);
select avg(x::float8), var_pop(x::float8) from (values (7000000000005), (7000000000007)) v(x);
select regr_count(b, a) from aggtest;
select regr_sxx(b, a) from aggtest;
select regr_syy(b, a) from aggtest;
select regr_sxy(b, a) from aggtest;
select regr_avgx(b, a), regr_avgy(b, a) from aggtest;
select regr_r2(b, a) from aggtest;
select regr_slope(b, a), regr_intercept(b, a) from aggtest;
select covar_pop(b, a), covar_samp(b, a) from aggtest;
select corr(b, a) from aggtest;
create table regr_test (x float8, y float8);
insert into regr_test values (10,150),(20,250),(30,350),(80,540),(100,200);
select count(*), sum(x), regr_sxx(y,x), sum(y),regr_syy(y,x), regr_sxy(y,x) from regr_test where x in (10,20,30,80);
select count(*), sum(x), regr_sxx(y,x), sum(y),regr_syy(y,x), regr_sxy(y,x) from regr_test;
select float8_accum('{4,140,2900}'::float8[], 100);
select float8_regr_accum('{4,140,2900,1290,83075,15050}'::float8[], 200, 100);
select count(*), sum(x), regr_sxx(y,x), sum(y),regr_syy(y,x), regr_sxy(y,x) from regr_test where x in (10,20,30);
select count(*), sum(x), regr_sxx(y,x), sum(y),regr_syy(y,x), regr_sxy(y,x) from regr_test where x in (80,100);
select float8_combine('{3,60,200}'::float8[], '{0,0,0}'::float8[]);
select float8_combine('{0,0,0}'::float8[], '{2,180,200}'::float8[]);
select float8_combine('{3,60,200}'::float8[], '{2,180,200}'::float8[]);
select float8_regr_combine('{3,60,200,750,20000,2000}'::float8[], '{0,0,0,0,0,0}'::float8[]);
select float8_regr_combine('{0,0,0,0,0,0}'::float8[], '{2,180,200,740,57800,-3400}'::float8[]);
select float8_regr_combine('{3,60,200,750,20000,2000}'::float8[], '{2,180,200,740,57800,-3400}'::float8[]);
drop table regr_test;
select count(four) as cnt_1000 from onek;
select count(distinct four) as cnt_4 from onek;
select ten, count(*), sum(four) from onek group by ten order by ten;
select ten, count(four), sum(distinct four) from onek group by ten order by ten;
select newavg(four) as avg_1 from onek;
select newsum(four) as sum_1500 from onek;
select newcnt(four) as cnt_1000 from onek;
select newcnt(*) as cnt_1000 from onek;
select oldcnt(*) as cnt_1000 from onek;
select sum2(q1,q2) from int8_tbl;
-- outer-level aggregates
select ten, sum(distinct four) from onek a group by ten having exists (select 1 from onek b where sum(distinct a.four) = b.four);
select ten, sum(distinct four) from onek a group by ten having exists (select 1 from onek b where sum(distinct a.four + b.four) = b.four);
select (select max((select i.unique2 from tenk1 i where i.unique1 = o.unique1))) from tenk1 o;
select s1, s2, sm from generate_series(1, 3) s1, lateral (select s2, sum(s1 + s2) sm from generate_series(1, 3) s2 group by s2) ss order by 1, 2;
select array(select sum(x+y) s from generate_series(1,3) y group by y order by s) from generate_series(1,3) x;
-- bitwise aggregates
create temporary table bitwise_test(i2 int2, i4 int4, i8 int8, i integer, x int2, y bit(4));
select bit_and(i2) as "?", bit_or(i4) as "?" from bitwise_test;
insert into bitwise_test values (1, 1, 1, 1, 1, B'0101'), (3, 3, 3, null, 2, B'0100'), (7, 7, 7, 3, 4, B'1100');
select bit_and(i2) as "1", bit_and(i4) as "1", bit_and(i8) as "1", bit_and(i) as "?", bit_and(x) as "0", bit_and(y) as "0100", bit_or(i2) as "7", bit_or(i4) as "7", bit_or(i8) as "7", bit_or(i) as "?", bit_or(x) as "7", bit_or(y) as "1101" from bitwise_test;
select bit_xor(i2), bit_xor(i4), bit_xor(i8), bit_xor(i), bit_xor(x), bit_xor(y) from bitwise_test;
-- boolean aggregates
select booland_statefunc(null, null) is null as "t", booland_statefunc(true, null) is null as "t", booland_statefunc(false, null) is null as "t", booland_statefunc(null, true) is null as "t", booland_statefunc(null, false) is null as "t", booland_statefunc(true, true) as "t", not booland_statefunc(true, false) as "t", not booland_statefunc(false, true) as "t", not booland_statefunc(false, false) as "t";
select boolor_statefunc(null, null) is null as "t", boolor_statefunc(true, null) is null as "t", boolor_statefunc(false, null) is null as "t", boolor_statefunc(null, true) is null as "t", boolor_statefunc(null, false) is null as "t", boolor_statefunc(true, true) as "t", boolor_statefunc(true, false) as "t", boolor_statefunc(false, true) as "t", not boolor_statefunc(false, false) as "t";
create temporary table bool_test(b1 bool, b2 bool, b3 bool, b4 bool);
select bool_and(b1) as "n", bool_or(b3) as "n" from bool_test;
insert into bool_test values (true, null, false, null), (false, true, null, null), (null, true, false, null);
select bool_and(b1) as "f", bool_and(b2) as "t", bool_and(b3) as "f", bool_and(b4) as "n", bool_and(not b2) as "f", bool_and(not b3) as "t" from bool_test;
select every(b1) as "f", every(b2) as "t", every(b3) as "f", every(b4) as "n", every(not b2) as "f", every(not b3) as "t" from bool_test;
select bool_or(b1) as "t", bool_or(b2) as "t", bool_or(b3) as "f", bool_or(b4) as "n", bool_or(not b2) as "f", bool_or(not b3) as "t" from bool_test;
-- min/max that PostgreSQL turns into index scans
create index tenk1_unique1 on tenk1 (unique1);
create index tenk1_thous_tenthous on tenk1 (thousand, tenthous);
select min(unique1) from tenk1;
select max(unique1) from tenk1;
select max(unique1) from tenk1 where unique1 < 42;
select max(unique1) from tenk1 where unique1 > 42;
select max(unique1) from tenk1 where unique1 > 42000;
select max(tenthous) from tenk1 where thousand = 33;
select min(tenthous) from tenk1 where thousand = 33;
select f1, (select min(unique1) from tenk1 where unique1 > f1) as gt from int4_tbl;
select distinct max(unique2) from tenk1;
select max(unique2) from tenk1 order by 1;
select max(unique2) from tenk1 order by max(unique2);
select max(unique2) from tenk1 order by max(unique2)+1;
select max(unique2), generate_series(1,3) as g from tenk1 order by g desc;
select max(100) from tenk1;
create table minmaxtest(f1 int);
create table minmaxtest1() inherits (minmaxtest);
create table minmaxtest2() inherits (minmaxtest);
create table minmaxtest3() inherits (minmaxtest);
create index minmaxtesti on minmaxtest(f1);
create index minmaxtest1i on minmaxtest1(f1);
create index minmaxtest2i on minmaxtest2(f1 desc);
create index minmaxtest3i on minmaxtest3(f1) where f1 is not null;
insert into minmaxtest values(11), (12);
insert into minmaxtest1 values(13), (14);
insert into minmaxtest2 values(15), (16);
insert into minmaxtest3 values(17), (18);
select min(f1), max(f1) from minmaxtest;
select distinct min(f1), max(f1) from minmaxtest;
drop table minmaxtest cascade;
select max(min(unique1)) from tenk1;
select (select max(min(unique1)) from int8_tbl) from tenk1;
-- redundant GROUP BY columns
create temp table t1 (a int, b int, c int, d int, primary key (a, b));
create temp table t2 (x int, y int, z int, primary key (x, y));
create temp table t3 (a int, b int, c int, primary key(a, b) deferrable);
insert into t1 values (1, 1, 10, 100), (1, 2, 20, 200), (2, 1, 30, 300);
insert into t2 values (1, 1, 5), (2, 1, 6);
insert into t3 values (1, 1, 7);
select * from t1 group by a,b,c,d;
select a,c from t1 group by a,c,d;
select * from t1 inner join t2 on t1.a = t2.x and t1.b = t2.y group by t1.a,t1.b,t1.c,t1.d,t2.x,t2.y,t2.z;
select t1.*,t2.x,t2.z from t1 inner join t2 on t1.a = t2.x and t1.b = t2.y group by t1.a,t1.b,t1.c,t1.d,t2.x,t2.z;
select * from t3 group by a,b,c;
select a, b, c, d from t1 group by a, b;
select t1.* from t1 group by a, b;
select * from t3 group by a, b;
select a, c from t1 group by a;
drop table t1;
drop table t2;
drop table t3;
-- DISTINCT and ORDER BY inside aggregates
select array_agg(a order by b) from (values (1,4),(2,3),(3,1),(4,2)) v(a,b);
select array_agg(a order by a) from (values (1,4),(2,3),(3,1),(4,2)) v(a,b);
select array_agg(a order by a desc) from (values (1,4),(2,3),(3,1),(4,2)) v(a,b);
select array_agg(b order by a desc) from (values (1,4),(2,3),(3,1),(4,2)) v(a,b);
select array_agg(distinct a) from (values (1),(2),(1),(3),(null),(2)) v(a);
select array_agg(distinct a order by a) from (values (1),(2),(1),(3),(null),(2)) v(a);
select array_agg(distinct a order by a desc) from (values (1),(2),(1),(3),(null),(2)) v(a);
select array_agg(distinct a order by a desc nulls last) from (values (1),(2),(1),(3),(null),(2)) v(a);
select aggfstr(a,b,c)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c);
select aggfns(a,b,c)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c);
select aggfstr(distinct a,b,c)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,3) i;
select aggfns(distinct a,b,c)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,3) i;
select aggfstr(distinct a,b,c order by b)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,3) i;
select aggfns(distinct a,b,c order by b)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,3) i;
select aggfns(distinct a,a,c order by c using ~<~,a)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,2) i;
select aggfns(distinct a,a,c order by c using ~<~)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,2) i;
select aggfns(distinct a,a,c order by a)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,2) i;
select aggfns(distinct a,b,c order by a,c using ~<~,b)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,2) i;
create view agg_view1 as select aggfns(a,b,c) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c);
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
create or replace view agg_view1 as select aggfns(distinct a,b,c) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,3) i;
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
create or replace view agg_view1 as select aggfns(distinct a,b,c order by b) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,3) i;
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
create or replace view agg_view1 as select aggfns(a,b,c order by b+1) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c);
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
create or replace view agg_view1 as select aggfns(a,a,c order by b) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c);
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
create or replace view agg_view1 as select aggfns(a,b,c order by c using ~<~) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c);
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
create or replace view agg_view1 as select aggfns(distinct a,b,c order by a,c using ~<~,b) from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,2) i;
select aggfns::text from agg_view1;
select pg_get_viewdef('agg_view1'::regclass);
drop view agg_view1;
select aggfns(distinct a,b,c order by i) from (values (1,1,'foo')) v(a,b,c), generate_series(1,2) i;
select aggfns(distinct a,b,c order by a,b+1) from (values (1,1,'foo')) v(a,b,c), generate_series(1,2) i;
select aggfns(distinct a,b,c order by a,b,i,c) from (values (1,1,'foo')) v(a,b,c), generate_series(1,2) i;
select aggfns(distinct a,a,c order by a,b) from (values (1,1,'foo')) v(a,b,c), generate_series(1,2) i;
-- string_agg
select string_agg(a,',') from (values('aaaa'),('bbbb'),('cccc')) g(a);
select string_agg(a,',') from (values('aaaa'),(null),('bbbb'),('cccc')) g(a);
select string_agg(a,'AB') from (values(null),(null),('bbbb'),('cccc')) g(a);
select string_agg(a,',') from (values(null),(null)) g(a);
select string_agg(distinct f1, ',' order by f1) from varchar_tbl;
select string_agg(distinct f1::text, ',' order by f1) from varchar_tbl;
select string_agg(distinct f1, ',' order by f1::text) from varchar_tbl;
select string_agg(distinct f1::text, ',' order by f1::text) from varchar_tbl;
create table bytea_test_table(v bytea);
select string_agg(v, '') from bytea_test_table;
insert into bytea_test_table values(decode('ff','hex'));
select string_agg(v, '') from bytea_test_table;
insert into bytea_test_table values(decode('aa','hex'));
select string_agg(v, '') from bytea_test_table;
select string_agg(v, null) from bytea_test_table;
select string_agg(v, decode('ee', 'hex')) from bytea_test_table;
drop table bytea_test_table;
-- FILTER
select min(unique1) filter (where unique1 > 100) from tenk1;
select sum(1/ten) filter (where ten > 0) from tenk1;
select ten, sum(distinct four) filter (where four::text ~ '123') from onek a group by ten;
select ten, sum(distinct four) filter (where four > 10) from onek a group by ten having exists (select 1 from onek b where sum(distinct a.four) = b.four);
select max(foo collate "C") filter (where (bar collate "POSIX") > '0') from (values ('a', 'b')) as v(foo,bar);
select (select count(*) from (values (1)) t0(inner_c)) from (values (2),(3)) t1(outer_c);
select (select count(*) filter (where outer_c <> 0) from (values (1)) t0(inner_c)) from (values (2),(3)) t1(outer_c);
select (select count(inner_c) filter (where outer_c <> 0) from (values (1)) t0(inner_c)) from (values (2),(3)) t1(outer_c);
select (select max((select i.unique2 from tenk1 i where i.unique1 = o.unique1)) filter (where o.unique1 < 10)) from tenk1 o;
select sum(unique1) filter (where unique1 in (select unique1 from onek where unique1 < 100)) from tenk1;
select aggfns(distinct a,b,c order by a,c using ~<~,b) filter (where a > 1)::text from (values (1,3,'foo'),(0,null,null),(2,2,'bar'),(3,1,'baz')) v(a,b,c), generate_series(1,2) i;
-- ordered-set aggregates
select p, percentile_cont(p) within group (order by x::float8) from generate_series(1,5) x, (values (0::float8),(0.1),(0.25),(0.4),(0.5),(0.6),(0.75),(0.9),(1)) v(p) group by p order by p;
select p, percentile_cont(p order by p) within group (order by x) from generate_series(1,5) x, (values (0::float8),(0.1),(0.25),(0.4),(0.5),(0.6),(0.75),(0.9),(1)) v(p) group by p order by p;
select p, sum() within group (order by x::float8) from generate_series(1,5) x, (values (0::float8),(0.1),(0.25),(0.4),(0.5),(0.6),(0.75),(0.9),(1)) v(p) group by p order by p;
select p, percentile_cont(p,p) from generate_series(1,5) x, (values (0::float8),(0.1),(0.25),(0.4),(0.5),(0.6),(0.75),(0.9),(1)) v(p) group by p order by p;
select percentile_cont(0.5) within group (order by b) from aggtest;
select percentile_cont(0.5) within group (order by b), sum(b) from aggtest;
select percentile_cont(0.5) within group (order by thousand) from tenk1;
select percentile_disc(0.5) within group (order by thousand) from tenk1;
select rank(3) within group (order by x) from (values (1),(1),(2),(2),(3),(3),(4)) v(x);
select cume_dist(3) within group (order by x) from (values (1),(1),(2),(2),(3),(3),(4)) v(x);
select percent_rank(3) within group (order by x) from (values (1),(1),(2),(2),(3),(3),(4),(5)) v(x);
select dense_rank(3) within group (order by x) from (values (1),(1),(2),(2),(3),(3),(4)) v(x);
select percentile_disc(array[0,0.1,0.25,0.5,0.75,0.9,1]) within group (order by thousand) from tenk1;
select percentile_cont(array[0,0.25,0.5,0.75,1]) within group (order by thousand) from tenk1;
select percentile_disc(array[[null,1,0.5],[0.75,0.25,null]]) within group (order by thousand) from tenk1;
select percentile_cont(array[0,1,0.25,0.75,0.5,1,0.3,0.32,0.35,0.38,0.4]) within group (order by x) from generate_series(1,6) x;
select ten, mode() within group (order by string4) from tenk1 group by ten;
select percentile_disc(array[0.25,0.5,0.75]) within group (order by x) from unnest('{fred,jim,fred,jack,jill,fred,jill,jim,jim,sheila,jim,sheila}'::text[]) u(x);
select pg_collation_for(percentile_disc(1) within group (order by x collate "POSIX")) from (values ('fred'),('jim')) v(x);
select rank(x) within group (order by x) from generate_series(1,5) x;
select array(select percentile_disc(a) within group (order by x) from (values (0.3),(0.7)) v(a) group by a) from generate_series(1,5) g(x);
select rank(sum(x)) within group (order by x) from generate_series(1,5) x;
select rank(3) within group (order by x) from (values ('fred'),('jim')) v(x);
select rank(3) within group (order by stringu1,stringu2) from tenk1;
select rank('fred') within group (order by x) from generate_series(1,5) x;
select rank('adam'::text collate "C") within group (order by x collate "POSIX") from (values ('fred'),('jim')) v(x);
select rank('adam'::varchar) within group (order by x) from (values ('fred'),('jim')) v(x);
select rank('3') within group (order by x) from generate_series(1,5) x;
select percent_rank(0) within group (order by x) from generate_series(1,0) x;
create view aggordview1 as select ten, percentile_disc(0.5) within group (order by thousand) as p50, percentile_disc(0.5) within group (order by thousand) filter (where hundred=1) as px, rank(5,'AZZZZ',50) within group (order by hundred, string4 desc, hundred) from tenk1 group by ten order by ten;
select pg_get_viewdef('aggordview1');
select * from aggordview1 order by ten;
drop view aggordview1;
select least_agg(q1,q2) from int8_tbl;
select least_agg(variadic array[q1,q2]) from int8_tbl;
-- aggregates sharing transition states
begin;
create type avg_state as (total bigint, count bigint);
create or replace function avg_transfn(state avg_state, n int) returns avg_state as $$
declare new_state avg_state;
begin
	if state is null then
		if n is not null then
			new_state.total := n;
			new_state.count := 1;
			return new_state;
		end if;
		return null;
	elsif n is not null then
		state.total := state.total + n;
		state.count := state.count + 1;
		return state;
	end if;
	return null;
end
$$ language plpgsql;
create function avg_finalfn(state avg_state) returns int4 as $$
begin
	if state is null then
		return null;
	else
		return state.total / state.count;
	end if;
end
$$ language plpgsql;
create function sum_finalfn(state avg_state) returns int4 as $$
begin
	if state is null then
		return null;
	else
		return state.total;
	end if;
end
$$ language plpgsql;
create aggregate my_avg(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = avg_finalfn);
create aggregate my_sum(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = sum_finalfn);
select my_avg(one),my_avg(one) from (values(1),(3)) t(one);
select my_avg(one),my_sum(one) from (values(1),(3)) t(one);
select my_avg(distinct one),my_sum(distinct one) from (values(1),(3),(1)) t(one);
select my_avg(distinct one),my_sum(one) from (values(1),(3)) t(one);
select my_avg(one) filter (where one > 1),my_sum(one) from (values(1),(3)) t(one);
select my_avg(one),my_sum(two) from (values(1,2),(3,4)) t(one,two);
select percentile_cont(0.5) within group (order by a), percentile_disc(0.5) within group (order by a) from (values(1::float8),(3),(5),(7)) t(a);
select percentile_cont(0.25) within group (order by a), percentile_disc(0.5) within group (order by a) from (values(1::float8),(3),(5),(7)) t(a);
select rank(4) within group (order by a), dense_rank(4) within group (order by a) from (values(1),(3),(5),(7)) t(a);
create aggregate my_sum_init(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = sum_finalfn, initcond = '(10,0)');
create aggregate my_avg_init(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = avg_finalfn, initcond = '(10,0)');
create aggregate my_avg_init2(int4) (stype = avg_state, sfunc = avg_transfn, finalfunc = avg_finalfn, initcond = '(4,0)');
select my_sum_init(one),my_avg_init(one) from (values(1),(3)) t(one);
select my_sum_init(one),my_avg_init2(one) from (values(1),(3)) t(one);
rollback;
begin;
create or replace function sum_transfn(state int4, n int4) returns int4 as $$
declare new_state int4;
begin
	if state is null then
		if n is not null then
			new_state := n;
			return new_state;
		end if;
		return null;
	elsif n is not null then
		state := state + n;
		return state;
	end if;
	return null;
end
$$ language plpgsql;
create function halfsum_finalfn(state int4) returns int4 as $$
begin
	if state is null then
		return null;
	else
		return state / 2;
	end if;
end
$$ language plpgsql;
create aggregate my_sum(int4) (stype = int4, sfunc = sum_transfn);
create aggregate my_half_sum(int4) (stype = int4, sfunc = sum_transfn, finalfunc = halfsum_finalfn);
select my_sum(one),my_half_sum(one) from (values(1),(2),(3),(4)) t(one);
rollback;
-- transition functions returning NULL
begin;
create function balkifnull(int8, int4) returns int8 strict language plpgsql as $$
begin
    if $1 is null then
       raise 'erroneously called with NULL argument';
    end if;
    return null;
end$$;
create aggregate balk(int4) (sfunc = balkifnull(int8, int4), stype = int8, parallel = safe, initcond = '0');
select balk(hundred) from tenk1;
rollback;
begin isolation level repeatable read;
create function balkifnull(int8, int8) returns int8 parallel safe strict language plpgsql as $$
begin
    if $1 is null then
       raise 'erroneously called with NULL argument';
    end if;
    return null;
end$$;
create aggregate balk(int4) (sfunc = int4_sum(int8, int4), stype = int8, combinefunc = balkifnull(int8, int8), parallel = safe, initcond = '0');
select balk(x) from generate_series(1, 100) x;
rollback;
select variance(unique1::int4), sum(unique1::int8) from tenk1;
select dense_rank(x) within group (order by x) from (values (1),(1),(2),(2),(3),(3)) v(x) group by (x) order by 1;
select min(x order by y) from (values(1, null)) as d(x,y);
select min(x order by y) from (values(1, 2)) as d(x,y);
select v||'a', case v||'a' when 'aa' then 1 else 0 end, count(*) from unnest(array['a','b']) u(v) group by v||'a' order by 1;
select v||'a', case when v||'a' = 'aa' then 1 else 0 end, count(*) from unnest(array['a','b']) u(v) group by v||'a' order by 1;
-- beyond the regression file: ordering operators, state functions and corner cases
select string_agg(f1, ',' order by f1 using ~>~) from varchar_tbl;
select array_agg(v order by v using ~<~ nulls first) from (values ('b'::char(3)), ('a '), (null), ('a')) t(v);
select array_agg(x order by x using >), array_agg(x order by x using <) from generate_series(1, 4) x;
select array_agg(x order by x using <>) from generate_series(1, 3) x;
select array_agg(x order by x using ~<~) from generate_series(1, 3) x;
select float8_accum('{1,2}'::float8[], 3);
select float8_accum('{0,0,0}'::float8[], 'infinity');
select float8_accum('{1,1e308,0}'::float8[], 1e308);
select int4_avg_accum('{2,10}'::int8[], 5), int8_avg('{0,0}'::int8[]), int8_avg('{3,10}'::int8[]);
select int4_sum(null, 5), int4_sum(7, null), int4_sum(null, null), int2_sum(1, 2::int2);
select int8inc_any(41, 'x'::text), int8inc_any(41, null::int);
select booland_statefunc(true, true), boolor_statefunc(false, null);
create aggregate ra_avg2(int4) (sfunc = int4_avg_accum, stype = int8[], finalfunc = int8_avg, initcond = '{0,0}');
select ten, ra_avg2(unique1) from onek group by ten order by ten;
create aggregate ra_var(float8) (sfunc = float8_accum, stype = float8[], finalfunc = float8_var_pop, combinefunc = float8_combine, initcond = '{0,0,0}');
select ra_var(x), var_pop(x) from (values (1::float8), (2), (4), (8)) v(x);
create aggregate ra_sum(int4) (sfunc = int4_sum, stype = int8);
select ra_sum(four), sum(four) from onek;
create temp table ra_dk (a int primary key deferrable initially deferred, b int);
insert into ra_dk values (1, 10), (2, 20);
select a, b from ra_dk group by a;
select a, max(b) from ra_dk group by a order by a;
create temp table ra_uk (a int unique, b int);
select a, b from ra_uk group by a;
select (select rank(x) within group (order by y) from (values (1)) v(y)) from generate_series(1, 3) x;
select x, (select percentile_cont(0.5) within group (order by x) from (values (1)) v(y)) from generate_series(1, 3) x group by x order by x;
select (select percentile_disc(0.5) within group (order by x) filter (where x > 1)) from generate_series(1, 5) x;
select (select percentile_disc(y) within group (order by x) from (values (0.5)) v(y)) from generate_series(1, 5) x;
select rank(3) within group (order by x) from (values (1.5), (2.5), (3.5)) v(x);
select rank(2.5) within group (order by x) from generate_series(1, 4) x;
select rank('b') within group (order by x) from (values ('a'::varchar), ('c')) v(x);
create view ra_v_using as select string_agg(f1, ',' order by f1 using ~>~ nulls first) as s, array_agg(f1 order by f1 using ~<~ nulls last) as a from varchar_tbl;
select pg_get_viewdef('ra_v_using'::regclass);
select * from ra_v_using;
drop view ra_v_using;
select array_agg(a) from (values (array[1, 2]), (array[3, 4])) v(a);
select array_agg(a) from (values (array[1, 2]), (array[3])) v(a);
select array_agg(a) from (values (array[1, 2]), (null)) v(a);
select array_agg(a order by a desc) from (values (array[1]), (array[2])) v(a);
select min(x), max(x) from (values ('1.2.3.4'::inet), ('10.0.0.1'), ('9.9.9.9')) v(x);
select min(x), max(x), count(distinct x) from (values (interval '1 day'), (interval '24 hours'), (interval '2 days')) v(x);
select sum(x), avg(x) from (values (1.5::float4), (2.25::float4)) v(x);
select sum(x::money) from (values (1.25), (2.50)) v(x);
select avg(x)::numeric(20, 10), sum(x) from (values (1::numeric(5, 2)), (2.55), (3.125)) v(x);
select jsonb_object_agg(k, v) from (values ('a', 1), (null, 2)) t(k, v);
select json_object_agg(k, v) from (values ('a', 1), ('a', 2)) t(k, v);
select jsonb_object_agg(k, v order by v) from (values ('a', 1), ('a', 2)) t(k, v);
select mode() within group (order by x) from (values (null::int)) v(x);
select percentile_disc(null::float8) within group (order by x) from generate_series(1, 3) x;
select percentile_cont(x) within group (order by x) from generate_series(1, 3) x;
select percentile_cont(0.5) within group (order by x) from (values (interval '1 hour'), (interval '3 hours')) v(x);
select percentile_cont(0.5) within group (order by x) from (values (timestamp '2024-01-01'), (timestamp '2024-01-03')) v(x);
select count(distinct (a, b)), count(distinct a) from (values (1, null), (1, null), (null, 1)) v(a, b);
select sum(distinct x), count(distinct x) filter (where x > 1) from (values (1), (2), (2), (null)) v(x);
select four, array_agg(distinct ten order by ten) filter (where ten < 5) from onek group by four order by four;
select sum(x) from generate_series(1, 10) x having sum(x) > 5 order by 1;
select max(unique1) filter (where false), count(*) filter (where null) from tenk1;
select string_agg(distinct string4::text, '/' order by string4::text) from tenk1;
select string_agg(distinct string4, '/' order by string4 desc) from tenk1;
select bit_and(x), bit_or(x), bit_xor(x) from (values (12::int8), (10::int8)) v(x);
select every(x > 0), bool_or(x > 3) from generate_series(1, 3) x group by x % 2 order by 1, 2;
select ten, count(*) from tenk1 group by ten having max(unique1) > 990 order by ten;
select count(*) from (select distinct on (ten) ten, unique1 from tenk1 order by ten, unique1) s;
-- aggregates where they are and are not allowed, and more shapes
select count(*) from tenk1 where max(unique1) > 0;
select count(*) from tenk1 group by sum(unique1);
select count(*) from tenk1 a join tenk1 b on sum(a.unique1) > 0;
select * from (values (count(*))) v(x);
select count(*) from tenk1 limit sum(1);
select count(*) from tenk1 group by ();
select count(*), sum(unique1) from tenk1 where false group by ();
select ten, count(*) from tenk1 where false group by ten;
select min(x) from (values (true), (false)) v(x);
select max(x) from (values ('{}'::json)) v(x);
select string_agg(x, 1) from (values ('a')) v(x);
select sum(distinct x) from (values (1.5::float8), (1.5), (2.5)) v(x);
select count(distinct x), count(all x) from (values (1), (1), (null)) v(x);
select sum(x) filter (where x > (select avg(unique1) from tenk1)) from generate_series(1, 1000) x;
select four, sum(unique1) from tenk1 group by four having sum(unique1) > (select sum(unique1) / 4 from tenk1) order by four;
select four, max(unique1) - min(unique1) as spread from tenk1 group by four order by spread desc, four;
select four, count(*) from tenk1 group by four order by count(*) desc, sum(unique1) limit 2;
select a.four, count(b.*) from tenk1 a left join tenk1 b on b.unique1 = a.unique1 + 1000 group by a.four order by a.four;
select count(t.*), count(t) from tenk1 t where unique1 < 5;
select array_agg(t order by unique1)::text from (select unique1, four from tenk1 where unique1 < 3) t;
select array_agg(row(unique1, four) order by unique1)::text from tenk1 where unique1 < 3;
select sum(x), avg(x) from (values (interval '1 month'), (interval '15 days'), (null)) v(x);
select avg(x) from (values (interval '1 day'), (interval '1 hour'), (interval '1 minute')) v(x);
select max(x), min(x) from (values ('{1,2}'::int[]), ('{1,2,0}'), ('{0,9}')) v(x);
select max(x), min(x) from (values ('a'::text), ('B'), ('b'), (null)) v(x);
select max(x), min(x) from (values (date '2024-01-01'), ('infinity'), ('-infinity')) v(x);
select max(x), min(x) from (values ('b'::char(2)), ('a '), ('ab')) v(x);
select sum(x) from (values (9223372036854775807::int8), (9223372036854775807::int8)) v(x);
select sum(x)::text, avg(x)::text from (values (32767::int2), (32767::int2)) v(x);
select avg(x), sum(x) from (values (1e-20::numeric), (3e-20)) v(x);
select variance(x), stddev(x) from (values (1::int8), (2), (4)) v(x);
select var_samp(x), stddev_samp(x) from (values (5::numeric)) v(x);
select count(*) from (select four from tenk1 group by four having count(*) > 100) s;
select (select count(*) from tenk1 b where b.four = a.four), count(*) from tenk1 a group by a.four order by 1, 2;
select exists (select 1 from tenk1 having count(*) > 999), exists (select 1 from tenk1 having count(*) > 1000);
select four, (array_agg(unique1 order by unique1 desc))[1:2] from tenk1 group by four order by four;
select four, string_agg(unique1::text, ',' order by unique1) filter (where unique1 < 12) from tenk1 group by four order by four;
select bool_and(unique1 >= 0) filter (where four = 1), bool_or(unique1 > 998) from tenk1;
select sum(unique1) over (), count(*) over () from tenk1 where unique1 < 3 group by unique1 order by unique1;
select unique1 % 3 as m, count(*) from tenk1 group by m having m > 0 order by m;
select unique1 % 3 as m, count(*) from tenk1 group by 1 order by 1 desc;
select count(*) from tenk1 group by unique1 % 3 order by unique1 % 3;
select unique1 % 3, count(*) from tenk1 group by unique1 % 3 order by unique1;
select distinct count(*) from tenk1 group by four;
select count(*) from tenk1 t group by t order by 1 limit 1;
