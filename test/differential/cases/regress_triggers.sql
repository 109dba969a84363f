-- Cases from PostgreSQL 15's src/test/regress/sql/triggers.sql, on our own small tables
-- (prefix rt_): the C trigger functions of regress.so, autoinc and refint are replaced by
-- PL/pgSQL equivalents or left out. Row and statement triggers, WHEN conditions, column
-- lists, enable/disable, trigger data, suppress_redundant_updates_trigger, INSTEAD OF
-- triggers on views, pg_trigger_depth(), updates of a row during its BEFORE trigger,
-- ON CONFLICT with triggers and the errors of CREATE TRIGGER.
-- setup
create table rt_pkeys (pkey1 int4 not null, pkey2 text not null);
create table rt_fkeys (fkey1 int4, fkey2 text, fkey3 int);
create index rt_fkeys_i on rt_fkeys (fkey1, fkey2);
insert into rt_pkeys values (10, '1'), (20, '2'), (30, '3'), (40, '4'), (50, '5'), (60, '6');
create unique index rt_pkeys_i on rt_pkeys (pkey1, pkey2);
create function rt_noop() returns trigger language plpgsql as $$ begin return new; end $$;
-- test
create trigger rt_check_fkeys_pkey_exist before insert or update on rt_fkeys
  for each row execute function rt_noop();
create trigger rt_check_fkeys2_pkey_exist before insert or update on rt_fkeys
  for each row execute procedure rt_noop('fkey3', 'fkeys2', 'pkey23');
comment on trigger rt_check_fkeys_pkey_bad on rt_fkeys is 'wrong';
comment on trigger rt_check_fkeys_pkey_exist on rt_fkeys is 'right';
select obj_description(oid, 'pg_trigger') from pg_trigger where tgname = 'rt_check_fkeys_pkey_exist';
comment on trigger rt_check_fkeys_pkey_exist on rt_fkeys is null;
select obj_description(oid, 'pg_trigger') from pg_trigger where tgname = 'rt_check_fkeys_pkey_exist';
SELECT trigger_name, event_manipulation, event_object_schema, event_object_table,
       action_order, action_condition, action_orientation, action_timing,
       action_reference_old_table, action_reference_new_table
  FROM information_schema.triggers
  WHERE event_object_table in ('rt_pkeys', 'rt_fkeys')
  ORDER BY trigger_name COLLATE "C", 2;
drop table rt_pkeys;
drop table rt_fkeys;
-- a trigger that returns the unmodified trigger tuple
create table rt_trigtest (f1 int, f2 text);
create function rt_return_old() returns trigger language plpgsql as $$
begin if tg_op = 'INSERT' then return new; end if; return old; end $$;
create trigger trigger_return_old before insert or delete or update on rt_trigtest
  for each row execute procedure rt_return_old();
insert into rt_trigtest values(1, 'foo');
select * from rt_trigtest;
update rt_trigtest set f2 = f2 || 'bar';
select * from rt_trigtest;
delete from rt_trigtest;
select * from rt_trigtest;
create function rt_f1_times_10() returns trigger as
$$ begin new.f1 := new.f1 * 10; return new; end $$ language plpgsql;
create trigger trigger_alpha before insert or update on rt_trigtest
  for each row execute procedure rt_f1_times_10();
insert into rt_trigtest values(1, 'foo');
select * from rt_trigtest;
update rt_trigtest set f2 = f2 || 'bar';
select * from rt_trigtest;
delete from rt_trigtest;
select * from rt_trigtest;
create trigger trigger_zed before insert or update on rt_trigtest
  for each row execute procedure rt_f1_times_10();
insert into rt_trigtest values(1, 'foo');
select * from rt_trigtest;
update rt_trigtest set f2 = f2 || 'bar';
select * from rt_trigtest;
delete from rt_trigtest;
select * from rt_trigtest;
drop trigger trigger_alpha on rt_trigtest;
insert into rt_trigtest values(1, 'foo');
select * from rt_trigtest;
update rt_trigtest set f2 = f2 || 'bar';
select * from rt_trigtest;
delete from rt_trigtest;
select * from rt_trigtest;
drop table rt_trigtest;
-- an implicit column default too (bug #16644)
create table rt_trigtest (a integer, b bool default true not null, c text default 'xyzzy' not null);
create trigger trigger_return_old before insert or delete or update on rt_trigtest
  for each row execute procedure rt_return_old();
insert into rt_trigtest values(1);
select * from rt_trigtest;
alter table rt_trigtest add column d integer default 42 not null;
select * from rt_trigtest;
update rt_trigtest set a = 2 where a = 1 returning *;
select * from rt_trigtest;
alter table rt_trigtest drop column b;
select * from rt_trigtest;
update rt_trigtest set a = 2 where a = 1 returning *;
select * from rt_trigtest;
drop table rt_trigtest;
-- per-statement triggers
CREATE TABLE rt_main_table (a int unique, b int);
INSERT INTO rt_main_table VALUES (5, 10), (20, 20), (30, 10), (50, 35), (80, 15);
CREATE FUNCTION rt_trigger_func() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
	RAISE NOTICE ''trigger_func(%) called: action = %, when = %, level = %'', TG_ARGV[0], TG_OP, TG_WHEN, TG_LEVEL;
	RETURN NULL;
END;';
CREATE TRIGGER before_ins_stmt_trig BEFORE INSERT ON rt_main_table
FOR EACH STATEMENT EXECUTE PROCEDURE rt_trigger_func('before_ins_stmt');
CREATE TRIGGER after_ins_stmt_trig AFTER INSERT ON rt_main_table
FOR EACH STATEMENT EXECUTE PROCEDURE rt_trigger_func('after_ins_stmt');
CREATE TRIGGER after_upd_stmt_trig AFTER UPDATE ON rt_main_table
EXECUTE PROCEDURE rt_trigger_func('after_upd_stmt');
INSERT INTO rt_main_table (a, b) VALUES (5, 10) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b;
CREATE TRIGGER after_upd_row_trig AFTER UPDATE ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('after_upd_row');
INSERT INTO rt_main_table DEFAULT VALUES;
UPDATE rt_main_table SET a = a + 1 WHERE b < 30;
UPDATE rt_main_table SET a = a + 2 WHERE b > 100;
ALTER TABLE rt_main_table DROP CONSTRAINT rt_main_table_a_key;
INSERT INTO rt_main_table VALUES (30, 40), (50, 60);
SELECT * FROM rt_main_table ORDER BY a, b;
-- triggers with WHEN clause
CREATE TRIGGER modified_a BEFORE UPDATE OF a ON rt_main_table
FOR EACH ROW WHEN (OLD.a <> NEW.a) EXECUTE PROCEDURE rt_trigger_func('modified_a');
CREATE TRIGGER modified_any BEFORE UPDATE OF a ON rt_main_table
FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE PROCEDURE rt_trigger_func('modified_any');
CREATE TRIGGER insert_a AFTER INSERT ON rt_main_table
FOR EACH ROW WHEN (NEW.a = 123) EXECUTE PROCEDURE rt_trigger_func('insert_a');
CREATE TRIGGER delete_a AFTER DELETE ON rt_main_table
FOR EACH ROW WHEN (OLD.a = 123) EXECUTE PROCEDURE rt_trigger_func('delete_a');
CREATE TRIGGER insert_when BEFORE INSERT ON rt_main_table
FOR EACH STATEMENT WHEN (true) EXECUTE PROCEDURE rt_trigger_func('insert_when');
CREATE TRIGGER delete_when AFTER DELETE ON rt_main_table
FOR EACH STATEMENT WHEN (true) EXECUTE PROCEDURE rt_trigger_func('delete_when');
SELECT trigger_name, event_manipulation, event_object_schema, event_object_table,
       action_order, action_condition, action_orientation, action_timing,
       action_reference_old_table, action_reference_new_table
  FROM information_schema.triggers
  WHERE event_object_table IN ('rt_main_table')
  ORDER BY trigger_name COLLATE "C", 2;
INSERT INTO rt_main_table (a) VALUES (123), (456);
INSERT INTO rt_main_table VALUES (123, 999), (456, 999);
DELETE FROM rt_main_table WHERE a IN (123, 456);
UPDATE rt_main_table SET a = 50, b = 60;
SELECT * FROM rt_main_table ORDER BY a, b;
SELECT pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass AND tgname = 'modified_a';
SELECT pg_get_triggerdef(oid, false) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass AND tgname = 'modified_a';
SELECT pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass AND tgname = 'modified_any';
ALTER TRIGGER modified_a ON rt_main_table RENAME TO modified_modified_a;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass AND tgname = 'modified_a';
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass AND tgname = 'modified_modified_a';
DROP TRIGGER modified_modified_a ON rt_main_table;
DROP TRIGGER modified_any ON rt_main_table;
DROP TRIGGER insert_a ON rt_main_table;
DROP TRIGGER delete_a ON rt_main_table;
DROP TRIGGER insert_when ON rt_main_table;
DROP TRIGGER delete_when ON rt_main_table;
-- WHEN condition accessing system columns
create table rt_table_with_oids(a int);
insert into rt_table_with_oids values (1);
create trigger oid_unchanged_trig after update on rt_table_with_oids
	for each row
	when (new.tableoid = old.tableoid AND new.tableoid <> 0)
	execute procedure rt_trigger_func('after_upd_oid_unchanged');
update rt_table_with_oids set a = a + 1;
select * from rt_table_with_oids;
drop table rt_table_with_oids;
-- column-level triggers
DROP TRIGGER after_upd_row_trig ON rt_main_table;
CREATE TRIGGER before_upd_a_row_trig BEFORE UPDATE OF a ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_upd_a_row');
CREATE TRIGGER after_upd_b_row_trig AFTER UPDATE OF b ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('after_upd_b_row');
CREATE TRIGGER after_upd_a_b_row_trig AFTER UPDATE OF a, b ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('after_upd_a_b_row');
CREATE TRIGGER before_upd_a_stmt_trig BEFORE UPDATE OF a ON rt_main_table
FOR EACH STATEMENT EXECUTE PROCEDURE rt_trigger_func('before_upd_a_stmt');
CREATE TRIGGER after_upd_b_stmt_trig AFTER UPDATE OF b ON rt_main_table
FOR EACH STATEMENT EXECUTE PROCEDURE rt_trigger_func('after_upd_b_stmt');
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass AND tgname = 'after_upd_a_b_row_trig';
UPDATE rt_main_table SET a = 50;
UPDATE rt_main_table SET b = 10;
SELECT * FROM rt_main_table ORDER BY a, b;
-- a BEFORE trigger followed by AFTER triggers with WHEN
CREATE TABLE rt_some_t (some_col boolean NOT NULL);
CREATE FUNCTION rt_dummy_update_func() RETURNS trigger AS $$
BEGIN
  RAISE NOTICE 'dummy_update_func(%) called: action = %, old = %, new = %',
    TG_ARGV[0], TG_OP, OLD, NEW;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER some_trig_before BEFORE UPDATE ON rt_some_t FOR EACH ROW
  EXECUTE PROCEDURE rt_dummy_update_func('before');
CREATE TRIGGER some_trig_aftera AFTER UPDATE ON rt_some_t FOR EACH ROW
  WHEN (NOT OLD.some_col AND NEW.some_col)
  EXECUTE PROCEDURE rt_dummy_update_func('aftera');
CREATE TRIGGER some_trig_afterb AFTER UPDATE ON rt_some_t FOR EACH ROW
  WHEN (NOT NEW.some_col)
  EXECUTE PROCEDURE rt_dummy_update_func('afterb');
INSERT INTO rt_some_t VALUES (TRUE);
UPDATE rt_some_t SET some_col = TRUE;
UPDATE rt_some_t SET some_col = FALSE;
UPDATE rt_some_t SET some_col = TRUE;
SELECT * FROM rt_some_t;
DROP TABLE rt_some_t;
-- bogus cases
CREATE TRIGGER error_upd_and_col BEFORE UPDATE OR UPDATE OF a ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('error_upd_and_col');
CREATE TRIGGER error_upd_a_a BEFORE UPDATE OF a, a ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('error_upd_a_a');
CREATE TRIGGER error_ins_a BEFORE INSERT OF a ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('error_ins_a');
CREATE TRIGGER error_ins_when BEFORE INSERT OR UPDATE ON rt_main_table
FOR EACH ROW WHEN (OLD.a <> NEW.a)
EXECUTE PROCEDURE rt_trigger_func('error_ins_old');
CREATE TRIGGER error_del_when BEFORE DELETE OR UPDATE ON rt_main_table
FOR EACH ROW WHEN (OLD.a <> NEW.a)
EXECUTE PROCEDURE rt_trigger_func('error_del_new');
CREATE TRIGGER error_del_when BEFORE INSERT OR UPDATE ON rt_main_table
FOR EACH ROW WHEN (NEW.tableoid <> 0)
EXECUTE PROCEDURE rt_trigger_func('error_when_sys_column');
CREATE TRIGGER error_stmt_when BEFORE UPDATE OF a ON rt_main_table
FOR EACH STATEMENT WHEN (OLD.* IS DISTINCT FROM NEW.*)
EXECUTE PROCEDURE rt_trigger_func('error_stmt_when');
-- dependency restrictions
ALTER TABLE rt_main_table DROP COLUMN b;
begin;
DROP TRIGGER after_upd_a_b_row_trig ON rt_main_table;
DROP TRIGGER after_upd_b_row_trig ON rt_main_table;
DROP TRIGGER after_upd_b_stmt_trig ON rt_main_table;
ALTER TABLE rt_main_table DROP COLUMN b;
rollback;
SELECT count(*) FROM pg_trigger WHERE tgrelid = 'rt_main_table'::regclass;
-- enable/disable triggers
create table rt_trigtest (i serial primary key);
create table rt_trigtest2 (i int references rt_trigtest(i) on delete cascade);
create function rt_trigtest() returns trigger as $$
begin
	raise notice '% % % %', TG_TABLE_NAME, TG_OP, TG_WHEN, TG_LEVEL;
	return new;
end;$$ language plpgsql;
create trigger trigtest_b_row_tg before insert or update or delete on rt_trigtest
for each row execute procedure rt_trigtest();
create trigger trigtest_a_row_tg after insert or update or delete on rt_trigtest
for each row execute procedure rt_trigtest();
create trigger trigtest_b_stmt_tg before insert or update or delete on rt_trigtest
for each statement execute procedure rt_trigtest();
create trigger trigtest_a_stmt_tg after insert or update or delete on rt_trigtest
for each statement execute procedure rt_trigtest();
insert into rt_trigtest default values;
alter table rt_trigtest disable trigger trigtest_b_row_tg;
insert into rt_trigtest default values;
alter table rt_trigtest disable trigger user;
insert into rt_trigtest default values;
alter table rt_trigtest enable trigger trigtest_a_stmt_tg;
insert into rt_trigtest default values;
set session_replication_role = replica;
insert into rt_trigtest default values;
alter table rt_trigtest enable always trigger trigtest_a_stmt_tg;
insert into rt_trigtest default values;
reset session_replication_role;
select tgname, tgenabled from pg_trigger where tgrelid = 'rt_trigtest'::regclass and not tgisinternal order by 1;
insert into rt_trigtest2 values(1);
insert into rt_trigtest2 values(2);
delete from rt_trigtest where i=2;
select * from rt_trigtest2;
alter table rt_trigtest disable trigger all;
delete from rt_trigtest where i=1;
select * from rt_trigtest2;
insert into rt_trigtest default values;
select * from rt_trigtest;
drop table rt_trigtest2;
drop table rt_trigtest;
-- trigger data
CREATE TABLE rt_trigger_test (i int, v varchar);
CREATE OR REPLACE FUNCTION rt_trigger_data() RETURNS trigger
LANGUAGE plpgsql AS $$
declare
	argstr text;
	relid text;
begin
	relid := TG_relid::regclass;
	raise NOTICE 'TG_NAME: %', TG_name;
	raise NOTICE 'TG_WHEN: %', TG_when;
	raise NOTICE 'TG_LEVEL: %', TG_level;
	raise NOTICE 'TG_OP: %', TG_op;
	raise NOTICE 'TG_RELID::regclass: %', relid;
	raise NOTICE 'TG_RELNAME: %', TG_relname;
	raise NOTICE 'TG_TABLE_NAME: %', TG_table_name;
	raise NOTICE 'TG_TABLE_SCHEMA: %', TG_table_schema;
	raise NOTICE 'TG_NARGS: %', TG_nargs;
	argstr := '[';
	for i in 0 .. TG_nargs - 1 loop
		if i > 0 then
			argstr := argstr || ', ';
		end if;
		argstr := argstr || TG_argv[i];
	end loop;
	argstr := argstr || ']';
	raise NOTICE 'TG_ARGV: %', argstr;
	if TG_OP != 'INSERT' then
		raise NOTICE 'OLD: %', OLD;
	end if;
	if TG_OP != 'DELETE' then
		raise NOTICE 'NEW: %', NEW;
	end if;
	insert into rt_trigger_log values (TG_name, TG_when, TG_level, TG_op, relid, TG_relname,
	  TG_table_name, TG_table_schema, TG_nargs, argstr);
	if TG_OP = 'DELETE' then
		return OLD;
	else
		return NEW;
	end if;
end;
$$;
CREATE TABLE rt_trigger_log (name text, tg_when text, level text, op text, relid text,
  relname text, table_name text, table_schema text, nargs int, argv text);
CREATE TRIGGER show_trigger_data_trig
BEFORE INSERT OR UPDATE OR DELETE ON rt_trigger_test
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_data(23,'skidoo');
insert into rt_trigger_test values(1,'insert');
update rt_trigger_test set v = 'update' where i = 1;
delete from rt_trigger_test;
select * from rt_trigger_log order by op;
DROP TRIGGER show_trigger_data_trig on rt_trigger_test;
DROP FUNCTION rt_trigger_data();
DROP TABLE rt_trigger_test;
-- row comparisons on OLD/NEW
CREATE TABLE rt_trigger_test (f1 int, f2 text, f3 text);
CREATE TABLE rt_changes (f1 int, changed bool);
CREATE FUNCTION rt_mytrigger() RETURNS trigger LANGUAGE plpgsql as $$
begin
	if row(old.*) = row(new.*) then
		insert into rt_changes values (new.f1, false);
	else
		insert into rt_changes values (new.f1, true);
	end if;
	return new;
end$$;
CREATE TRIGGER t BEFORE UPDATE ON rt_trigger_test
FOR EACH ROW EXECUTE PROCEDURE rt_mytrigger();
INSERT INTO rt_trigger_test VALUES(1, 'foo', 'bar');
INSERT INTO rt_trigger_test VALUES(2, 'baz', 'quux');
UPDATE rt_trigger_test SET f3 = 'bar';
UPDATE rt_trigger_test SET f3 = NULL;
UPDATE rt_trigger_test SET f3 = NULL;
select f1, changed, count(*) from rt_changes group by 1, 2 order by 1, 2;
delete from rt_changes;
CREATE OR REPLACE FUNCTION rt_mytrigger() RETURNS trigger LANGUAGE plpgsql as $$
begin
	if row(old.*) is distinct from row(new.*) then
		insert into rt_changes values (new.f1, true);
	else
		insert into rt_changes values (new.f1, false);
	end if;
	return new;
end$$;
UPDATE rt_trigger_test SET f3 = 'bar';
UPDATE rt_trigger_test SET f3 = NULL;
UPDATE rt_trigger_test SET f3 = NULL;
select f1, changed, count(*) from rt_changes group by 1, 2 order by 1, 2;
DROP TABLE rt_trigger_test;
DROP FUNCTION rt_mytrigger();
-- serializable transactions and triggers
CREATE FUNCTION rt_serializable_update_trig() RETURNS trigger LANGUAGE plpgsql AS
$$
declare
	rec record;
begin
	new.description = 'updated in trigger';
	return new;
end;
$$;
CREATE TABLE rt_serializable_update_tab (id int, filler text, description text);
CREATE TRIGGER serializable_update_trig BEFORE UPDATE ON rt_serializable_update_tab
	FOR EACH ROW EXECUTE PROCEDURE rt_serializable_update_trig();
INSERT INTO rt_serializable_update_tab SELECT a, repeat('xyzxz', 100), 'new'
	FROM generate_series(1, 50) a;
BEGIN;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
UPDATE rt_serializable_update_tab SET description = 'no no', id = 1 WHERE id = 1;
COMMIT;
SELECT description FROM rt_serializable_update_tab WHERE id = 1;
DROP TABLE rt_serializable_update_tab;
-- minimal update trigger
CREATE TABLE rt_min_updates_test (f1 text, f2 int, f3 int);
INSERT INTO rt_min_updates_test VALUES ('a',1,2),('b','2',null);
CREATE TRIGGER z_min_update BEFORE UPDATE ON rt_min_updates_test
FOR EACH ROW EXECUTE PROCEDURE suppress_redundant_updates_trigger();
UPDATE rt_min_updates_test SET f1 = f1;
UPDATE rt_min_updates_test SET f2 = f2 + 1;
UPDATE rt_min_updates_test SET f3 = 2 WHERE f3 is null;
SELECT * FROM rt_min_updates_test;
DROP TABLE rt_min_updates_test;
-- triggers on views
CREATE VIEW rt_main_view AS SELECT a, b FROM rt_main_table;
CREATE OR REPLACE FUNCTION rt_view_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
declare
    argstr text := '';
begin
    for i in 0 .. TG_nargs - 1 loop
        if i > 0 then
            argstr := argstr || ', ';
        end if;
        argstr := argstr || TG_argv[i];
    end loop;
    raise notice '% % % % (%)', TG_TABLE_NAME, TG_WHEN, TG_OP, TG_LEVEL, argstr;
    if TG_LEVEL = 'ROW' then
        if TG_OP = 'INSERT' then
            raise NOTICE 'NEW: %', NEW;
            INSERT INTO rt_main_table VALUES (NEW.a, NEW.b);
            RETURN NEW;
        end if;
        if TG_OP = 'UPDATE' then
            raise NOTICE 'OLD: %, NEW: %', OLD, NEW;
            UPDATE rt_main_table SET a = NEW.a, b = NEW.b WHERE a = OLD.a AND b = OLD.b;
            if NOT FOUND then RETURN NULL; end if;
            RETURN NEW;
        end if;
        if TG_OP = 'DELETE' then
            raise NOTICE 'OLD: %', OLD;
            DELETE FROM rt_main_table WHERE a = OLD.a AND b = OLD.b;
            if NOT FOUND then RETURN NULL; end if;
            RETURN OLD;
        end if;
    end if;
    RETURN NULL;
end;
$$;
CREATE TRIGGER invalid_trig BEFORE INSERT ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_ins_row');
CREATE TRIGGER invalid_trig BEFORE UPDATE ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_upd_row');
CREATE TRIGGER invalid_trig BEFORE DELETE ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_del_row');
CREATE TRIGGER invalid_trig AFTER INSERT ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_ins_row');
CREATE TRIGGER invalid_trig AFTER UPDATE ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_upd_row');
CREATE TRIGGER invalid_trig AFTER DELETE ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_trigger_func('before_del_row');
CREATE TRIGGER invalid_trig BEFORE TRUNCATE ON rt_main_view
EXECUTE PROCEDURE rt_trigger_func('before_tru_row');
CREATE TRIGGER invalid_trig AFTER TRUNCATE ON rt_main_view
EXECUTE PROCEDURE rt_trigger_func('before_tru_row');
CREATE TRIGGER invalid_trig INSTEAD OF INSERT ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_ins');
CREATE TRIGGER invalid_trig INSTEAD OF UPDATE ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_upd');
CREATE TRIGGER invalid_trig INSTEAD OF DELETE ON rt_main_table
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_del');
CREATE TRIGGER invalid_trig INSTEAD OF UPDATE ON rt_main_view
FOR EACH ROW WHEN (OLD.a <> NEW.a) EXECUTE PROCEDURE rt_view_trigger('instead_of_upd');
CREATE TRIGGER invalid_trig INSTEAD OF UPDATE OF a ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_upd');
CREATE TRIGGER invalid_trig INSTEAD OF UPDATE ON rt_main_view
EXECUTE PROCEDURE rt_view_trigger('instead_of_upd');
CREATE TRIGGER instead_of_insert_trig INSTEAD OF INSERT ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_ins');
CREATE TRIGGER instead_of_update_trig INSTEAD OF UPDATE ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_upd');
CREATE TRIGGER instead_of_delete_trig INSTEAD OF DELETE ON rt_main_view
FOR EACH ROW EXECUTE PROCEDURE rt_view_trigger('instead_of_del');
CREATE TRIGGER before_ins_stmt_trig BEFORE INSERT ON rt_main_view
FOR EACH STATEMENT EXECUTE PROCEDURE rt_view_trigger('before_view_ins_stmt');
CREATE TRIGGER before_upd_stmt_trig BEFORE UPDATE ON rt_main_view
FOR EACH STATEMENT EXECUTE PROCEDURE rt_view_trigger('before_view_upd_stmt');
CREATE TRIGGER before_del_stmt_trig BEFORE DELETE ON rt_main_view
FOR EACH STATEMENT EXECUTE PROCEDURE rt_view_trigger('before_view_del_stmt');
CREATE TRIGGER after_ins_stmt_trig AFTER INSERT ON rt_main_view
FOR EACH STATEMENT EXECUTE PROCEDURE rt_view_trigger('after_view_ins_stmt');
CREATE TRIGGER after_upd_stmt_trig AFTER UPDATE ON rt_main_view
FOR EACH STATEMENT EXECUTE PROCEDURE rt_view_trigger('after_view_upd_stmt');
CREATE TRIGGER after_del_stmt_trig AFTER DELETE ON rt_main_view
FOR EACH STATEMENT EXECUTE PROCEDURE rt_view_trigger('after_view_del_stmt');
INSERT INTO rt_main_view VALUES (20, 30);
INSERT INTO rt_main_view VALUES (21, 31) RETURNING a, b;
UPDATE rt_main_view SET b = 31 WHERE a = 20;
UPDATE rt_main_view SET b = 32 WHERE a = 21 AND b = 31 RETURNING a, b;
DROP TRIGGER before_upd_a_row_trig ON rt_main_table;
UPDATE rt_main_view SET b = 31 WHERE a = 20;
UPDATE rt_main_view SET b = 32 WHERE a = 21 AND b = 31 RETURNING a, b;
UPDATE rt_main_view SET b = 0 WHERE false;
DELETE FROM rt_main_view WHERE a IN (20,21);
DELETE FROM rt_main_view WHERE a = 31 RETURNING a, b;
SELECT * FROM rt_main_table ORDER BY a, b;
DROP TRIGGER instead_of_insert_trig ON rt_main_view;
DROP TRIGGER instead_of_delete_trig ON rt_main_view;
SELECT tgname FROM pg_trigger WHERE tgrelid = 'rt_main_view'::regclass ORDER BY 1;
INSERT INTO rt_main_view VALUES (22, 33);
DELETE FROM rt_main_view WHERE a = 22;
DROP VIEW rt_main_view;
-- triggers on a join view
CREATE TABLE rt_country_table (
    country_id        serial primary key,
    country_name    text unique not null,
    continent        text not null
);
INSERT INTO rt_country_table (country_name, continent)
    VALUES ('Japan', 'Asia'),
           ('UK', 'Europe'),
           ('USA', 'North America')
    RETURNING *;
CREATE TABLE rt_city_table (
    city_id        serial primary key,
    city_name    text not null,
    population    bigint,
    country_id    int references rt_country_table
);
CREATE VIEW rt_city_view AS
    SELECT city_id, city_name, population, country_name, continent
    FROM rt_city_table ci
    LEFT JOIN rt_country_table co ON co.country_id = ci.country_id;
CREATE FUNCTION rt_city_insert() RETURNS trigger LANGUAGE plpgsql AS $$
declare
    ctry_id int;
begin
    if NEW.country_name IS NOT NULL then
        SELECT country_id, continent INTO ctry_id, NEW.continent
            FROM rt_country_table WHERE country_name = NEW.country_name;
        if NOT FOUND then
            raise exception 'No such country: "%"', NEW.country_name;
        end if;
    else
        NEW.continent := NULL;
    end if;
    if NEW.city_id IS NOT NULL then
        INSERT INTO rt_city_table
            VALUES(NEW.city_id, NEW.city_name, NEW.population, ctry_id);
    else
        INSERT INTO rt_city_table(city_name, population, country_id)
            VALUES(NEW.city_name, NEW.population, ctry_id)
            RETURNING city_id INTO NEW.city_id;
    end if;
    RETURN NEW;
end;
$$;
CREATE TRIGGER city_insert_trig INSTEAD OF INSERT ON rt_city_view
FOR EACH ROW EXECUTE PROCEDURE rt_city_insert();
CREATE FUNCTION rt_city_delete() RETURNS trigger LANGUAGE plpgsql AS $$
begin
    DELETE FROM rt_city_table WHERE city_id = OLD.city_id;
    if NOT FOUND then RETURN NULL; end if;
    RETURN OLD;
end;
$$;
CREATE TRIGGER city_delete_trig INSTEAD OF DELETE ON rt_city_view
FOR EACH ROW EXECUTE PROCEDURE rt_city_delete();
CREATE FUNCTION rt_city_update() RETURNS trigger LANGUAGE plpgsql AS $$
declare
    ctry_id int;
begin
    if NEW.country_name IS DISTINCT FROM OLD.country_name then
        SELECT country_id, continent INTO ctry_id, NEW.continent
            FROM rt_country_table WHERE country_name = NEW.country_name;
        if NOT FOUND then
            raise exception 'No such country: "%"', NEW.country_name;
        end if;
        UPDATE rt_city_table SET city_name = NEW.city_name,
                              population = NEW.population,
                              country_id = ctry_id
            WHERE city_id = OLD.city_id;
    else
        UPDATE rt_city_table SET city_name = NEW.city_name,
                              population = NEW.population
            WHERE city_id = OLD.city_id;
        NEW.continent := OLD.continent;
    end if;
    if NOT FOUND then RETURN NULL; end if;
    RETURN NEW;
end;
$$;
CREATE TRIGGER city_update_trig INSTEAD OF UPDATE ON rt_city_view
FOR EACH ROW EXECUTE PROCEDURE rt_city_update();
INSERT INTO rt_city_view(city_name) VALUES('Tokyo') RETURNING *;
INSERT INTO rt_city_view(city_name, population) VALUES('London', 7556900) RETURNING *;
INSERT INTO rt_city_view(city_name, country_name) VALUES('Washington DC', 'USA') RETURNING *;
INSERT INTO rt_city_view(city_id, city_name) VALUES(123456, 'New York') RETURNING *;
INSERT INTO rt_city_view VALUES(234567, 'Birmingham', 1016800, 'UK', 'EU') RETURNING *;
UPDATE rt_city_view SET country_name = 'Japon' WHERE city_name = 'Tokyo';
UPDATE rt_city_view SET country_name = 'Japan' WHERE city_name = 'Takyo';
UPDATE rt_city_view SET country_name = 'Japan' WHERE city_name = 'Tokyo' RETURNING *;
UPDATE rt_city_view SET population = 13010279 WHERE city_name = 'Tokyo' RETURNING *;
UPDATE rt_city_view SET country_name = 'UK' WHERE city_name = 'New York' RETURNING *;
UPDATE rt_city_view SET country_name = 'USA', population = 8391881 WHERE city_name = 'New York' RETURNING *;
UPDATE rt_city_view SET continent = 'EU' WHERE continent = 'Europe' RETURNING *;
UPDATE rt_city_view v1 SET country_name = v2.country_name FROM rt_city_view v2
    WHERE v2.city_name = 'Birmingham' AND v1.city_name = 'London' RETURNING *;
DELETE FROM rt_city_view WHERE city_name = 'Birmingham' RETURNING *;
CREATE VIEW rt_european_city_view AS
    SELECT * FROM rt_city_view WHERE continent = 'Europe';
SELECT count(*) FROM rt_european_city_view;
CREATE FUNCTION rt_no_op_trig_fn() RETURNS trigger LANGUAGE plpgsql
AS 'begin RETURN NULL; end';
CREATE TRIGGER no_op_trig INSTEAD OF INSERT OR UPDATE OR DELETE
ON rt_european_city_view FOR EACH ROW EXECUTE PROCEDURE rt_no_op_trig_fn();
INSERT INTO rt_european_city_view VALUES (0, 'x', 10000, 'y', 'z');
UPDATE rt_european_city_view SET population = 10000;
DELETE FROM rt_european_city_view;
CREATE RULE european_city_insert_rule AS ON INSERT TO rt_european_city_view
DO INSTEAD INSERT INTO rt_city_view
VALUES (NEW.city_id, NEW.city_name, NEW.population, NEW.country_name, NEW.continent)
RETURNING *;
CREATE RULE european_city_update_rule AS ON UPDATE TO rt_european_city_view
DO INSTEAD UPDATE rt_city_view SET
    city_name = NEW.city_name,
    population = NEW.population,
    country_name = NEW.country_name
WHERE city_id = OLD.city_id
RETURNING NEW.*;
CREATE RULE european_city_delete_rule AS ON DELETE TO rt_european_city_view
DO INSTEAD DELETE FROM rt_city_view WHERE city_id = OLD.city_id RETURNING *;
INSERT INTO rt_european_city_view(city_name, country_name)
    VALUES ('Cambridge', 'USA') RETURNING *;
UPDATE rt_european_city_view SET country_name = 'UK'
    WHERE city_name = 'Cambridge';
DELETE FROM rt_european_city_view WHERE city_name = 'Cambridge';
UPDATE rt_city_view SET country_name = 'UK'
    WHERE city_name = 'Cambridge' RETURNING *;
UPDATE rt_european_city_view SET population = 122800
    WHERE city_name = 'Cambridge' RETURNING *;
DELETE FROM rt_european_city_view WHERE city_name = 'Cambridge' RETURNING *;
UPDATE rt_city_view v SET population = 599657
    FROM rt_city_table ci, rt_country_table co
    WHERE ci.city_name = 'Washington DC' and co.country_name = 'USA'
    AND v.city_id = ci.city_id AND v.country_name = co.country_name
    RETURNING co.country_id, v.country_name,
              v.city_id, v.city_name, v.population;
SELECT * FROM rt_city_view;
DROP TABLE rt_city_table CASCADE;
DROP TABLE rt_country_table;
-- pg_trigger_depth()
create table rt_depth_a (id int not null primary key);
create table rt_depth_b (id int not null primary key);
create table rt_depth_c (id int not null primary key);
create table rt_depth_log (n serial, what text, depth int);
create function rt_depth_a_tf() returns trigger
  language plpgsql as $$
begin
  insert into rt_depth_log (what, depth) values (tg_name, pg_trigger_depth());
  insert into rt_depth_b values (new.id);
  insert into rt_depth_log (what, depth) values (tg_name, pg_trigger_depth());
  return new;
end;
$$;
create trigger depth_a_tr before insert on rt_depth_a
  for each row execute procedure rt_depth_a_tf();
create function rt_depth_b_tf() returns trigger
  language plpgsql as $$
begin
  insert into rt_depth_log (what, depth) values (tg_name, pg_trigger_depth());
  begin
    execute 'insert into rt_depth_c values (' || new.id::text || ')';
  exception
    when sqlstate 'U9999' then
      raise notice 'SQLSTATE = U9999: depth = %', pg_trigger_depth();
  end;
  insert into rt_depth_log (what, depth) values (tg_name, pg_trigger_depth());
  if new.id = 1 then
    execute 'insert into rt_depth_c values (' || new.id::text || ')';
  end if;
  return new;
end;
$$;
create trigger depth_b_tr before insert on rt_depth_b
  for each row execute procedure rt_depth_b_tf();
create function rt_depth_c_tf() returns trigger
  language plpgsql as $$
begin
  raise notice '%: depth = %', tg_name, pg_trigger_depth();
  if new.id = 1 then
    raise exception sqlstate 'U9999';
  end if;
  insert into rt_depth_log (what, depth) values (tg_name, pg_trigger_depth());
  return new;
end;
$$;
create trigger depth_c_tr before insert on rt_depth_c
  for each row execute procedure rt_depth_c_tf();
select pg_trigger_depth();
insert into rt_depth_a values (1);
select pg_trigger_depth();
insert into rt_depth_a values (2);
select pg_trigger_depth();
select what, depth from rt_depth_log order by n;
select * from rt_depth_c;
drop table rt_depth_a, rt_depth_b, rt_depth_c, rt_depth_log;
drop function rt_depth_a_tf();
drop function rt_depth_b_tf();
drop function rt_depth_c_tf();
-- updates to rows during firing of BEFORE ROW triggers are rejected
create temp table rt_parent (
    aid int not null primary key,
    val1 text,
    val2 text,
    val3 text,
    val4 text,
    bcnt int not null default 0);
create temp table rt_child (
    bid int not null primary key,
    aid int not null,
    val1 text);
create function rt_parent_upd_func()
  returns trigger language plpgsql as
$$
begin
  if old.val1 <> new.val1 then
    new.val2 = new.val1;
    delete from rt_child where rt_child.aid = new.aid and rt_child.val1 = new.val1;
  end if;
  return new;
end;
$$;
create trigger parent_upd_trig before update on rt_parent
  for each row execute procedure rt_parent_upd_func();
create function rt_parent_del_func()
  returns trigger language plpgsql as
$$
begin
  delete from rt_child where aid = old.aid;
  return old;
end;
$$;
create trigger parent_del_trig before delete on rt_parent
  for each row execute procedure rt_parent_del_func();
create function rt_child_ins_func()
  returns trigger language plpgsql as
$$
begin
  update rt_parent set bcnt = bcnt + 1 where aid = new.aid;
  return new;
end;
$$;
create trigger child_ins_trig after insert on rt_child
  for each row execute procedure rt_child_ins_func();
create function rt_child_del_func()
  returns trigger language plpgsql as
$$
begin
  update rt_parent set bcnt = bcnt - 1 where aid = old.aid;
  return old;
end;
$$;
create trigger child_del_trig after delete on rt_child
  for each row execute procedure rt_child_del_func();
insert into rt_parent values (1, 'a', 'a', 'a', 'a', 0);
insert into rt_child values (10, 1, 'b');
select * from rt_parent;
select * from rt_child;
update rt_parent set val1 = 'b' where aid = 1;
merge into rt_parent p using (values (1)) as v(id) on p.aid = v.id
  when matched then update set val1 = 'b';
select * from rt_parent;
select * from rt_child;
delete from rt_parent where aid = 1;
merge into rt_parent p using (values (1)) as v(id) on p.aid = v.id
  when matched then delete;
select * from rt_parent;
select * from rt_child;
create or replace function rt_parent_del_func()
  returns trigger language plpgsql as
$$
begin
  delete from rt_child where aid = old.aid;
  if found then
    delete from rt_parent where aid = old.aid;
    return null;
  end if;
  return old;
end;
$$;
delete from rt_parent where aid = 1;
select * from rt_parent;
select * from rt_child;
drop table rt_parent, rt_child;
drop function rt_parent_upd_func();
drop function rt_parent_del_func();
drop function rt_child_ins_func();
drop function rt_child_del_func();
-- a self-referencing FK: parent and child rows affected by one statement
create temp table rt_self_ref_trigger (
    id int primary key,
    parent int references rt_self_ref_trigger,
    data text,
    nchildren int not null default 0
);
create function rt_self_ref_trigger_ins_func()
  returns trigger language plpgsql as
$$
begin
  if new.parent is not null then
    update rt_self_ref_trigger set nchildren = nchildren + 1
      where id = new.parent;
  end if;
  return new;
end;
$$;
create trigger self_ref_trigger_ins_trig before insert on rt_self_ref_trigger
  for each row execute procedure rt_self_ref_trigger_ins_func();
create function rt_self_ref_trigger_del_func()
  returns trigger language plpgsql as
$$
begin
  if old.parent is not null then
    update rt_self_ref_trigger set nchildren = nchildren - 1
      where id = old.parent;
  end if;
  return old;
end;
$$;
create trigger self_ref_trigger_del_trig before delete on rt_self_ref_trigger
  for each row execute procedure rt_self_ref_trigger_del_func();
insert into rt_self_ref_trigger values (1, null, 'root');
insert into rt_self_ref_trigger values (2, 1, 'root child A');
insert into rt_self_ref_trigger values (3, 1, 'root child B');
insert into rt_self_ref_trigger values (4, 2, 'grandchild 1');
insert into rt_self_ref_trigger values (5, 3, 'grandchild 2');
update rt_self_ref_trigger set data = 'root!' where id = 1;
select * from rt_self_ref_trigger;
delete from rt_self_ref_trigger;
select * from rt_self_ref_trigger;
drop table rt_self_ref_trigger;
drop function rt_self_ref_trigger_ins_func();
drop function rt_self_ref_trigger_del_func();
-- statement triggers with all children excluded
create table rt_stmt_trig_on_empty_upd (a int);
create table rt_stmt_trig_on_empty_upd1 () inherits (rt_stmt_trig_on_empty_upd);
create function rt_update_stmt_notice() returns trigger as $$
begin
	raise notice 'updating %', TG_TABLE_NAME;
	return null;
end;
$$ language plpgsql;
create trigger before_stmt_trigger
	before update on rt_stmt_trig_on_empty_upd
	execute procedure rt_update_stmt_notice();
create trigger before_stmt_trigger
	before update on rt_stmt_trig_on_empty_upd1
	execute procedure rt_update_stmt_notice();
update rt_stmt_trig_on_empty_upd set a = a where false returning a+1 as aa;
update rt_stmt_trig_on_empty_upd1 set a = a where false returning a+1 as aa;
drop table rt_stmt_trig_on_empty_upd cascade;
drop function rt_update_stmt_notice();
-- DDL on the trigger's table inside a trigger is prohibited
create table rt_trigger_ddl_table (col1 integer, col2 integer);
create function rt_trigger_ddl_func() returns trigger as $$
begin
  alter table rt_trigger_ddl_table add primary key (col1);
  return new;
end$$ language plpgsql;
create trigger trigger_ddl_func before insert on rt_trigger_ddl_table for each row
  execute procedure rt_trigger_ddl_func();
insert into rt_trigger_ddl_table values (1, 42);
create or replace function rt_trigger_ddl_func() returns trigger as $$
begin
  create index on rt_trigger_ddl_table (col2);
  return new;
end$$ language plpgsql;
insert into rt_trigger_ddl_table values (1, 42);
select count(*) from rt_trigger_ddl_table;
drop table rt_trigger_ddl_table;
drop function rt_trigger_ddl_func();
-- before and after triggers with INSERT ... ON CONFLICT DO UPDATE
create table rt_upsert (key int4 primary key, color text);
create table rt_upsert_log (n serial, what text);
create function rt_upsert_before_func()
  returns trigger language plpgsql as
$$
begin
  if (TG_OP = 'UPDATE') then
    insert into rt_upsert_log (what) values ('before update (old): ' || old.*::text);
    insert into rt_upsert_log (what) values ('before update (new): ' || new.*::text);
  elsif (TG_OP = 'INSERT') then
    insert into rt_upsert_log (what) values ('before insert (new): ' || new.*::text);
    if new.key % 2 = 0 then
      new.key := new.key + 1;
      new.color := new.color || ' trig modified';
      insert into rt_upsert_log (what) values ('before insert (new, modified): ' || new.*::text);
    end if;
  end if;
  return new;
end;
$$;
create trigger upsert_before_trig before insert or update on rt_upsert
  for each row execute procedure rt_upsert_before_func();
create function rt_upsert_after_func()
  returns trigger language plpgsql as
$$
begin
  if (TG_OP = 'UPDATE') then
    insert into rt_upsert_log (what) values ('after update (old): ' || old.*::text);
    insert into rt_upsert_log (what) values ('after update (new): ' || new.*::text);
  elsif (TG_OP = 'INSERT') then
    insert into rt_upsert_log (what) values ('after insert (new): ' || new.*::text);
  end if;
  return null;
end;
$$;
create trigger upsert_after_trig after insert or update on rt_upsert
  for each row execute procedure rt_upsert_after_func();
insert into rt_upsert values(1, 'black') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(2, 'red') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(3, 'orange') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(4, 'green') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(5, 'purple') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(6, 'white') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(7, 'pink') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
insert into rt_upsert values(8, 'yellow') on conflict (key) do update set color = 'updated ' || rt_upsert.color;
select * from rt_upsert;
select what from rt_upsert_log order by n;
drop table rt_upsert, rt_upsert_log;
drop function rt_upsert_before_func();
drop function rt_upsert_after_func();
-- transition tables are not allowed on views
create table rt_my_table (i int);
create view rt_my_view as select * from rt_my_table;
create function rt_my_trigger_function() returns trigger as $$ begin end; $$ language plpgsql;
create trigger my_trigger after update on rt_my_view referencing old table as old_table
   for each statement execute procedure rt_my_trigger_function();
drop function rt_my_trigger_function();
drop view rt_my_view;
drop table rt_my_table;
-- unsupported cases with partitioned tables
create table rt_parted_trig (a int) partition by list (a);
create function rt_trigger_nothing() returns trigger
  language plpgsql as $$ begin end; $$;
create trigger failed instead of update on rt_parted_trig
  for each row execute procedure rt_trigger_nothing();
create trigger failed after update on rt_parted_trig
  referencing old table as old_table
  for each row execute procedure rt_trigger_nothing();
drop table rt_parted_trig;
-- trigger creation for partitioned tables, and drop behavior
create table rt_trigpart (a int, b int) partition by range (a);
create table rt_trigpart1 partition of rt_trigpart for values from (0) to (1000);
create trigger trg1 after insert on rt_trigpart for each row execute procedure rt_trigger_nothing();
create table rt_trigpart2 partition of rt_trigpart for values from (1000) to (2000);
create table rt_trigpart3 (like rt_trigpart);
alter table rt_trigpart attach partition rt_trigpart3 for values from (2000) to (3000);
create table rt_trigpart4 partition of rt_trigpart for values from (3000) to (4000) partition by range (a);
create table rt_trigpart41 partition of rt_trigpart4 for values from (3000) to (3500);
create table rt_trigpart42 (like rt_trigpart);
alter table rt_trigpart4 attach partition rt_trigpart42 for values from (3500) to (4000);
select tgrelid::regclass, tgname, tgfoid::regproc from pg_trigger
  where tgrelid::regclass::text like 'rt_trigpart%' order by tgrelid::regclass::text;
drop trigger trg1 on rt_trigpart1;
drop trigger trg1 on rt_trigpart2;
drop trigger trg1 on rt_trigpart3;
drop table rt_trigpart2;
select tgrelid::regclass, tgname, tgfoid::regproc from pg_trigger
  where tgrelid::regclass::text like 'rt_trigpart%' order by tgrelid::regclass::text;
drop trigger trg1 on rt_trigpart;
select tgrelid::regclass, tgname, tgfoid::regproc from pg_trigger
  where tgrelid::regclass::text like 'rt_trigpart%' order by tgrelid::regclass::text;
create trigger trg1 after insert on rt_trigpart for each row execute procedure rt_trigger_nothing();
alter table rt_trigpart detach partition rt_trigpart3;
drop trigger trg1 on rt_trigpart3;
alter table rt_trigpart detach partition rt_trigpart4;
drop trigger trg1 on rt_trigpart41;
drop table rt_trigpart4;
alter table rt_trigpart attach partition rt_trigpart3 for values from (2000) to (3000);
alter table rt_trigpart detach partition rt_trigpart3;
alter table rt_trigpart attach partition rt_trigpart3 for values from (2000) to (3000);
drop table rt_trigpart3;
select tgrelid::regclass::text, tgname, tgfoid::regproc, tgenabled, tgisinternal from pg_trigger
  where tgname ~ '^trg1' and tgrelid::regclass::text like 'rt_%' order by 1;
create table rt_trigpart3 (like rt_trigpart);
create trigger trg1 after insert on rt_trigpart3 for each row execute procedure rt_trigger_nothing();
alter table rt_trigpart attach partition rt_trigpart3 FOR VALUES FROM (2000) to (3000);
drop table rt_trigpart3;
create trigger samename after delete on rt_trigpart execute function rt_trigger_nothing();
create trigger samename after delete on rt_trigpart1 execute function rt_trigger_nothing();
select tgrelid::regclass::text, tgname, tgisinternal, tgparentid <> 0 from pg_trigger
  where tgname = 'samename' order by 1;
drop table rt_trigpart;
drop function rt_trigger_nothing();
-- triggers fired for partitioned tables, observed through a log table
create table rt_tlog (n serial, name text, tab text, tg_when text, op text, level text, args text);
create function rt_log_trig() returns trigger language plpgsql as $$
begin
  insert into rt_tlog (name, tab, tg_when, op, level, args)
    values (TG_NAME, TG_TABLE_NAME, TG_WHEN, TG_OP, TG_LEVEL, array_to_string(TG_ARGV, ','));
  if TG_LEVEL = 'ROW' then
    if TG_OP = 'DELETE' then return OLD; end if;
    return NEW;
  end if;
  return null;
end;
$$;
create table rt_parted_stmt_trig (a int) partition by list (a);
create table rt_parted_stmt_trig1 partition of rt_parted_stmt_trig for values in (1);
create table rt_parted_stmt_trig2 partition of rt_parted_stmt_trig for values in (2);
create table rt_parted2_stmt_trig (a int) partition by list (a);
create table rt_parted2_stmt_trig1 partition of rt_parted2_stmt_trig for values in (1);
create table rt_parted2_stmt_trig2 partition of rt_parted2_stmt_trig for values in (2);
create trigger trig_ins_before before insert on rt_parted_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_ins_after after insert on rt_parted_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_upd_before before update on rt_parted_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_upd_after after update on rt_parted_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_del_before before delete on rt_parted_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_del_after after delete on rt_parted_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_ins_after_parent after insert on rt_parted_stmt_trig
  for each row execute procedure rt_log_trig();
create trigger trig_upd_after_parent after update on rt_parted_stmt_trig
  for each row execute procedure rt_log_trig();
create trigger trig_del_after_parent after delete on rt_parted_stmt_trig
  for each row execute procedure rt_log_trig();
create trigger trig_ins_before_child before insert on rt_parted_stmt_trig1
  for each row execute procedure rt_log_trig();
create trigger trig_ins_after_child after insert on rt_parted_stmt_trig1
  for each row execute procedure rt_log_trig();
create trigger trig_upd_before_child before update on rt_parted_stmt_trig1
  for each row execute procedure rt_log_trig();
create trigger trig_upd_after_child after update on rt_parted_stmt_trig1
  for each row execute procedure rt_log_trig();
create trigger trig_del_before_child before delete on rt_parted_stmt_trig1
  for each row execute procedure rt_log_trig();
create trigger trig_del_after_child after delete on rt_parted_stmt_trig1
  for each row execute procedure rt_log_trig();
create trigger trig_ins_before_3 before insert on rt_parted2_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_ins_after_3 after insert on rt_parted2_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_upd_before_3 before update on rt_parted2_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_upd_after_3 after update on rt_parted2_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_del_before_3 before delete on rt_parted2_stmt_trig
  for each statement execute procedure rt_log_trig();
create trigger trig_del_after_3 after delete on rt_parted2_stmt_trig
  for each statement execute procedure rt_log_trig();
select tgrelid::regclass::text, tgname, tgparentid <> 0 as cloned from pg_trigger
  where tgrelid::regclass::text like 'rt_parted%stmt_trig%' order by 1, 2;
with ins (a) as (
  insert into rt_parted2_stmt_trig values (1), (2) returning a
) insert into rt_parted_stmt_trig select a from ins returning tableoid::regclass, a;
select name, tab, tg_when, op, level from rt_tlog order by n;
delete from rt_tlog;
update rt_parted_stmt_trig set a = a;
select name, tab, tg_when, op, level from rt_tlog order by n;
delete from rt_tlog;
delete from rt_parted_stmt_trig;
select name, tab, tg_when, op, level from rt_tlog order by n;
delete from rt_tlog;
alter table rt_parted_stmt_trig disable trigger trig_ins_after_parent;
insert into rt_parted_stmt_trig values (1);
alter table rt_parted_stmt_trig enable trigger trig_ins_after_parent;
insert into rt_parted_stmt_trig values (1);
select name, tab, tg_when, op, level from rt_tlog order by n;
delete from rt_tlog;
drop table rt_parted_stmt_trig, rt_parted2_stmt_trig;
-- triggers fire in alphabetical order
create table rt_parted_trig (a int) partition by range (a);
create table rt_parted_trig_1 partition of rt_parted_trig for values from (0) to (1000)
   partition by range (a);
create table rt_parted_trig_1_1 partition of rt_parted_trig_1 for values from (0) to (100);
create table rt_parted_trig_2 partition of rt_parted_trig for values from (1000) to (2000);
create trigger zzz after insert on rt_parted_trig for each row execute procedure rt_log_trig();
create trigger mmm after insert on rt_parted_trig_1_1 for each row execute procedure rt_log_trig();
create trigger aaa after insert on rt_parted_trig_1 for each row execute procedure rt_log_trig();
create trigger bbb after insert on rt_parted_trig for each row execute procedure rt_log_trig();
create trigger qqq after insert on rt_parted_trig_1_1 for each row execute procedure rt_log_trig();
insert into rt_parted_trig values (50), (1500);
select name, tab, tg_when, op, level from rt_tlog order by n;
delete from rt_tlog;
drop table rt_parted_trig;
-- the triggers of a cross-partition update
create table rt_parted_trig (a int) partition by list (a);
create table rt_parted_trig1 partition of rt_parted_trig for values in (1);
create table rt_parted_trig2 partition of rt_parted_trig for values in (2);
insert into rt_parted_trig values (1);
create trigger parted_trig_before_stmt before insert or update or delete on rt_parted_trig
   for each statement execute procedure rt_log_trig();
create trigger parted_trig_before_row before insert or update or delete on rt_parted_trig
   for each row execute procedure rt_log_trig();
create trigger parted_trig_after_row after insert or update or delete on rt_parted_trig
   for each row execute procedure rt_log_trig();
create trigger parted_trig_after_stmt after insert or update or delete on rt_parted_trig
   for each statement execute procedure rt_log_trig();
update rt_parted_trig set a = 2 where a = 1;
select name, tab, tg_when, op, level from rt_tlog order by n;
delete from rt_tlog;
select tableoid::regclass, * from rt_parted_trig;
drop table rt_parted_trig;
-- trigger arguments reach the partitions, also those attached later
create table rt_parted_trig (a int) partition by list (a);
create table rt_parted_trig1 partition of rt_parted_trig for values in (1);
create trigger aaa after insert on rt_parted_trig
   for each row execute procedure rt_log_trig('quirky', 1);
create table rt_parted_trig2 partition of rt_parted_trig for values in (2);
create table rt_parted_trig3 (like rt_parted_trig);
alter table rt_parted_trig attach partition rt_parted_trig3 for values in (3);
insert into rt_parted_trig values (1), (2), (3);
select name, tab, op, args from rt_tlog order by n;
delete from rt_tlog;
drop table rt_parted_trig;
-- partitions with other column orders, and WHEN conditions
create table rt_parted_irreg_ancestor (fd text, b text, fd2 int, fd3 int, a int)
  partition by range (b);
alter table rt_parted_irreg_ancestor drop column fd,
  drop column fd2, drop column fd3;
create table rt_parted_irreg (fd int, a int, fd2 int, b text)
  partition by range (b);
alter table rt_parted_irreg drop column fd, drop column fd2;
alter table rt_parted_irreg_ancestor attach partition rt_parted_irreg
  for values from ('aaaa') to ('zzzz');
create table rt_parted1_irreg (b text, fd int, a int);
alter table rt_parted1_irreg drop column fd;
alter table rt_parted_irreg attach partition rt_parted1_irreg
  for values from ('aaaa') to ('bbbb');
create trigger parted_trig after insert on rt_parted_irreg
  for each row execute procedure rt_log_trig();
create trigger parted_trig_odd after insert on rt_parted_irreg for each row
  when (new.a % 2 = 1) execute procedure rt_log_trig();
insert into rt_parted_irreg values (1, 'aardvark'), (2, 'aanimals');
insert into rt_parted1_irreg values ('aardwolf', 2);
insert into rt_parted_irreg_ancestor values ('aasvogel', 3);
select name, tab, op from rt_tlog order by n;
delete from rt_tlog;
drop table rt_parted_irreg_ancestor;
-- BEFORE triggers and partitions
create table rt_parted (a int, b int, c text) partition by list (a);
create table rt_parted_1 partition of rt_parted for values in (1)
  partition by list (b);
create table rt_parted_1_1 partition of rt_parted_1 for values in (1);
create function rt_parted_trigfunc() returns trigger language plpgsql as $$
begin
  new.a = new.a + 1;
  return new;
end;
$$;
insert into rt_parted values (1, 1, 'uno uno v1');
create trigger t before insert or update or delete on rt_parted
  for each row execute function rt_parted_trigfunc();
insert into rt_parted values (1, 1, 'uno uno v2');
update rt_parted set c = c || 'v3';
create or replace function rt_parted_trigfunc() returns trigger language plpgsql as $$
begin
  new.c = new.c || ' did '|| TG_OP;
  return new;
end;
$$;
insert into rt_parted values (1, 1, 'uno uno');
update rt_parted set c = c || ' v6';
select tableoid::regclass, * from rt_parted order by c;
drop table rt_parted;
drop function rt_parted_trigfunc();
-- the WHEN condition of a partitioned table's trigger on partitions of other layouts
create table rt_parted_trigger (a int, b text) partition by range (a);
create table rt_parted_trigger_1 partition of rt_parted_trigger for values from (0) to (1000);
create table rt_parted_trigger_2 (drp int, a int, b text);
alter table rt_parted_trigger_2 drop column drp;
alter table rt_parted_trigger attach partition rt_parted_trigger_2 for values from (1000) to (2000);
create trigger parted_trigger after update on rt_parted_trigger
  for each row when (new.a % 2 = 1 and length(old.b) >= 2) execute procedure rt_log_trig();
create table rt_parted_trigger_3 (b text, a int) partition by range (length(b));
create table rt_parted_trigger_3_1 partition of rt_parted_trigger_3 for values from (1) to (3);
create table rt_parted_trigger_3_2 partition of rt_parted_trigger_3 for values from (3) to (5);
alter table rt_parted_trigger attach partition rt_parted_trigger_3 for values from (2000) to (3000);
insert into rt_parted_trigger values
    (0, 'a'), (1, 'bbb'), (2, 'bcd'), (3, 'c'),
	(1000, 'c'), (1001, 'ddd'), (1002, 'efg'), (1003, 'f'),
	(2000, 'e'), (2001, 'fff'), (2002, 'ghi'), (2003, 'h');
update rt_parted_trigger set a = a + 2;
select name, tab, op, count(*) from rt_tlog group by 1, 2, 3 order by 1, 2, 3;
delete from rt_tlog;
drop table rt_parted_trigger;
-- pg_trigger_depth() through nested triggers, suppress_redundant_updates_trigger misuse
create table rt_sru (a int);
create trigger sru_after after update on rt_sru
  for each row execute function suppress_redundant_updates_trigger();
insert into rt_sru values (1);
update rt_sru set a = a;
create trigger sru_ins before insert on rt_sru
  for each row execute function suppress_redundant_updates_trigger();
insert into rt_sru values (2);
drop table rt_sru;
select pg_get_triggerdef(t.oid) from pg_trigger t where tgname = 'z_min_update';
