-- SECURITY DEFINER functions and procedures: current_user is the owner while they run,
-- privilege checks use the owner, the caller comes back on exit and on error; prosecdef;
-- ALTER FUNCTION … SECURITY; SET ROLE and COMMIT refused inside.
-- setup
create role sd_owner;
create role sd_caller;
create table sd_secret (id int, v text);
insert into sd_secret values (1, 'hidden');
alter table sd_secret owner to sd_owner;
create schema sd_s;
grant usage on schema sd_s to sd_owner, sd_caller;
grant create on schema sd_s to sd_owner;
-- test
set role sd_owner;
create function sd_s.who() returns text language plpgsql security definer
  as $$ begin return current_user || '/' || session_user; end $$;
create function sd_s.who_inv() returns text language plpgsql
  as $$ begin return current_user || '/' || session_user; end $$;
create function sd_s.read_secret() returns text language plpgsql security definer
  as $$ begin return (select v from sd_secret where id = 1); end $$;
create function sd_s.read_inv() returns text language plpgsql
  as $$ begin return (select v from sd_secret where id = 1); end $$;
create function sd_s.fail() returns int language plpgsql security definer
  as $$ begin raise exception 'boom %', current_user; end $$;
create function sd_s.try_role() returns text language plpgsql security definer
  as $$ begin set role sd_caller; return current_user; end $$;
create function sd_s.try_auth() returns text language plpgsql security definer
  as $$ begin set session authorization sd_caller; return current_user; end $$;
create function sd_s.try_config() returns text language plpgsql security definer
  as $$ begin return set_config('role', 'sd_caller', false); end $$;
create procedure sd_s.write_secret(t text) language plpgsql security definer
  as $$ begin insert into sd_secret values (2, t); end $$;
create procedure sd_s.commit_inside() language plpgsql security definer
  as $$ begin insert into sd_secret values (3, 'c'); commit; end $$;
create function sd_s.nested() returns text language plpgsql
  as $$ begin return current_user || ':' || sd_s.who() || ':' || current_user; end $$;
reset role;
select proname, prosecdef from pg_proc where pronamespace = 'sd_s'::regnamespace order by 1;
set role sd_caller;
select current_user, session_user;
select sd_s.who();
select sd_s.who_inv();
select current_user;
select sd_s.read_secret();
select sd_s.read_inv();
select * from sd_secret;
select sd_s.fail();
select current_user;
select sd_s.nested();
select sd_s.try_role();
select current_user;
select sd_s.try_auth();
select sd_s.try_config();
call sd_s.write_secret('w');
call sd_s.commit_inside();
select current_user;
select sd_s.who() from generate_series(1, 2);
begin;
select sd_s.who();
select sd_s.fail();
rollback;
select current_user;
reset role;
select * from sd_secret order by id;
-- ALTER FUNCTION … SECURITY INVOKER / DEFINER
alter function sd_s.who() security invoker;
select prosecdef from pg_proc where oid = 'sd_s.who'::regproc;
set role sd_caller;
select sd_s.who();
reset role;
alter function sd_s.who() security definer;
select prosecdef from pg_proc where oid = 'sd_s.who'::regproc;
set role sd_caller;
select sd_s.who();
reset role;
-- an owner change moves whom it runs as
alter function sd_s.who() owner to sd_caller;
select sd_s.who();
-- SET SESSION AUTHORIZATION: session_user changes, a definer still runs as its owner
set session authorization sd_caller;
select sd_s.who();
select sd_s.read_secret();
reset session authorization;
select current_user = session_user;
-- privileges granted and revoked between calls of an invoker function
grant select on sd_secret to sd_caller;
set role sd_caller;
select sd_s.read_inv();
reset role;
revoke select on sd_secret from sd_caller;
set role sd_caller;
select sd_s.read_inv();
reset role;
-- SET clauses with SECURITY DEFINER; the role setting itself does not change
set role sd_owner;
create function sd_s.mixed() returns text language plpgsql security definer
  set search_path = sd_s, pg_catalog
  as $$ begin return current_user || ' ' || current_setting('search_path') || ' '
    || current_setting('role'); end $$;
reset role;
set role sd_caller;
select sd_s.mixed();
select current_setting('search_path') = 'sd_s, pg_catalog';
reset role;
-- a SECURITY DEFINER trigger function writes where the caller may not
set role sd_owner;
create table sd_s.audit (who text, what int);
create table sd_s.src (v int);
create function sd_s.audit_f() returns trigger language plpgsql security definer
  as $$ begin insert into sd_s.audit values (current_user, new.v); return new; end $$;
create trigger sd_t after insert on sd_s.src for each row execute function sd_s.audit_f();
grant insert on sd_s.src to sd_caller;
reset role;
set role sd_caller;
insert into sd_s.src values (7);
insert into sd_s.audit values ('x', 1);
reset role;
select * from sd_s.audit;
-- a procedure with a SET clause is atomic too
create procedure sd_s.set_commit() language plpgsql set work_mem = '2MB'
  as $$ begin commit; end $$;
call sd_s.set_commit();
-- LANGUAGE sql functions with SET clauses or SECURITY DEFINER are called, not inlined
set role sd_owner;
create function sd_s.sql_who() returns text language sql security definer
  as $$ select current_user::text || '/' || session_user $$;
create function sd_s.sql_read(k int) returns text language sql security definer
  as $$ select v from sd_secret where id = k $$;
create function sd_s.sql_rows() returns setof sd_secret language sql security definer
  as $$ select * from sd_secret order by id $$;
create function sd_s.sql_table(lim int) returns table (i int, t text) language sql
  security definer as $$ select id, v from sd_secret order by id limit lim $$;
create function sd_s.sql_path() returns text language sql set search_path = sd_s
  as $$ select current_setting('search_path') $$;
create function sd_s.sql_wm(x int) returns text language sql stable set work_mem = '3MB'
  as $$ select current_setting('work_mem') || ':' || x $$;
create function sd_s.sql_strict(x int) returns int language sql strict security definer
  as $$ select x * 2 $$;
create function sd_s.sql_multi() returns int language sql security definer
  as $$ select 1; select id from sd_secret order by id $$;
create function sd_s.sql_ret() returns text security definer language sql
  return current_user;
create function sd_s.sql_void() returns void language sql security definer
  as $$ insert into sd_secret values (9, current_user) $$;
reset role;
select proname, prosecdef, proconfig from pg_proc
  where pronamespace = 'sd_s'::regnamespace and proname like 'sql%' order by 1;
set role sd_caller;
select sd_s.sql_who();
select sd_s.sql_read(1);
select sd_s.sql_read(42);
select * from sd_s.sql_rows();
select * from sd_s.sql_table(1);
select sd_s.sql_table(5);
select sd_s.sql_path(), current_setting('search_path') = 'sd_s';
select sd_s.sql_wm(g), current_setting('work_mem') from generate_series(1, 2) g;
select sd_s.sql_strict(null), sd_s.sql_strict(4);
select sd_s.sql_multi();
select sd_s.sql_ret();
select sd_s.sql_void();
reset role;
select id, v from sd_secret where id = 9;
-- ALTER FUNCTION turns inlining off and on
create function sd_s.plain() returns text language sql as $$ select current_setting('work_mem') $$;
select sd_s.plain() = current_setting('work_mem');
alter function sd_s.plain() set work_mem = '5MB';
select sd_s.plain();
alter function sd_s.plain() reset all;
select sd_s.plain() = current_setting('work_mem');
alter function sd_s.sql_who() security invoker;
set role sd_caller;
select sd_s.sql_who();
reset role;
-- transaction_isolation outside a block follows default_transaction_isolation
set default_transaction_isolation = 'repeatable read';
show transaction_isolation;
select current_setting('transaction_isolation');
begin;
show transaction_isolation;
set transaction isolation level serializable;
show transaction_isolation;
commit;
show transaction_isolation;
begin isolation level read committed;
set local default_transaction_isolation = 'serializable';
show transaction_isolation;
commit;
set session characteristics as transaction isolation level serializable;
select current_setting('transaction_isolation'), current_setting('default_transaction_isolation');
select setting from pg_settings where name = 'transaction_isolation';
reset default_transaction_isolation;
show transaction_isolation;
-- cleanup
drop schema sd_s cascade;
drop table sd_secret;
drop role sd_owner;
drop role sd_caller;
