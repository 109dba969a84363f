-- PL/pgSQL records, row types and arrays after PostgreSQL 15's plpgsql_record.sql,
-- plpgsql_array.sql, plpgsql_call.sql and plpgsql_varprops.sql. Notices are not compared,
-- so DO blocks test success or failure and functions return what the tests print.
-- setup
create type rpr_two_int4s as (f1 int4, f2 int4);
create type rpr_more_int4s as (f0 text, f1 int4, f2 int4);
create type rpr_two_int8s as (q1 int8, q2 int8);
create type rpr_nested_int8s as (c1 rpr_two_int8s, c2 rpr_two_int8s);
create type rpr_complex as (r float8, i float8);
create type rpr_quadarray as (c1 rpr_complex[], c2 rpr_complex);
create table rpr_some_table (id int, data text);
create table rpr_has_hole (f1 int, f2 int, f3 int);
alter table rpr_has_hole drop column f2;
create table rpr_array_test (a int, b varchar);
insert into rpr_array_test values (1, 'first'), (2, 'second');
create table rpr_onecol (f1 int[]);
insert into rpr_onecol values (array[1, 2]);
create table rpr_calltest (a int, b text);
-- test
create function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ begin return row($1, 1)::rpr_two_int8s; end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ begin return row($1::int8, 1::int8); end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ begin return row($1, 1); end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ begin return row($1::int8, 1::int8, 42); end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ declare r record; begin r := row($1::int8, 1::int8); return r; end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ declare r record; begin r := row($1, 1); return r; end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ declare r record; begin r := row($1::int8, 1::int8, 42); return r; end $$;
select rpr_retc(42)::text;
create or replace function rpr_retc(int) returns rpr_two_int8s language plpgsql as
$$ declare r rpr_two_int8s; begin r := row($1::int8, 1::int8, 42); return r; end $$;
select rpr_retc(42)::text;
create function rpr_c1() returns text language plpgsql as $$
declare c rpr_two_int8s;
begin c := row(1, 2); return c::text; end $$;
select rpr_c1();
create function rpr_c2() returns text language plpgsql as $$
declare c rpr_two_int8s; s text := '';
begin for c in select 1, 2 loop s := s || c::text; end loop; return s; end $$;
select rpr_c2();
create function rpr_c3() returns text language plpgsql as $$
declare c4 rpr_two_int4s; c8 rpr_two_int8s;
begin
  c8 := row(1, 2);
  c4 := c8;
  c8 := c4;
  return c4::text || ' ' || c8::text;
end $$;
select rpr_c3();
create function rpr_nested() returns text language plpgsql as $$
declare c rpr_two_int8s; d rpr_nested_int8s; s text;
begin
  c := row(1, 2);
  d := row(c, row(c.q1, c.q2 + 1));
  s := 'c = ' || c::text || ', d = ' || d::text;
  c.q1 := 10;
  d.c1 := row(11, 12);
  d.c2.q2 := 42;
  s := s || ' | c = ' || c::text || ', d = ' || d::text;
  s := s || ' | c.q1 = ' || c.q1 || ', d.c2 = ' || d.c2::text;
  s := s || ' | ' || (d).c2.q2 || ' ' || (d.c2).q2;
  return s;
end $$;
select rpr_nested();
create function rpr_block_qualified() returns text language plpgsql as $$
<<b>> declare c rpr_two_int8s; d rpr_nested_int8s;
begin
  b.c := row(1, 2);
  b.d := row(b.c, row(b.c.q1, b.c.q2 + 1));
  b.c.q1 := 10;
  b.d.c1 := row(11, 12);
  b.d.c2.q2 := 42;
  return b.c::text || ' ' || b.d::text || ' ' || b.c.q1 || ' ' || (b.d.c2).q2;
end $$;
select rpr_block_qualified();
do $$ declare c rpr_two_int8s; begin c.x = 1; end $$;
do $$ declare c rpr_nested_int8s; begin c.x = 1; end $$;
do $$ declare c rpr_nested_int8s; begin c.x.q1 = 1; end $$;
do $$ declare c rpr_nested_int8s; begin c.c2.x = 1; end $$;
do $$ declare c rpr_nested_int8s; begin d.c2.x = 1; end $$;
do $$ <<b>> declare c rpr_two_int8s; begin b.c.x = 1; end $$;
do $$ <<b>> declare c rpr_nested_int8s; begin b.c.c2.x = 1; end $$;
create function rpr_getq1(rpr_two_int8s) returns int8 language plpgsql as $$
declare r rpr_two_int8s; begin r := $1; return r.q1; end $$;
select rpr_getq1(rpr_retc(344));
select rpr_getq1(row(1, 2));
create function rpr_pass() returns text language plpgsql as $$
declare r1 rpr_two_int8s; r2 record; x int8; s text := '';
begin
  r1 := rpr_retc(345);
  perform rpr_getq1(r1);
  x := rpr_getq1(r1);
  s := s || x;
  r2 := rpr_retc(346);
  perform rpr_getq1(r2);
  x := rpr_getq1(r2);
  return s || ' ' || x;
end $$;
select rpr_pass();
create function rpr_assign() returns setof text language plpgsql as $$
declare r1 rpr_two_int8s; r2 rpr_two_int8s; r3 record; r4 record;
begin
  r1 := row(1, 2);
  return next 'r1 = ' || r1::text;
  r1 := r1;
  return next 'r1 = ' || r1::text;
  r2 := r1;
  r2.q2 = r1.q1 + 3;
  return next 'r1 = ' || r1::text || ' r2 = ' || r2::text;
  r1 := null;
  return next 'r1 = ' || coalesce(r1::text, 'NULL') || ' r2 = ' || r2::text;
  r1 := row(7, 11)::rpr_two_int8s;
  r2 := r1;
  return next 'r1 = ' || r1::text || ' r2 = ' || r2::text;
  r3 := row(1, 2);
  r4 := r3;
  r4.f1 := r4.f1 + 3;
  return next 'r3 = ' || r3::text || ' r4 = ' || r4::text;
  r1 := r3;
  return next 'r1 = ' || r1::text;
  r4 := r1;
  r4.q2 := r4.q2 + 1;
  return next 'r4 = ' || r4::text;
end $$;
-- ordered
select * from rpr_assign();
create function rpr_uninit_named() returns text language plpgsql as $$
declare r1 rpr_two_int8s;
begin
  return coalesce(r1::text, 'NULL') || ' ' || coalesce(r1.q1::text, 'NULL') || ' '
    || (r1 is null);
end $$;
select rpr_uninit_named();
create function rpr_nosuchfield() returns text language plpgsql as $$
declare r1 rpr_two_int8s;
begin
  return r1.nosuchfield;
end $$;
select rpr_nosuchfield();
create function rpr_uninit_record() returns text language plpgsql as $$
declare r1 record;
begin
  return r1.f1;
end $$;
select rpr_uninit_record();
create function rpr_record_assigned() returns text language plpgsql as $$
declare r1 record;
begin
  r1 := row(1, 2);
  return r1.f1 || ' ' || r1.f2 || ' ' || r1::text;
end $$;
select rpr_record_assigned();
create function rpr_record_nosuchfield() returns text language plpgsql as $$
declare r1 record;
begin
  r1 := row(1, 2);
  return r1.nosuchfield;
end $$;
select rpr_record_nosuchfield();
create function rpr_typeof_vars() returns text language plpgsql as $$
declare
  v int;
  r rpr_two_int8s;
  v1 v%type;
begin
  return pg_typeof(v1) || ' ' || pg_typeof(r);
end $$;
select rpr_typeof_vars();
do $$ declare r1 record[]; begin end $$;
create function rpr_repeat_field() returns text language plpgsql as $$
declare r rpr_some_table;
begin
  r := (23, 'skidoo');
  for i in 1 .. 10 loop
    r.id := r.id + i;
    r.data := r.data || ' ' || i;
  end loop;
  return r::text;
end $$;
select rpr_repeat_field();
create function rpr_returnsrecord(int) returns record language plpgsql as
$$ begin return row($1, $1 + 1); end $$;
select rpr_returnsrecord(42);
select * from rpr_returnsrecord(42) as r(x int, y int);
select * from rpr_returnsrecord(42) as r(x int, y int, z int);
select * from rpr_returnsrecord(42) as r(x int, y bigint);
create or replace function rpr_returnsrecord(int) returns record language plpgsql as
$$ declare r record; begin r := row($1, $1 + 1); return r; end $$;
select rpr_returnsrecord(42);
select * from rpr_returnsrecord(42) as r(x int, y int);
select * from rpr_returnsrecord(42) as r(x int, y int, z int);
select * from rpr_returnsrecord(42) as r(x int, y bigint);
create or replace function rpr_returnsrecord(int) returns record language plpgsql as
$$ begin return row($1, $1 + 1)::rpr_has_hole; end $$;
select rpr_returnsrecord(42);
select * from rpr_returnsrecord(42) as r(x int, y int);
select * from rpr_returnsrecord(42) as r(x int, y int, z int);
create function rpr_getf1(x record) returns int language plpgsql as
$$ begin return x.f1; end $$;
select rpr_getf1(1);
select rpr_getf1(row(1, 2));
select rpr_getf1(row(1, 2)::rpr_two_int4s);
select rpr_getf1(row('foo', 123, 456)::rpr_more_int4s);
select rpr_getf1(row(1, 2)::rpr_two_int8s);
create function rpr_getf2(record) returns int language plpgsql as
$$ begin return $1.f2; end $$;
select rpr_getf2(row(1, 2));
select rpr_getf2(row(1, 2)::rpr_two_int4s);
select rpr_getf2(row('foo', 123, 456)::rpr_more_int4s);
create function rpr_for_coerce() returns text language plpgsql as $$
declare r rpr_two_int8s; s text := '';
begin
  for r in select i, i + 1 from generate_series(1, 4) i
  loop
    s := s || r::text;
  end loop;
  return s;
end $$;
select rpr_for_coerce();
create function rpr_returnssetofholes() returns setof rpr_has_hole language plpgsql as
$$
declare r record;
  h rpr_has_hole;
begin
  return next h;
  r := (1, 2);
  h := (3, 4);
  return next r;
  return next h;
  return next row(5, 6);
  return next row(7, 8)::rpr_has_hole;
  return query select 9, 10;
end $$;
select rpr_returnssetofholes()::text;
create or replace function rpr_returnssetofholes() returns setof rpr_has_hole language plpgsql as
$$
declare r record;
begin
  return next r;
end $$;
select rpr_returnssetofholes()::text;
create or replace function rpr_returnssetofholes() returns setof rpr_has_hole language plpgsql as
$$
begin
  return next row(1, 2, 3);
end $$;
select rpr_returnssetofholes()::text;
create or replace function rpr_returnssetofholes() returns setof rpr_has_hole language plpgsql as
$$
begin
  return query select 1, 2.0;
end $$;
select rpr_returnssetofholes()::text;
create table rpr_mutable (f1 int, f2 text);
create function rpr_sillyaddone(int) returns int language plpgsql as
$$ declare r rpr_mutable; begin r.f1 := $1; return r.f1 + 1; end $$;
select rpr_sillyaddone(42);
alter table rpr_mutable drop column f1;
select rpr_sillyaddone(42);
create function rpr_getf3(x rpr_mutable) returns int language plpgsql as
$$ begin return x.f3; end $$;
select rpr_getf3(null::rpr_mutable);
alter table rpr_mutable add column f3 int;
select rpr_getf3(null::rpr_mutable);
select rpr_getf3(row('a', 7)::rpr_mutable);
create function rpr_sillytrig() returns trigger language plpgsql as
$$begin
  return row(new.*);
end$$;
create trigger rpr_mutable_trig before update on rpr_mutable for each row
execute procedure rpr_sillytrig();
insert into rpr_mutable values ('foo'), ('bar');
update rpr_mutable set f2 = f2 || ' baz';
select * from rpr_mutable order by f2;
create or replace function rpr_sillytrig() returns trigger language plpgsql as
$$declare r record;
begin
  r := row(new.*);
  return r;
end$$;
update rpr_mutable set f2 = f2 || ' baz';
select * from rpr_mutable order by f2;
-- domains over composites
create domain rpr_ordered_int8s as rpr_two_int8s check ((value).q1 <= (value).q2);
create function rpr_read_ordered(p rpr_ordered_int8s) returns int8 as $$
begin return p.q1 + p.q2; end
$$ language plpgsql;
select rpr_read_ordered(row(1, 2));
select rpr_read_ordered(row(2, 1));
create function rpr_build_ordered(i int8, j int8) returns rpr_ordered_int8s as $$
begin return row(i, j); end
$$ language plpgsql;
select rpr_build_ordered(1, 2)::text;
select rpr_build_ordered(2, 1)::text;
create function rpr_build_ordered_2(i int8, j int8) returns rpr_ordered_int8s as $$
declare r record; begin r := row(i, j); return r; end
$$ language plpgsql;
select rpr_build_ordered_2(1, 2)::text;
select rpr_build_ordered_2(2, 1)::text;
create function rpr_build_ordered_4(i int8, j int8) returns rpr_ordered_int8s as $$
declare r rpr_ordered_int8s; begin r := row(i, j); return r; end
$$ language plpgsql;
select rpr_build_ordered_4(1, 2)::text;
select rpr_build_ordered_4(2, 1)::text;
do $$
declare r rpr_ordered_int8s;
begin
  r.q1 := null;
  r.q2 := 43;
  r.q1 := 42;
  r.q2 := 41;
end $$;
do $$
declare r rpr_ordered_int8s;
begin
  r := null;
  r := row(null, null);
  r := row(1, 2);
  r := row(2, 1);
end $$;
do $$
declare r rpr_ordered_int8s;
begin
  for r in values (1, 2), (3, 4), (6, 5) loop
    raise notice 'r = %', r;
  end loop;
end $$;
create domain rpr_posint as int check (value > 0);
create function rpr_domain_var() returns int language plpgsql as $$
declare d rpr_posint := 1;
begin
  d := d + 1;
  d := d - 5;
  return d;
end $$;
select rpr_domain_var();
-- arrays (plpgsql_array.sql)
create function rpr_arr1() returns text language plpgsql as $$
declare a int[]; s text := '';
begin
  a := array[1, 2]; a[3] := 4; s := s || a::text;
  a := null; a[3] := 4; s := s || ' ' || a::text;
  a := null; a[1][4] := 4; s := s || ' ' || a::text;
  a := null; a[1] := 23::text; s := s || ' ' || a::text;
  a := array[1, 2]; a[2:3] := array[3, 4]; s := s || ' ' || a::text;
  a := array[1, 2]; a[2] := a[2] + 1; s := s || ' ' || a::text;
  a := null; a[1:2] := array[3, 4]; s := s || ' ' || a::text;
  return s;
end $$;
select rpr_arr1();
do $$ declare a int[]; begin a[1:2] := 4; end $$;
create function rpr_arr_complex() returns text language plpgsql as $$
declare a rpr_complex[]; b rpr_complex[]; q rpr_quadarray;
begin
  a[1] := (1, 2); a[1].i := 11;
  b[1].i := 11;
  q.c1[1].i := 11;
  return a::text || ' ' || b::text || ' ' || b[1].i || ' ' || q::text || ' ' || q.c1[1].i;
end $$;
select rpr_arr_complex();
do $$ declare a rpr_complex[]; begin a[1:2].i := array[11, 12]; end $$;
create function rpr_arr_assign_query() returns text language plpgsql as $$
declare a int[]; s text;
begin
  a := array_agg(x) from (values (1), (2), (3)) v(x);
  s := a::text;
  a := f1 from rpr_onecol;
  s := s || ' ' || a::text;
  a := * from rpr_onecol for update;
  return s || ' ' || a::text;
end $$;
select rpr_arr_assign_query();
do $$ declare a int[]; begin a := from rpr_onecol; end $$;
do $$ declare a int[]; begin a := f1, f1 from rpr_onecol; end $$;
insert into rpr_onecol values (array[11]);
do $$ declare a int[]; begin a := f1 from rpr_onecol; end $$;
create function rpr_arr_limit() returns text language plpgsql as $$
declare a int[];
begin
  a := f1 from rpr_onecol order by f1 limit 1;
  return a::text;
end $$;
select rpr_arr_limit();
do $$ declare a real; begin a[1] := 2; end $$;
do $$ declare a rpr_complex; begin a.r[1] := 2; end $$;
create function rpr_arr_types() returns text language plpgsql as $$
declare
  v int;
  v1 v%type;
  v2 v%type[];
  v3 v%type[1];
  v6 v%type array;
  v10 rpr_array_test%rowtype[];
begin
  return pg_typeof(v1) || ' ' || pg_typeof(v2) || ' ' || pg_typeof(v3) || ' '
    || pg_typeof(v6) || ' ' || pg_typeof(v10);
end $$;
select rpr_arr_types();
create function rpr_arr_func() returns text language plpgsql as $$
declare
  v1 int;
  v2 varchar;
  a1 v1%type[];
  a2 v2%type[];
begin
  v1 := 10;
  v2 := 'Hi';
  a1 := array[v1, v1];
  a2 := array[v2, v2];
  return a1::text || ' ' || a2::text;
end $$;
select rpr_arr_func();
create function rpr_rowtype_array() returns text language plpgsql as $$
declare tg rpr_array_test%rowtype[]; s text;
begin
  tg := array(select rpr_array_test from rpr_array_test order by a);
  s := tg::text;
  tg := array(select row(a, b) from rpr_array_test order by a);
  return s || ' ' || tg::text;
end $$;
select rpr_rowtype_array();
create function rpr_arr_bounds() returns text language plpgsql as $$
declare a int[] := '{10,20,30}'; b text[] := '{}';
begin
  b := b || 'x'::text;
  return a[0] is null || ' ' || a[4] is null || ' ' || array_length(a, 1) || ' '
    || a[2:] :: text || ' ' || b::text || ' ' || cardinality(b);
end $$;
select rpr_arr_bounds();
create function rpr_arr_2d() returns text language plpgsql as $$
declare m int[] := array[[1, 2, 3], [4, 5, 6]]; t int := 0;
begin
  for i in array_lower(m, 1)..array_upper(m, 1) loop
    for j in array_lower(m, 2)..array_upper(m, 2) loop
      t := t + m[i][j] * i;
    end loop;
  end loop;
  m[2][3] := 60;
  return t || ' ' || m::text;
end $$;
select rpr_arr_2d();
-- procedures and CALL (plpgsql_call.sql)
create procedure rpr_test_proc1() language plpgsql as $$
begin
  null;
end $$;
call rpr_test_proc1();
create procedure rpr_test_proc2() language plpgsql as $$
begin
  return 5;
end $$;
create procedure rpr_test_proc3(x int) language plpgsql as $$
begin
  insert into rpr_calltest values (x, 'p3');
end $$;
call rpr_test_proc3(55);
select * from rpr_calltest;
create procedure rpr_test_proc4(y int) language plpgsql as $$
begin
  call rpr_test_proc3(y);
  call rpr_test_proc3($1);
end $$;
call rpr_test_proc4(66);
select a from rpr_calltest order by a;
create procedure rpr_test_proc5(inout a text) language plpgsql as $$
begin
  a := a || '+' || a;
end $$;
call rpr_test_proc5('abc');
create procedure rpr_test_proc6(a int, inout b int, inout c int) language plpgsql as $$
begin
  b := b * a;
  c := c * a;
end $$;
call rpr_test_proc6(2, 3, 4);
create function rpr_call_inout() returns text language plpgsql as $$
declare x int := 3; y int := 4;
begin
  call rpr_test_proc6(2, x, y);
  return x || ' ' || y;
end $$;
select rpr_call_inout();
do $$
declare x int := 3; y int := 4;
begin
  call rpr_test_proc6(2, x + 1, y);
end $$;
create procedure rpr_test_proc7(x int, inout a int, inout b numeric) language plpgsql as $$
begin
  if x > 1 then
    a := x / 10;
    b := x / 2;
    return;
  end if;
  a := x * 10;
  b := x * 2;
end $$;
call rpr_test_proc7(100, -1, -1);
call rpr_test_proc7(1, -1, -1);
create procedure rpr_test_proc8a(inout a int, inout b int) language plpgsql as $$
begin
  a := a * 2;
  b := b * 3;
end $$;
create function rpr_call_named() returns text language plpgsql as $$
declare _a int; _b int;
begin
  _a := 10; _b := 30;
  call rpr_test_proc8a(_a, _b);
  call rpr_test_proc8a(b => _b, a => _a);
  return _a || ' ' || _b;
end $$;
select rpr_call_named();
create procedure rpr_test_proc9(in a int, out b int) language plpgsql as $$
begin
  b := a * 100;
end $$;
call rpr_test_proc9(7, null);
create function rpr_call_out() returns int language plpgsql as $$
declare r int;
begin
  call rpr_test_proc9(3, r);
  return r;
end $$;
select rpr_call_out();
create procedure rpr_test_proc10(inout a int default 11) language plpgsql as $$
begin
  a := a + 1;
end $$;
call rpr_test_proc10();
call rpr_test_proc10(1);
select rpr_test_proc1();
create function rpr_call_function() returns void language plpgsql as $$
begin
  call rpr_retc(1);
end $$;
select rpr_call_function();
-- variable properties (plpgsql_varprops.sql)
create type rpr_var_record as (f1 int4, f2 int4);
create domain rpr_int_nn as int not null;
create domain rpr_var_record_nn as rpr_var_record not null;
create domain rpr_var_record_colnn as rpr_var_record check ((value).f2 is not null);
do $$ declare x int not null; begin raise notice 'x = %', x; end $$;
do $$ declare x int not null := 42; begin x := null; end $$;
do $$ declare x rpr_int_nn; begin raise notice 'x = %', x; end $$;
do $$ declare x rpr_int_nn := 42; begin x := null; end $$;
do $$ declare x rpr_int_nn := 42; begin x := x + 1; end $$;
do $$ declare r rpr_var_record not null; begin raise notice 'r = %', r; end $$;
do $$ declare r rpr_var_record not null := row(1, 2); begin r := null; end $$;
do $$ declare r rpr_var_record not null := row(1, 2); begin r.f1 := null; end $$;
do $$ declare r rpr_var_record_nn; begin raise notice 'r = %', r; end $$;
do $$ declare r rpr_var_record_nn := row(1, 2); begin r := null; end $$;
do $$ declare r rpr_var_record_colnn; begin raise notice 'r = %', r; end $$;
do $$ declare r rpr_var_record_colnn := row(1, 2); begin r.f2 := null; end $$;
do $$ declare x constant int := 42; begin x := 43; end $$;
do $$ declare x constant int; begin raise notice 'x = %', x; end $$;
do $$ declare x constant int not null; begin raise notice 'x = %', x; end $$;
create function rpr_const_loop() returns text language plpgsql as $$
declare s text := '';
begin
  for i in 1..2 loop
    declare c constant int := i * 7;
    begin
      s := s || c;
    end;
  end loop;
  return s;
end $$;
select rpr_const_loop();
do $$ declare x constant int := 42; begin for x in 1..2 loop end loop; end $$;
do $$ declare x constant int := 42; begin select 1 into x; end $$;
do $$ declare x int := 42; y int := x + 1; begin if y <> 43 then raise exception 'bad'; end if; end $$;
-- rows and record variables in queries
create function rpr_row_in_query() returns text language plpgsql as $$
declare r rpr_array_test; n int;
begin
  select * into r from rpr_array_test where a = 2;
  select count(*) into n from rpr_array_test t where t.b = r.b;
  return r.a || ' ' || r.b || ' ' || n;
end $$;
select rpr_row_in_query();
create function rpr_row_compare() returns text language plpgsql as $$
declare a rpr_two_int4s := row(1, 2); b rpr_two_int4s := row(1, 3);
begin
  return (a < b) || ' ' || (a = a) || ' ' || (row(1, null)::rpr_two_int4s is null);
end $$;
select rpr_row_compare();
create function rpr_row_insert() returns text language plpgsql as $$
declare r rpr_array_test;
begin
  r.a := 3; r.b := 'third';
  insert into rpr_array_test values (r.*);
  insert into rpr_array_test select (r).a + 1, r.b || '!';
  return (select string_agg(a || b, ',' order by a) from rpr_array_test);
end $$;
select rpr_row_insert();
create function rpr_record_from_exec() returns text language plpgsql as $$
declare r record;
begin
  execute 'select 1 as x, ''two''::text as y' into r;
  return r.x || ' ' || r.y || ' ' || pg_typeof(r.x);
end $$;
select rpr_record_from_exec();
create function rpr_record_retype() returns text language plpgsql as $$
declare r record; s text := '';
begin
  r := row(1, 'a');
  s := s || r::text;
  select 'b' as x into r;
  s := s || ' ' || r.x;
  for r in select 2 as q, 3 as w loop
    s := s || ' ' || r.q || r.w;
  end loop;
  return s;
end $$;
select rpr_record_retype();
create function rpr_rowtype_decl() returns text language plpgsql as $$
declare r rpr_array_test%rowtype; x rpr_array_test.b%type;
begin
  r := row(5, 'five');
  x := r.b;
  return r::text || ' ' || x || ' ' || pg_typeof(x);
end $$;
select rpr_rowtype_decl();
create function rpr_into_row(out x int, out y text) language plpgsql as $$
begin
  select a, b into x, y from rpr_array_test where a = 1;
end $$;
select * from rpr_into_row();
create function rpr_return_composite_setof() returns setof rpr_two_int4s language plpgsql as $$
begin
  return next (1, 2);
  return next row(3, 4)::rpr_two_int4s;
  return query values (5, 6);
end $$;
select * from rpr_return_composite_setof();
select (rpr_return_composite_setof()).f2;
do $$ declare r rpr_var_record constant := row(1, 2); begin r := row(3, 4); end $$;
do $$ declare r rpr_var_record not null := row(1, 2); begin r := row(3, 4); r.f1 := null; end $$;
create function rpr_record_notnull_catch() returns text language plpgsql as $$
declare r rpr_two_int4s not null := row(1, 2);
begin
  r := null;
  return 'no';
exception when null_value_not_allowed then
  return sqlstate || ' ' || sqlerrm;
end $$;
select rpr_record_notnull_catch();
do $$ begin raise null_value_not_allowed; end $$;
do $$ begin raise string_data_right_truncation using message = 'too long'; end $$;
create function rpr_shared_condition() returns text language plpgsql as $$
begin
  raise sqlstate '39004';
exception when null_value_not_allowed then
  return 'caught ' || sqlstate;
end $$;
select rpr_shared_condition();
