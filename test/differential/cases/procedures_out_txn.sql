-- Procedures as PostgreSQL 15 runs them: OUT and INOUT parameters (CALL returns a row of
-- them; CALL passes OUT arguments too; inside PL/pgSQL they are written back to variables),
-- their pg_proc rows and errors; COMMIT / ROLLBACK [AND CHAIN] in procedures and DO blocks
-- called outside a transaction block, and 2D000 where they may not run.
-- setup
create table po_log (i int, note text);
-- test
create procedure po_inc(inout a int, out b text) language plpgsql
  as $$ begin a := a + 1; b := 'x' || a; end $$;
call po_inc(1, null);
call po_inc(a => 5, b => null);
call po_inc(b => null, a => 7);
call po_inc(null::int, null);
call po_inc('41', null);
call po_inc(1);
call po_inc(1, 2);
call po_inc(1, null, 3);
call po_inc();
call po_inc(1.5, null);
select proname, proargtypes::regtype[]::text, proallargtypes::regtype[]::text,
  proargmodes, proargnames, prorettype::regtype, pronargs, prokind
  from pg_proc where proname = 'po_inc';
select pg_get_function_arguments('po_inc'::regproc),
  pg_get_function_identity_arguments('po_inc'::regproc);
create procedure po_out(out b text) language plpgsql as $$ begin b := 'hi'; end $$;
call po_out(null);
call po_out(b => null);
call po_out();
select prorettype::regtype, proargtypes::text from pg_proc where proname = 'po_out';
create procedure po_inout2(inout a int, inout b numeric) language plpgsql
  as $$ begin a := a * 10; b := b / 4; end $$;
call po_inout2(3, 10);
create procedure po_ret(inout a int) language plpgsql as $$ begin a := a * 10; return; end $$;
call po_ret(3);
create procedure po_bad(inout a int) language plpgsql as $$ begin return a; end $$;
create procedure po_bad2(a int default 1, out b int) language plpgsql as $$ begin end $$;
create procedure po_nothing(out a int, out b date) language plpgsql as $$ begin end $$;
call po_nothing(null, null);
create procedure po_inc(inout a int, out c text) language plpgsql as $$ begin end $$;
create procedure po_inc(inout a int, out b text) language plpgsql
  as $$ begin a := a + 1; b := 'x' || a; end $$;
create procedure po_pair(inout a int, out b text) language plpgsql as $$ begin end $$;
create procedure po_pair(a int, b text) language plpgsql as $$ begin end $$;
drop procedure po_pair(int, text);
call po_pair(1, null);
drop procedure po_pair(int);
do $$ declare x int := 1; y text; begin call po_inc(x, y); raise notice '% %', x, y; end $$;
do $$ declare x int := 1; y text;
  begin call po_inc(b => y, a => x); insert into po_log values (x, y); end $$;
select * from po_log order by i;
do $$ declare y text; begin call po_inc(1, y); end $$;
do $$ declare x int := 1; begin call po_inc(x, 'a'); end $$;
do $$ declare x int := 1; begin call po_inc(x + 1, null); end $$;
do $$ declare x int := 1; begin call po_inc(x); end $$;
create function po_f() returns int language plpgsql
  as $$ declare x int := 2; y text; begin call po_inc(x, y); return x; end $$;
select po_f();
create procedure po_nest() language plpgsql as $$ declare x int := 20; y text;
  begin call po_inc(x, y); insert into po_log values (x, y); end $$;
call po_nest();
select * from po_log order by i;
create procedure po_sql(inout a int) language sql as $$ select a * 2 $$;
call po_sql(4);
create procedure po_sql2(inout a int, out b text) language sql
  as $$ insert into po_log values (a, 'sql'); select a + 1, 'y' || a $$;
call po_sql2(30, null);
select * from po_log where note = 'sql';
create procedure po_sql3(inout a int, out b text) language sql
  as $$ select a * 2, 'z' where false $$;
call po_sql3(1, null);
do $$ declare x int := 6; begin call po_sql(x); raise notice '%', x; end $$;
drop procedure po_sql(int);
drop procedure po_nothing(int, date);
-- transaction control
truncate po_log;
create procedure po_tx() language plpgsql as $$ begin
  insert into po_log values (1, 'kept'); commit;
  insert into po_log values (2, 'undone'); rollback;
  insert into po_log values (3, 'kept'); end $$;
call po_tx();
select * from po_log order by i;
begin;
call po_tx();
rollback;
select * from po_log order by i;
create function po_txf() returns int language plpgsql as $$ begin call po_tx(); return 1; end $$;
select po_txf();
select * from po_log order by i;
create procedure po_txerr() language plpgsql as $$ begin
  insert into po_log values (10, 'committed'); commit;
  insert into po_log values (11, 'lost'); raise exception 'boom'; end $$;
call po_txerr();
select * from po_log order by i;
do $$ begin insert into po_log values (20, 'do'); commit;
  insert into po_log values (21, 'do undone'); rollback; end $$;
select * from po_log order by i;
do $$ declare r record; begin
  for r in select i from po_log where i < 5 order by i loop
    insert into po_log values (r.i + 100, 'loop'); commit;
  end loop; end $$;
select * from po_log order by i;
do $$ begin begin insert into po_log values (30, 'sub'); commit;
  exception when others then raise notice 'caught % %', sqlstate, sqlerrm; end; end $$;
do $$ begin begin rollback; exception when invalid_transaction_termination then
  insert into po_log values (31, sqlerrm); end; end $$;
select * from po_log where i >= 30 order by i;
do $$ begin commit and chain; rollback and chain; commit; end $$;
do $$ begin insert into po_log values (40, 'chain'); commit and chain;
  insert into po_log values (41, 'chain undone'); rollback and chain;
  insert into po_log values (42, 'chain'); end $$;
select * from po_log where i >= 40 order by i;
create procedure po_caller() language plpgsql as $$ begin call po_tx(); end $$;
call po_caller();
select count(*) from po_log where note = 'kept';
create procedure po_txout(inout a int) language plpgsql as $$ begin
  a := a + 1; insert into po_log values (a, 'txout'); commit; a := a + 1; end $$;
call po_txout(50);
do $$ declare x int := 60; begin call po_txout(x); raise notice '%', x; end $$;
select * from po_log where note = 'txout' order by i;
begin;
do $$ begin commit; end $$;
rollback;
begin;
call po_txout(70);
commit;
create procedure po_sqlc() language sql as $$ commit $$;
call po_sqlc();
do $$ declare a bigint; b bigint; begin a := txid_current(); commit; b := txid_current();
  insert into po_log values (80, (b > a)::text); end $$;
select * from po_log where i = 80;
drop procedure po_inc(int, text);
drop procedure po_out(text);
-- cursors, functions, deferred constraints, DDL and AND CHAIN around COMMIT
do $$ declare c cursor for select 1 union select 2 order by 1; v int;
  begin open c; fetch c into v; commit; fetch c into v; end $$;
do $$ declare c cursor for select g from generate_series(1, 3) g; begin
  for r in c loop insert into po_log values (200 + r.g, 'forc'); commit; end loop; end $$;
select * from po_log where note = 'forc' order by i;
create function po_cf() returns int language plpgsql as $$ begin commit; return 1; end $$;
select po_cf();
create table po_fk_p (id int primary key);
create table po_fk_c (pid int references po_fk_p deferrable initially deferred);
do $$ begin insert into po_fk_c values (5); commit; end $$;
select count(*) from po_fk_c;
do $$ begin insert into po_fk_p values (6); insert into po_fk_c values (6); commit;
  insert into po_fk_c values (7); end $$;
select * from po_fk_c order by pid;
do $$ begin create table po_ddl1 (a int); rollback; end $$;
select to_regclass('po_ddl1') is null;
do $$ begin create table po_ddl2 (a int); insert into po_ddl2 values (1); commit;
  raise exception 'x'; end $$;
select * from po_ddl2;
do $$ begin perform 1; rollback and chain; end $$;
do $$ declare r record; begin
  for r in execute 'select g from generate_series(1, 2) g' loop
    insert into po_log values (300 + r.g, 'exec loop'); commit; end loop; end $$;
select * from po_log where note = 'exec loop' order by i;
do $$ begin for i in 1..2 loop begin commit; exception when others then
  insert into po_log values (400 + i, sqlerrm); end; end loop; end $$;
select * from po_log where i > 400 order by i;
do $$ begin commit and chain;
  insert into po_log values (500, current_setting('transaction_isolation')); commit;
  insert into po_log values (501, current_setting('transaction_isolation')); end $$;
select * from po_log where i >= 500 order by i;
-- definitions of procedures with OUT parameters
create or replace procedure po_inc(inout a int, out c text) language plpgsql
  as $$ begin end $$;
create or replace procedure po_inc(inout a int, out b int) language plpgsql
  as $$ begin end $$;
create or replace procedure po_inc(inout a int, out b text) language plpgsql
  as $$ begin a := a + 2; b := 'y' || a; end $$;
call po_inc(1, null);
select pg_get_functiondef('po_inc'::regproc);
select pg_get_function_result('po_inc'::regproc) is null;
select parameter_name, parameter_mode, data_type, ordinal_position
  from information_schema.parameters where specific_name like 'po\_inc\_%'
  order by ordinal_position;
create procedure po_unnamed(inout int, out text) language plpgsql
  as $$ begin $1 := $1 * 3; $2 := 'u'; end $$;
call po_unnamed(5, null);
do $$ declare x int := 2; y text; begin call po_unnamed(x, y);
  insert into po_log values (600 + x, y); end $$;
select * from po_log where i > 600 order by i;
create procedure po_def(a int, inout b int default 10) language plpgsql
  as $$ begin b := a + b; end $$;
call po_def(1);
call po_def(1, 2);
do $$ declare x int := 5; begin call po_def(1, x); insert into po_log values (700 + x, 'def');
  call po_def(100); end $$;
select * from po_log where note = 'def';
create procedure po_composite(inout r po_log) language plpgsql
  as $$ begin r.i := r.i * 2; end $$;
do $$ declare r po_log; begin r := row(21, 'c'); call po_composite(r);
  insert into po_log values (r.i, r.note || 'omposite'); end $$;
select * from po_log where note = 'composite';
call po_inc(1, null::text), po_inc(2, null);
-- psql's \df po_*
SELECT n.nspname as "Schema", p.proname as "Name",
  pg_catalog.pg_get_function_result(p.oid) as "Result data type",
  pg_catalog.pg_get_function_arguments(p.oid) as "Argument data types",
  CASE p.prokind WHEN 'a' THEN 'agg' WHEN 'w' THEN 'window' WHEN 'p' THEN 'proc'
  ELSE 'func' END as "Type"
FROM pg_catalog.pg_proc p LEFT JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname OPERATOR(pg_catalog.~) '^(po_.*)$' COLLATE pg_catalog.default
  AND pg_catalog.pg_function_is_visible(p.oid)
ORDER BY 1, 2, 4;
select proname, pg_get_function_identity_arguments(oid), proargmodes, proargnames
  from pg_proc where proname like 'po\_%' order by 1, 2;
select routine_name, routine_type, data_type, type_udt_name
  from information_schema.routines where routine_name like 'po\_%' order by 1, 2;
select pg_get_functiondef('po_sql2'::regproc);
select pg_get_function_arguments('po_sql2'::regproc), prosrc from pg_proc where proname = 'po_sql2';
create procedure po_sql4(inout a int, out b text) language sql
  as $$ select a + 1, 'first' union all select a + 2, 'second' order by 2 $$;
call po_sql4(1, null);
do $$ declare a timestamptz := clock_timestamp(); b timestamptz; begin
  for i in 1..20000 loop b := clock_timestamp(); end loop; commit;
  insert into po_log values (900, (now() > a)::text); end $$;
select * from po_log where i = 900;
-- arguments are evaluated once; CONSTANT variables are not writable
create sequence po_seq;
create procedure po_take(a bigint, inout b bigint) language plpgsql
  as $$ begin b := a * 100 + coalesce(b, 0); end $$;
do $$ declare x bigint := 1; begin call po_take(nextval('po_seq'), x);
  insert into po_log values (x, 'seq'); end $$;
select currval('po_seq'), (select i from po_log where note = 'seq');
do $$ declare x constant bigint := 1; begin call po_take(1, x); end $$;
do $$ declare x bigint; begin call po_take('7', x); insert into po_log values (x, 'lit'); end $$;
select i from po_log where note = 'lit';
