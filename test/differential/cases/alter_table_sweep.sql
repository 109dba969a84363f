-- ALTER TABLE, after PostgreSQL 15's regress/sql/alter_table.sql: the subcommands migration
-- tools emit, several in one statement, IF [NOT] EXISTS forms and their errors.
-- setup
create table ats_t (id int primary key, a int, b text default 'b', c numeric(6,2));
insert into ats_t values (1, 10, 'x', 1.5), (2, 20, 'y', 2.25), (3, null, null, null);
-- test
alter table ats_t add column d int;
alter table ats_t add column d int;
alter table ats_t add column if not exists d int;
alter table ats_t add column e text not null default 'e', add column f int default 7;
select id, d, e, f from ats_t order by id;
alter table ats_t add column g timestamptz default clock_timestamp();
select count(g) from ats_t;
alter table ats_t add column h int default random()::int * 0 + 1;
select h from ats_t order by id;
alter table ats_t add column n int not null;
alter table ats_t drop column g, drop column h;
alter table ats_t drop column g;
alter table ats_t drop column if exists g;
alter table if exists ats_nosuch add column z int;
alter table ats_nosuch add column z int;
-- SET / DROP NOT NULL
alter table ats_t alter column a set not null;
update ats_t set a = 30 where id = 3;
alter table ats_t alter column a set not null;
insert into ats_t (id) values (4);
alter table ats_t alter column a drop not null;
alter table ats_t alter column id drop not null;
select attname, attnotnull from pg_attribute where attrelid = 'ats_t'::regclass and attnum > 0
  and not attisdropped order by attnum;
-- SET / DROP DEFAULT
alter table ats_t alter column a set default 99;
insert into ats_t (id) values (5);
alter table ats_t alter column a drop default;
insert into ats_t (id) values (6);
select id, a from ats_t where id >= 5 order by id;
alter table ats_t alter column a set default 'abc';
-- ALTER COLUMN TYPE, with and without USING
alter table ats_t alter column a type bigint;
alter table ats_t alter column b type varchar(10);
alter table ats_t alter column b type int;
alter table ats_t alter column b type int using length(b);
select id, b from ats_t order by id;
alter table ats_t alter column c type int using round(c)::int;
alter table ats_t alter column c set data type numeric(10,3);
select id, a, b, c from ats_t order by id;
select attname, format_type(atttypid, atttypmod) from pg_attribute
  where attrelid = 'ats_t'::regclass and attnum > 0 and not attisdropped order by attnum;
alter table ats_t alter column e type int using e::int;
alter table ats_t alter column f type text, alter column f set default 'seven';
insert into ats_t (id) values (7);
select id, f from ats_t where id >= 6 order by id;
alter table ats_t alter column id type bigint;
select pg_get_indexdef('ats_t_pkey'::regclass);
-- RENAME COLUMN / CONSTRAINT / TABLE
alter table ats_t rename column d to d2;
alter table ats_t rename column nosuch to x;
alter table ats_t rename d2 to d3;
alter table ats_t add constraint ats_t_a_pos check (a > 0);
alter table ats_t rename constraint ats_t_a_pos to ats_t_a_positive;
alter table ats_t rename constraint ats_nosuch to ats_x;
select conname from pg_constraint where conrelid = 'ats_t'::regclass order by conname;
create table ats_r (x int);
alter table ats_r rename to ats_r2;
alter table if exists ats_r rename to ats_r3;
alter table ats_r2 rename to ats_t;
-- constraints: ADD / DROP, NOT VALID, VALIDATE, USING INDEX
alter table ats_t add constraint ats_t_b_chk check (b < 100) not valid;
select convalidated from pg_constraint where conname = 'ats_t_b_chk';
alter table ats_t validate constraint ats_t_b_chk;
select convalidated from pg_constraint where conname = 'ats_t_b_chk';
alter table ats_t add constraint ats_t_a_big check (a > 1000);
alter table ats_t add constraint ats_t_a_uq unique (a);
update ats_t set a = id * 100;
alter table ats_t add constraint ats_t_a_uq unique (a);
alter table ats_t add constraint ats_t_a_uq unique (a);
create unique index ats_t_c_idx on ats_t (c);
alter table ats_t add constraint ats_t_c_uq unique using index ats_t_c_idx;
select conname, contype, pg_get_constraintdef(oid) from pg_constraint
  where conrelid = 'ats_t'::regclass order by conname;
alter table ats_t drop constraint ats_t_c_uq;
alter table ats_t drop constraint ats_t_c_uq;
alter table ats_t drop constraint if exists ats_t_c_uq;
-- primary key add / drop
create table ats_p (a int, b int);
insert into ats_p values (1, 1), (1, null);
alter table ats_p add primary key (a);
alter table ats_p add primary key (a, b);
delete from ats_p where b is null;
alter table ats_p add primary key (a, b);
select attname, attnotnull from pg_attribute where attrelid = 'ats_p'::regclass and attnum > 0
  order by attnum;
alter table ats_p add primary key (a);
alter table ats_p drop constraint ats_p_pkey;
select attname, attnotnull from pg_attribute where attrelid = 'ats_p'::regclass and attnum > 0
  order by attnum;
-- foreign keys through ALTER: deferrable, rename, alter constraint
create table ats_parent (id int primary key);
insert into ats_parent values (1);
create table ats_child (id int, pid int);
insert into ats_child values (1, 1);
alter table ats_child add constraint ats_child_fk foreign key (pid) references ats_parent
  deferrable initially deferred;
alter table ats_child alter constraint ats_child_fk not deferrable;
alter table ats_child alter constraint ats_child_fk deferrable initially immediate;
select conname, condeferrable, condeferred from pg_constraint where conname = 'ats_child_fk';
alter table ats_child alter constraint ats_nosuch deferrable;
alter table ats_t alter constraint ats_t_a_positive deferrable;
alter table ats_child rename constraint ats_child_fk to ats_child_parent_fk;
alter table ats_child alter column pid type bigint;
insert into ats_child values (2, 2);
-- multiple subcommands in one statement, with a failure rolling all back
alter table ats_child add column x int, add column y int default 5, alter column id set not null;
alter table ats_child add column z int, alter column nosuch set not null;
select attname from pg_attribute where attrelid = 'ats_child'::regclass and attnum > 0
  and not attisdropped order by attnum;
-- SET SCHEMA, OWNER-free options: SET (storage params), column STATISTICS and STORAGE
create schema ats_s;
alter table ats_child set schema ats_s;
select * from ats_s.ats_child order by id;
alter table ats_s.ats_child set schema public;
alter table ats_t alter column b set statistics 500;
alter table ats_t alter column f set storage external;
alter table ats_t set (fillfactor = 70);
alter table ats_t reset (fillfactor);
-- dropping a column others depend on
create view ats_v as select id, a from ats_t;
alter table ats_t drop column a;
alter table ats_t drop column a cascade;
select count(*) from pg_class where relname = 'ats_v';
alter table ats_t drop column id;
select count(*) from pg_constraint where conname = 'ats_t_pkey';
-- column DEFAULT referencing a sequence, and ALTER TABLE on a missing column
create sequence ats_seq;
alter table ats_p alter column b set default nextval('ats_seq');
insert into ats_p (a) values (5) returning a, b;
alter table ats_p alter column nosuch set default 1;
alter table ats_p alter column nosuch drop not null;
alter table ats_p drop column nosuch;
-- system columns
alter table ats_p drop column ctid;
alter table ats_p rename column xmin to x;
alter table ats_p add column xmin int;
-- more shapes
create table ats_m (id int primary key, qty text, price int check (price >= 0), note text);
insert into ats_m values (1, '10', 5, 'a'), (2, '20', 6, 'b');
create index ats_m_qty on ats_m (qty);
alter table ats_m alter column qty type int using qty::int;
select pg_get_indexdef('ats_m_qty'::regclass);
select id, qty + 1 from ats_m order by id;
insert into ats_m values (3, 'x', 1, 'c');
alter table ats_m alter column note type int using note::int;
alter table ats_m alter column price type numeric(8,2);
select pg_get_constraintdef(oid) from pg_constraint where conname = 'ats_m_price_check';
alter table ats_m alter column price type bigint using (price * 100)::bigint;
select id, price from ats_m order by id;
alter table ats_m rename column price to cost;
select pg_get_constraintdef(oid) from pg_constraint where conname = 'ats_m_price_check';
insert into ats_m values (4, 1, -1, 'd');
alter table only ats_m add column w int check (w > 0) default 1;
alter table ats_m add column v int unique, add column u int references ats_parent;
insert into ats_m (id, qty, cost, u) values (5, 1, 1, 99);
alter table ats_m add column s serial;
select id, s from ats_m order by id;
alter table ats_m add column gen int generated always as (qty * 2) stored;
select id, gen from ats_m order by id;
alter table ats_m alter column gen drop expression;
insert into ats_m (id, qty, cost, gen) values (6, 1, 1, 42);
select id, gen from ats_m where id = 6;
alter table ats_m alter column note type varchar(1);
alter table ats_m alter column note type varchar(5) collate "C";
create table ats_multi (a int, b int, c int);
create index ats_multi_ab on ats_multi (a, b);
alter table ats_multi drop column b;
select count(*) from pg_class where relname = 'ats_multi_ab';
alter table ats_multi add constraint ats_multi_pk primary key (a);
create unique index ats_multi_c on ats_multi (c);
alter table ats_multi drop constraint ats_multi_pk, add primary key using index ats_multi_c;
select conname, contype from pg_constraint where conrelid = 'ats_multi'::regclass;
alter table ats_multi set unlogged;
alter table ats_multi set logged;
alter table ats_multi replica identity full;
alter table ats_multi owner to current_user;
alter table ats_multi alter column a set default 3, alter column a drop default;
alter table ats_multi add constraint ats_multi_chk check (a > 0) not valid;
insert into ats_multi values (-1, 1);
alter table ats_multi alter column c type text;
select format_type(atttypid, atttypmod) from pg_attribute
  where attrelid = 'ats_multi'::regclass and attname = 'c';
alter table ats_multi rename to ats_multi2;
alter index ats_multi_c rename to ats_multi2_c;
select indexrelid::regclass from pg_index where indrelid = 'ats_multi2'::regclass;
alter table ats_multi2 add column if not exists a int, add column if not exists z int;
alter table ats_multi2 drop column if exists q, drop column if exists z;
alter table ats_multi2 alter column a type int, alter column a type bigint;
-- shapes migration tools and pg_dump emit
create table "ats_User" (id int not null, email text);
insert into "ats_User" values (1, 'a'), (2, 'b');
alter table only public."ats_User" add constraint "ats_User_pkey" primary key (id);
alter table public."ats_User" alter column id add generated always as identity (
  sequence name public."ats_User_id_seq" start with 1 increment by 1 no minvalue no maxvalue
  cache 1);
select pg_catalog.setval('public."ats_User_id_seq"', 2, true);
insert into "ats_User" (email) values ('c') returning id;
create table "ats_Post" (id bigint generated by default as identity primary key,
  "authorId" int not null, title varchar(200));
alter table "ats_Post" add constraint "ats_Post_authorId_fkey" foreign key ("authorId")
  references "ats_User"(id) on delete restrict on update cascade;
insert into "ats_Post" ("authorId", title) values (1, 'p1'), (3, 'p3');
delete from "ats_User" where id = 1;
alter table "ats_Post" add column "views" integer default 0 not null check ("views" >= 0);
alter table "ats_Post" alter column "views" drop default;
insert into "ats_Post" ("authorId", title) values (2, 'p');
alter table "ats_Post" alter column title type character varying,
  alter column title set default 'untitled';
insert into "ats_Post" ("authorId") values (2) returning title;
alter table if exists "ats_Post" add constraint "ats_Post_title_key" unique (title);
create table ats_dj (id serial primary key, n text);
insert into ats_dj (n) values ('a'), ('b');
insert into ats_dj (id, n) values (10, 'c');
select setval(pg_get_serial_sequence('"ats_dj"', 'id'), coalesce(max("id"), 1),
  max("id") is not null) from "ats_dj";
insert into ats_dj (n) values ('d') returning id;
alter table ats_dj alter column id type bigint;
alter sequence ats_dj_id_seq as bigint;
alter sequence ats_dj_id_seq rename to ats_dj_id_seq2;
insert into ats_dj (n) values ('e') returning id;
select pg_get_serial_sequence('ats_dj', 'id');
select column_default from information_schema.columns where table_name = 'ats_dj'
  and column_name = 'id';
alter table ats_dj add column n2 integer;
update ats_dj set n2 = 0;
alter table ats_dj alter column n2 set not null, alter column n2 set default 0;
alter index ats_dj_pkey rename to ats_dj_pk;
select conname from pg_constraint where conrelid = 'ats_dj'::regclass order by 1;
create table if not exists ats_dj (x int);
alter table ats_dj add column if not exists n2 int;
alter table ats_dj rename column n to name;
alter table ats_dj add constraint ats_dj_name_nonempty check (name <> '');
alter table ats_dj alter column name type varchar(1);
alter table ats_dj alter column name type varchar(1) using left(name, 1);
select id, name from ats_dj order by id;
-- a volatile default is evaluated once per existing row
create sequence ats_vol_seq;
create table ats_vol (id int primary key);
insert into ats_vol values (1), (2), (3);
alter table ats_vol add column n bigint default nextval('ats_vol_seq');
select count(distinct n), min(n), max(n) from ats_vol;
-- assorted subcommands
create table ats_z (a int, b text default 'x', c int);
insert into ats_z values (1, 'one', 10), (2, 'two', 20);
alter table ats_z add column d int primary key;
alter table ats_z add column id serial primary key;
select id, a from ats_z order by id;
alter table ats_z rename column a to b;
alter table ats_z rename column a to a;
alter table ats_z alter column c set (n_distinct = -1);
alter table ats_z alter column c reset (n_distinct);
alter table ats_z set without cluster;
alter table ats_z cluster on ats_z_pkey;
alter table ats_z disable trigger all;
alter table ats_z enable trigger all;
alter table ats_z alter column b type int using length(b), alter column b set default 0;
insert into ats_z (a, c) values (3, 30) returning b;
alter table ats_z alter column c type bigint using c * 1000000000;
select a, c from ats_z order by a;
alter table ats_z alter column c type int;
alter table ats_z alter column c type smallint using (c / 1000000000)::smallint;
alter table ats_z add column e numeric default 1.5, alter column e set not null;
alter table ats_z add check (c < 100), add check (a > 0);
select conname, pg_get_constraintdef(oid) from pg_constraint
  where conrelid = 'ats_z'::regclass and contype = 'c' order by conname;
alter table ats_z drop constraint ats_z_c_check, drop constraint ats_z_a_check;
alter table ats_z add constraint ats_z_ab unique (a, b) deferrable initially deferred;
select condeferrable, condeferred from pg_constraint where conname = 'ats_z_ab';
alter table ats_z alter constraint ats_z_ab not deferrable;
alter table ats_z add column f int generated always as (a + 1) stored,
  add column g int default 5;
select a, f, g from ats_z order by a;
alter table ats_z alter column f set default 1;
alter table ats_z alter column a type bigint;
alter table ats_z drop column a;
alter table ats_z drop column a cascade;
select attname from pg_attribute where attrelid = 'ats_z'::regclass and attnum > 0
  and not attisdropped order by attnum;
alter table ats_z alter column c set (nosuch = 1);
alter table ats_z alter column nosuch set (n_distinct = 1);
alter table ats_z alter column f drop default;
