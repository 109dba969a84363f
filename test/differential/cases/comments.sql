-- COMMENT ON: tables, views, columns, indexes, sequences, constraints, schemas, the
-- database and extensions; obj/col/shobj_description, pg_description, rollback, IS NULL.
-- test
create table cm1 (id int primary key, name text, constraint cm1_name_chk check (name <> ''));
create view cm1v as select * from cm1;
create index cm1_name_idx on cm1 (name);
create sequence cm_seq;
create schema cms;
comment on table cm1 is 'the table';
comment on column cm1.name is 'a name';
comment on column cm1.nosuch is 'x';
comment on column cm1 is 'x';
comment on table cm1v is 'x';
comment on view cm1v is 'the view';
comment on view cm1 is 'x';
comment on index cm1_name_idx is 'the index';
comment on index cm1 is 'x';
comment on sequence cm_seq is 'the seq';
comment on constraint cm1_name_chk on cm1 is 'the check';
comment on constraint nosuch on cm1 is 'x';
comment on schema cms is 'the schema';
comment on schema nosuch is 'x';
comment on table nosuch is 'x';
comment on database postgres is 'the db';
comment on extension plpgsql is 'pl';
select obj_description('cm1'::regclass, 'pg_class'), obj_description('cm1'::regclass), col_description('cm1'::regclass, 2), col_description('cm1'::regclass, 1);
select obj_description('cm1v'::regclass, 'pg_class'), obj_description('cm1_name_idx'::regclass, 'pg_class'), obj_description('cm_seq'::regclass, 'pg_class');
select obj_description(oid, 'pg_namespace') from pg_namespace where nspname = 'cms';
select shobj_description(oid, 'pg_database') from pg_database where datname = 'postgres';
select d.description from pg_description d join pg_constraint c on c.oid = d.objoid where c.conname = 'cm1_name_chk';
begin;
comment on table cm1 is 'changed';
rollback;
select obj_description('cm1'::regclass, 'pg_class');
comment on table cm1 is null;
comment on column cm1.name is '';
select obj_description('cm1'::regclass, 'pg_class'), col_description('cm1'::regclass, 2);
comment on table cm1 is 'again';

drop table cm1 cascade;
select count(*) from pg_description d where d.classoid = 'pg_class'::regclass and d.objoid >= 16384;
create table cm2 (a int, b text);
comment on column cm2.b is 'bee';
select a.attname, col_description(a.attrelid, a.attnum) from pg_attribute a where a.attrelid = 'cm2'::regclass and a.attnum > 0 order by a.attnum;
select c.relname, obj_description(c.oid, 'pg_class') from pg_class c where c.relname in ('cm2', 'cm_seq') order by 1;
select e.extname, d.description from pg_extension e left join pg_description d on d.objoid = e.oid and d.classoid = 'pg_extension'::regclass where e.extname = 'plpgsql';
drop table cm2;
drop sequence cm_seq;
drop schema cms;
