-- Settings inside PL/pgSQL as PostgreSQL 15 keeps them: SET / SET LOCAL / RESET statements in
-- functions, procedures and DO blocks (SET lasts for the session unless the transaction rolls
-- back, SET LOCAL until the transaction ends, as set_config() does); CREATE FUNCTION … SET
-- clauses (proconfig) that hold while the function runs; row variables initialised by ROW().
-- setup
create table ps_t (a int, b text);
-- test
do $$ begin set extra_float_digits = 1; end $$;
show extra_float_digits;
do $$ begin reset extra_float_digits; end $$;
show extra_float_digits;
do $$ begin set local extra_float_digits = 2; raise notice '%', current_setting('extra_float_digits'); end $$;
show extra_float_digits;
begin;
do $$ begin set local extra_float_digits = 2; end $$;
show extra_float_digits;
commit;
show extra_float_digits;
begin;
do $$ begin set extra_float_digits = 3; end $$;
rollback;
show extra_float_digits;
create function ps_set(v text) returns text language plpgsql as $$
begin
  set ps.custom = 'x';
  set local datestyle = 'SQL, DMY';
  perform set_config('ps.other', v, false);
  return current_setting('ps.custom') || '/' || current_setting('datestyle');
end $$;
begin;
select ps_set('y');
show datestyle;
show ps.custom;
commit;
show datestyle;
show ps.custom;
show ps.other;
create procedure ps_proc() language plpgsql as $$
begin
  set search_path = pg_catalog, public;
  set local ps.inproc = 'local';
end $$;
call ps_proc();
show search_path;
reset search_path;
show search_path;
do $$ begin set time zone 'UTC'; reset all; end $$;
do $$ begin set no_such_setting = 1; end $$;
do $$ begin set extra_float_digits = 'abc'; end $$;
do $$ begin set transaction_read_only = on; end $$;
do $$ begin set extra_float_digits to default; end $$;
show extra_float_digits;
do $$ begin set extra_float_digits = 2; raise exception 'boom'; end $$;
show extra_float_digits;
do $$
begin
  begin
    set extra_float_digits = 0;
    raise exception 'inner';
  exception when others then
    raise notice 'caught, now %', current_setting('extra_float_digits');
  end;
end $$;
show extra_float_digits;
create function ps_stable() returns int stable language plpgsql as $$
begin set extra_float_digits = 3; return 1; end $$;
select ps_stable();
show extra_float_digits;
do $$ declare n text := '3'; begin execute 'set extra_float_digits = ' || n; end $$;
show extra_float_digits;
reset extra_float_digits;
create function ps_caught() returns text language plpgsql as $$
begin
  set extra_float_digits = 1;
  begin
    set extra_float_digits = 0;
    set ps.inner = 'in';
    raise exception 'inner';
  exception when others then
    return current_setting('extra_float_digits') || '/' ||
      coalesce(current_setting('ps.inner', true), 'none');
  end;
end $$;
select ps_caught();
show extra_float_digits;
select set_config('extra_float_digits', '2', true), current_setting('extra_float_digits');
show extra_float_digits;
begin;
savepoint s1;
do $$ begin set extra_float_digits = 3; end $$;
show extra_float_digits;
rollback to s1;
show extra_float_digits;
do $$ begin set local extra_float_digits = 2; end $$;
show extra_float_digits;
commit;
show extra_float_digits;
reset extra_float_digits;
create function ps_conf() returns text language plpgsql
  set search_path = pg_catalog, public set extra_float_digits = 1 as $$
begin
  return current_setting('search_path') || '/' || current_setting('extra_float_digits');
end $$;
select ps_conf();
show search_path;
show extra_float_digits;
select proconfig from pg_proc where proname = 'ps_conf';
create function ps_conf_fail() returns int language plpgsql set extra_float_digits = 2 as $$
begin raise exception 'fails with %', current_setting('extra_float_digits'); end $$;
select ps_conf_fail();
show extra_float_digits;
create function ps_conf_set() returns text language plpgsql set extra_float_digits = 1 as $$
begin
  set extra_float_digits = 2;
  set local ps.loc = 'l';
  return current_setting('extra_float_digits');
end $$;
select ps_conf_set();
show extra_float_digits;
select coalesce(nullif(current_setting('ps.loc', true), ''), 'gone');
reset extra_float_digits;
create function ps_conf_local() returns text language plpgsql set extra_float_digits = 1 as $$
begin
  set local extra_float_digits = 2;
  return current_setting('extra_float_digits');
end $$;
begin;
select ps_conf_local();
show extra_float_digits;
commit;
set datestyle = 'ISO, MDY';
create function ps_cur() returns text language plpgsql set datestyle from current as $$
begin return current_setting('datestyle'); end $$;
reset datestyle;
select ps_cur(), current_setting('datestyle');
select proconfig from pg_proc where proname = 'ps_cur';
alter function ps_cur() set ps.x = 'a';
alter function ps_cur() set timezone = 'UTC';
select proconfig from pg_proc where proname = 'ps_cur';
alter function ps_cur() reset datestyle;
select proconfig from pg_proc where proname = 'ps_cur';
select ps_cur();
alter function ps_cur() reset all;
select proconfig from pg_proc where proname = 'ps_cur';
create function ps_bad() returns int language plpgsql set extra_float_digits = 'abc' as $$ begin return 1; end $$;
create function ps_bad() returns int language plpgsql set no_such_thing = 1 as $$ begin return 1; end $$;
create function ps_definer() returns text language plpgsql security definer
  set search_path = pg_catalog, public as $$ begin return current_schemas(true)::text; end $$;
select ps_definer();
create procedure ps_pconf() language plpgsql set extra_float_digits = 3 as $$
begin raise notice '%', current_setting('extra_float_digits'); end $$;
call ps_pconf();
show extra_float_digits;
select proconfig from pg_proc where proname = 'ps_pconf';
create function ps_nest() returns text language plpgsql set extra_float_digits = 0 as $$
begin return current_setting('extra_float_digits') || ps_conf(); end $$;
select ps_nest(), current_setting('extra_float_digits');
alter function ps_nest set extra_float_digits to default;
select proconfig from pg_proc where proname = 'ps_nest';
create or replace function ps_conf() returns text language plpgsql as $$ begin return 'r'; end $$;
select proconfig from pg_proc where proname = 'ps_conf';
do $$ declare r ps_t := row(1, 'one'); begin raise notice '%', r; end $$;
create function ps_row() returns text language plpgsql as $$
declare
  r ps_t := row(1, 'one');
  s ps_t := (2, 'two');
  q ps_t%rowtype := row(3, 'three')::ps_t;
begin
  return r::text || r.a || r.b || s::text || q.b;
end $$;
select ps_row();
create function ps_row2() returns ps_t language plpgsql as $$
declare r ps_t := row(5, 'five');
begin r.a := r.a + 1; return r; end $$;
select * from ps_row2();
create function ps_row_bad() returns text language plpgsql as $$
declare r ps_t := row(1, 'x', 3);
begin return r::text; end $$;
select ps_row_bad();
create function ps_row3(n int) returns text language plpgsql as $$
declare
  base int := coalesce(n,
    0); "R" ps_t DEFAULT row(base, 'q;uoted');  -- a comment; with semicolons
  x ps_t%rowtype
    := row(base + 1, $x$dollar;$x$);
  y record := row(7, 'seven');
  z ps_t;
begin
  declare
    w ps_t = row(base * 10, 'inner');
  begin
    return "R"::text || x::text || y::text || w::text || coalesce(z::text, 'null');
  end;
end $$;
select ps_row3(4);
create function ps_row4() returns text language plpgsql as $$
declare r ps_t := row('notint', 'x');
begin return r::text; end $$;
select ps_row4();
create function ps_row5() returns text language plpgsql as $$
declare r constant ps_t := row(1, 'c');
begin return r::text; end $$;
select ps_row5();
