-- DDL inside PL/pgSQL: DO blocks and VOLATILE functions creating and altering tables, written and
-- through EXECUTE, idempotent migrations (IF NOT EXISTS, EXCEPTION WHEN duplicate_column), rollback with
-- the block and with an EXCEPTION sub-block, and the non-volatile function error.
-- test
do $$ begin create table dox (i int); insert into dox values (1); end $$;
select * from dox;
do $$ begin execute 'create index dox_i on dox (i)'; execute format('alter table %I add column j int default 7', 'dox'); insert into dox values (2); end $$;
select * from dox order by i;
select indexname from pg_indexes where tablename = 'dox';
create or replace function mk(n text) returns void language plpgsql as $$ begin execute format('create table %I (id int primary key)', n); end $$;
select mk('dyn1');
insert into dyn1 values (1);
select count(*) from dyn1;
do $$ begin if not exists (select 1 from information_schema.columns where table_name = 'dox' and column_name = 'k') then alter table dox add column k text; end if; end $$;
do $$ begin if not exists (select 1 from information_schema.columns where table_name = 'dox' and column_name = 'k') then alter table dox add column k text; end if; end $$;
do $$ begin alter table dox add column k text; exception when duplicate_column then raise notice 'k exists'; end $$;
do $$ begin create table dox2 (x int); raise exception 'boom'; end $$;
select count(*) from pg_tables where tablename = 'dox2';
do $$ begin begin create table dox3 (x int); raise exception 'inner'; exception when others then null; end; create table dox4 (y int); end $$;
select tablename from pg_tables where tablename in ('dox3', 'dox4') order by 1;
create function stab() returns int stable language plpgsql as $$ begin create table never (i int); return 1; end $$;
select stab();
do $$ declare r record; begin for r in select * from (values ('t_a'), ('t_b')) v(n) loop execute 'create table ' || r.n || ' (id int)'; end loop; end $$;
select tablename from pg_tables where tablename like 't\_%' order by 1;
drop table dox, dox4, dyn1, t_a, t_b;
drop function mk(text);
drop function stab();
