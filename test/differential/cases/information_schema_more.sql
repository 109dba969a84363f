-- information_schema beyond tables and columns, as DBeaver, pgAdmin, DataGrip, Hibernate and
-- SQLAlchemy read it: roles and grants, routines and their privileges, domains, composite
-- types, what checks, views and generated columns use, triggers, collations, the FDW views
-- (empty) and the sql_* tables. A routine's specific_name ends in its OID, cut off here.
-- setup
create role ism_reader;
create role ism_admin;
grant ism_reader to ism_admin with admin option;
create domain ism_posint as int check (value > 0) constraint ism_posint_small check (value < 1000000);
create domain ism_code as varchar(8) not null;
create type ism_point as (x int, y numeric(6,2), tags text[], code ism_code);
create function ism_double(x int) returns int language sql immutable as 'select x * 2';
create function ism_is_ok(x int) returns boolean language sql as 'select x >= 0';
create function ism_pair(a int, out b int, out c text) language plpgsql as $$ begin b := a; c := a::text; end $$;
create function ism_trg() returns trigger language plpgsql as $$ begin return new; end $$;
create procedure ism_proc(a int, b text default 'x') language plpgsql as $$ begin raise notice '%', a; end $$;
create table ism_items (id int primary key, qty ism_posint, price numeric(8,2), total numeric generated always as (price * 2 + qty) stored, label varchar(20), codes int[], spot ism_point, constraint ism_items_ok check (ism_is_ok(id)));
create sequence ism_seq;
create view ism_v as select id, ism_double(id) as d, label from ism_items;
create view ism_v2 as select v.id, v.d, i.price from ism_v v join ism_items i on i.id = v.id;
create trigger ism_t1 before update of qty, price on ism_items for each row execute function ism_trg();
create trigger ism_t2 after insert or delete on ism_items for each statement execute function ism_trg();
grant select, update (label) on ism_items to ism_reader;
grant insert (label, price) on ism_items to ism_reader with grant option;
grant execute on function ism_double(int) to ism_reader with grant option;
grant usage on sequence ism_seq to ism_admin;
-- test
select * from information_schema.applicable_roles where role_name like 'ism%' order by 1, 2;
select * from information_schema.administrable_role_authorizations where role_name like 'ism%' order by 1, 2;
select * from information_schema.enabled_roles where role_name like 'ism%' order by 1;
select * from information_schema.table_privileges where table_name like 'ism%' order by 1, 2, 5, 6;
select * from information_schema.role_table_grants where table_name like 'ism%' order by 1, 2, 5, 6;
select * from information_schema.column_privileges where table_name like 'ism%' order by 1, 2, 5, 6, 7;
select * from information_schema.role_column_grants where table_name like 'ism%' order by 1, 2, 5, 6, 7;
select grantor, grantee, specific_catalog = current_database(), specific_schema, regexp_replace(specific_name, '_[0-9]+$', ''), routine_schema, routine_name, privilege_type, is_grantable from information_schema.routine_privileges where routine_name like 'ism%' order by 7, 1, 2;
select grantor, grantee, specific_schema, regexp_replace(specific_name, '_[0-9]+$', ''), routine_name, privilege_type, is_grantable from information_schema.role_routine_grants where routine_name like 'ism%' order by 5, 1, 2;
select * from information_schema.udt_privileges where udt_name like 'ism%' order by 1, 2, 5;
select * from information_schema.role_udt_grants where udt_name like 'ism%' order by 1, 2, 5;
select * from information_schema.usage_privileges where object_name like 'ism%' order by 5, 1, 2;
select * from information_schema.role_usage_grants where object_name like 'ism%' order by 5, 1, 2;
select * from information_schema.usage_privileges where object_schema = 'pg_catalog' and object_name in ('C', 'POSIX', 'default') order by 5;
select * from information_schema.domains where domain_name like 'ism%' order by 3;
select constraint_schema, constraint_name, domain_schema, domain_name, is_deferrable, initially_deferred from information_schema.domain_constraints where domain_name like 'ism%' and constraint_name not like '%_not_null' order by 2;
select * from information_schema.domain_udt_usage where domain_name like 'ism%' order by 6;
select * from information_schema.column_domain_usage where domain_name like 'ism%' order by 3, 6, 7;
select * from information_schema.column_column_usage where table_name like 'ism%' order by 3, 4, 5;
select constraint_schema, constraint_name, specific_schema, regexp_replace(specific_name, '_[0-9]+$', '') from information_schema.check_constraint_routine_usage where constraint_name like 'ism%' order by 2;
select table_schema, table_name, specific_schema, regexp_replace(specific_name, '_[0-9]+$', '') from information_schema.view_routine_usage where table_name like 'ism%' order by 2, 4;
select * from information_schema.view_table_usage where view_name like 'ism%' order by 3, 6;
select * from information_schema.view_column_usage where view_name like 'ism%' order by 3, 6, 7;
select * from information_schema.triggered_update_columns where trigger_name like 'ism%' order by 3, 7;
select trigger_schema, trigger_name, event_manipulation, event_object_table, action_order, action_condition, action_statement, action_orientation, action_timing from information_schema.triggers where trigger_name like 'ism%' order by 2, 3;
select specific_schema, regexp_replace(specific_name, '_[0-9]+$', ''), routine_schema, routine_name, routine_type, udt_schema, udt_name, data_type, type_udt_name, dtd_identifier, routine_body, routine_definition, external_language, parameter_style, is_deterministic, sql_data_access, is_null_call, schema_level_routine, max_dynamic_result_sets, security_type, as_locator, is_udt_dependent from information_schema.routines where routine_name like 'ism%' order by 4;
select regexp_replace(specific_name, '_[0-9]+$', ''), ordinal_position, parameter_mode, is_result, as_locator, parameter_name, data_type, udt_schema, udt_name, dtd_identifier from information_schema.parameters where specific_name like 'ism%' order by 1, 2;
select * from information_schema.attributes where udt_name like 'ism%' order by 3, 5;
select * from information_schema.user_defined_types where user_defined_type_name like 'ism%' order by 3;
select * from information_schema.element_types where object_name like 'ism%' order by 3, 5;
select object_schema, regexp_replace(object_name, '_[0-9]+$', ''), object_type, dtd_identifier from information_schema.data_type_privileges where object_name like 'ism%' order by 1, 2, 3, 4;
select * from information_schema.column_udt_usage where table_name like 'ism%' order by 6, 7;
select * from information_schema.character_sets;
select * from information_schema.collations where collation_name in ('C', 'POSIX', 'default') order by 3;
select * from information_schema.collation_character_set_applicability where collation_name in ('C', 'POSIX', 'default') order by 3;
select * from information_schema.information_schema_catalog_name;
select * from information_schema.foreign_data_wrappers;
select * from information_schema.foreign_data_wrapper_options;
select * from information_schema.foreign_servers;
select * from information_schema.foreign_server_options;
select * from information_schema.foreign_tables;
select * from information_schema.foreign_table_options;
select * from information_schema.column_options;
select * from information_schema.user_mappings;
select * from information_schema.user_mapping_options;
select * from information_schema._pg_foreign_data_wrappers;
select * from information_schema._pg_foreign_servers;
select * from information_schema._pg_foreign_tables;
select * from information_schema._pg_foreign_table_columns;
select * from information_schema._pg_user_mappings;
select * from information_schema.transforms;
select * from information_schema.routine_column_usage where routine_name like 'ism%';
select * from information_schema.routine_routine_usage where routine_name like 'ism%';
select * from information_schema.routine_sequence_usage where routine_name like 'ism%';
select * from information_schema.routine_table_usage where routine_name like 'ism%';
select * from information_schema.sql_features order by feature_id, sub_feature_id;
select * from information_schema.sql_implementation_info where implementation_info_name <> 'DBMS VERSION' order by implementation_info_id;
select * from information_schema.sql_parts order by feature_id;
select * from information_schema.sql_sizing order by sizing_id;
-- tools list the information_schema and pg_catalog views through pg_views
select schemaname, viewname, viewowner from pg_views where schemaname = 'information_schema' and viewname in ('tables', 'columns', 'routines', 'triggers', 'foreign_tables') order by 2;
select schemaname, viewname, viewowner from pg_views where schemaname = 'pg_catalog' and viewname in ('pg_stat_activity', 'pg_tables', 'pg_views', 'pg_roles', 'pg_settings') order by 2;
select count(*) > 50 from pg_views where schemaname = 'pg_catalog';
select count(*) > 50 from pg_views where schemaname = 'information_schema';
select viewname from pg_views where schemaname = 'information_schema' and viewname like 'sql%';
-- as a role that is not a superuser, the views keep the rows of its roles and PUBLIC's
set role ism_reader;
select * from information_schema.enabled_roles where role_name like 'ism%' order by 1;
select * from information_schema.applicable_roles where role_name like 'ism%' order by 1, 2;
select * from information_schema.table_privileges where table_name like 'ism%' order by 1, 2, 5, 6;
select * from information_schema.role_table_grants where table_name like 'ism%' order by 1, 2, 5, 6;
select * from information_schema.column_privileges where table_name like 'ism%' order by 1, 2, 5, 6, 7;
select grantor, grantee, routine_name, privilege_type, is_grantable from information_schema.routine_privileges where routine_name like 'ism%' order by 3, 1, 2;
select grantor, grantee, routine_name, privilege_type, is_grantable from information_schema.role_routine_grants where routine_name like 'ism%' order by 3, 1, 2;
select * from information_schema.usage_privileges where object_name like 'ism%' order by 5, 1, 2;
select * from information_schema.udt_privileges where udt_name like 'ism%' order by 1, 2, 5;
select * from information_schema.domain_udt_usage where domain_name like 'ism%' order by 6;
select * from information_schema.column_domain_usage where domain_name like 'ism%' order by 3, 6, 7;
select * from information_schema.column_column_usage where table_name like 'ism%' order by 3, 4, 5;
select * from information_schema.triggered_update_columns where trigger_name like 'ism%' order by 3, 7;
reset role;
set role ism_admin;
select * from information_schema.enabled_roles where role_name like 'ism%' order by 1;
select * from information_schema.administrable_role_authorizations where role_name like 'ism%' order by 1, 2;
select * from information_schema.role_usage_grants where object_name like 'ism%' order by 5, 1, 2;
select * from information_schema.role_column_grants where table_name like 'ism%' order by 1, 2, 5, 6, 7;
reset role;
-- parameter defaults as pg_get_function_arg_default prints them
-- setup
create function ism_defs(a int, b text default 'x', c int default 1 + 2, variadic d int[] default '{}') returns int language sql as 'select a';
create function ism_defs2(a int, out b int, c int default 5, out d text) language plpgsql as $$ begin b := a; d := c::text; end $$;
-- test
select regexp_replace(specific_name, '_[0-9]+$', ''), ordinal_position, parameter_mode, parameter_name, data_type, parameter_default from information_schema.parameters where specific_name like 'ism_defs%' order by 1, 2;
-- element types of domains over arrays and of routines' array parameters and results
-- setup
create domain ism_ints as int[];
create function ism_arr(a text[], b int, out c numeric[], out d ism_ints) language plpgsql as $$ begin c := null; d := null; end $$;
create function ism_arr2(varchar[]) returns date[] language sql as 'select null::date[]';
-- test
select object_schema, regexp_replace(object_name, '_[0-9]+$', ''), object_type, collection_type_identifier, data_type, udt_schema, udt_name, dtd_identifier from information_schema.element_types where object_name like 'ism%' order by 2, 4;
select object_schema, regexp_replace(object_name, '_[0-9]+$', ''), object_type, dtd_identifier from information_schema.data_type_privileges where object_name like 'ism_arr%' or object_name = 'ism_ints' order by 1, 2, 3, 4;
-- tables, columns and views show to a role with some privilege on them; view text to owners
-- setup
create view ism_v3 as select id from ism_items;
grant select on ism_v3 to ism_reader;
create table ism_hidden (a int, b text);
create table ism_colonly (a int, b text, c int);
grant update (b) on ism_colonly to ism_reader;
-- test
set role ism_reader;
select table_name, table_type from information_schema.tables where table_name like 'ism%' order by 1;
select table_name, column_name from information_schema.columns where table_name like 'ism%' order by 1, 2;
select table_name, view_definition from information_schema.views where table_name like 'ism%' order by 1;
reset role;
select table_name, view_definition is not null from information_schema.views where table_name like 'ism%' order by 1;
-- constraints show to the owner's roles and to roles with a privilege other than SELECT
-- setup
create table ism_keyed (id int primary key, code text unique, ref int references ism_keyed (id), check (id > 0));
grant select on ism_keyed to ism_reader;
grant references (code) on ism_keyed to ism_admin;
-- test
set role ism_reader;
select constraint_name, constraint_type from information_schema.table_constraints where table_name = 'ism_keyed' and constraint_type <> 'CHECK' order by 1;
select constraint_name, column_name from information_schema.key_column_usage where table_name = 'ism_keyed' order by 1, 2;
reset role;
set role ism_admin;
select constraint_name, constraint_type from information_schema.table_constraints where table_name = 'ism_keyed' and constraint_type <> 'CHECK' order by 1;
select constraint_name, column_name from information_schema.key_column_usage where table_name = 'ism_keyed' order by 1, 2;
reset role;
-- routines and parameters show to the owner's roles and to those that may execute them;
-- the body's text to the owner's roles only
-- setup
create function ism_private(a int) returns int language sql as 'select a';
revoke execute on function ism_private(int) from public;
-- test
set role ism_reader;
select routine_name, routine_definition from information_schema.routines where routine_name like 'ism%' order by 1;
select regexp_replace(specific_name, '_[0-9]+$', ''), ordinal_position, parameter_name from information_schema.parameters where specific_name like 'ism%' order by 1, 2;
reset role;
-- check_constraints lists domains' CHECKs; the constraint views filter by owner and privilege
-- test
select constraint_schema, constraint_name, check_clause from information_schema.check_constraints where constraint_name like 'ism%' and constraint_name <> 'ism_items_ok' order by 2;
set role ism_admin;
select constraint_name, check_clause from information_schema.check_constraints where constraint_name like 'ism%' and constraint_name <> 'ism_items_ok' order by 1;
select constraint_name from information_schema.referential_constraints where constraint_name like 'ism%' order by 1;
select table_name, column_name, constraint_name from information_schema.constraint_column_usage where table_name like 'ism%' order by 3, 2;
select table_name, constraint_name from information_schema.constraint_table_usage where table_name like 'ism%' order by 2;
reset role;
-- CHECKs, defaults and index expressions print SQL function calls as written
-- setup
create function ism_ok(v int) returns boolean language sql immutable as 'select v >= 0';
create function ism_dflt() returns int language sql as 'select 7';
create table ism_called (id int check (ism_ok(id)), n int default ism_dflt(), m int default ism_dflt() + 1, constraint ism_called_both check (ism_ok(n) and id < 100));
create index ism_called_idx on ism_called (ism_ok(id));
create index ism_called_pidx on ism_called (id) where ism_ok(n);
create domain ism_okint as int default ism_dflt() check (ism_ok(value));
-- test
select conname, pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) from pg_constraint where conrelid = 'ism_called'::regclass or conname like 'ism_okint%' order by 1;
select constraint_name, check_clause from information_schema.check_constraints where constraint_name like 'ism_called%' or constraint_name like 'ism_okint%' order by 1;
select column_name, column_default from information_schema.columns where table_name = 'ism_called' order by 1;
select a.attname, pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'ism_called'::regclass order by 1;
select indexname, indexdef from pg_indexes where tablename = 'ism_called' order by 1;
select pg_get_indexdef('ism_called_idx'::regclass, 1, true), domain_default from information_schema.domains where domain_name = 'ism_okint';
insert into ism_called values (1, default, default) returning *;
insert into ism_called values (-1);
select ism_ok(-1)::text, 5::ism_okint;
-- aggregates in routines: no routine_type, language internal
-- setup
create function ism_acc(s int, v int) returns int language sql immutable as 'select s + v';
create aggregate ism_total(int) (sfunc = ism_acc, stype = int, initcond = '0');
create function ism_text_acc(s text, v text) returns text language sql as 'select s || v';
create aggregate ism_cat(text) (sfunc = ism_text_acc, stype = text);
-- test
select routine_schema, routine_name, routine_type, module_name, udt_schema, udt_name, data_type, type_udt_schema, type_udt_name, dtd_identifier, routine_body, routine_definition, external_name, external_language, parameter_style, is_deterministic, sql_data_access, is_null_call, sql_path, schema_level_routine, max_dynamic_result_sets, is_user_defined_cast, is_implicitly_invocable, security_type, as_locator, new_savepoint_level, is_udt_dependent from information_schema.routines where routine_name in ('ism_total', 'ism_cat', 'ism_acc') order by 2;
select regexp_replace(specific_name, '_[0-9]+$', ''), ordinal_position, parameter_mode, parameter_name, data_type, udt_name, dtd_identifier, parameter_default from information_schema.parameters where specific_name like 'ism_total%' or specific_name like 'ism_cat%' order by 1, 2;
select routine_name, data_type from information_schema.routines where routine_type is null and routine_name like 'ism%' order by 1;
set role ism_reader;
select routine_name, routine_type, routine_definition from information_schema.routines where routine_name in ('ism_total', 'ism_cat') order by 1;
reset role;
-- security_type follows SECURITY DEFINER
-- setup
create function ism_definer() returns int language sql security definer as 'select 1';
-- test
select routine_name, security_type from information_schema.routines where routine_name in ('ism_definer', 'ism_acc') order by 1;
