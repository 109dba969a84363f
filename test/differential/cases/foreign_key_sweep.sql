-- Foreign keys, after PostgreSQL 15's regress/sql/foreign_key.sql: actions, MATCH FULL,
-- multi-column keys, self-references, NOT VALID + VALIDATE, deferral, errors and DETAILs.
-- setup
create table fks_pk (id int primary key, name text);
insert into fks_pk values (1, 'one'), (2, 'two'), (3, 'three');
create table fks_cascade (id int primary key,
  p int references fks_pk on delete cascade on update cascade);
create table fks_setnull (id int primary key,
  p int references fks_pk (id) on delete set null on update set null);
create table fks_setdef (id int primary key,
  p int default 1 references fks_pk on delete set default on update set default);
create table fks_restrict (id int primary key, p int references fks_pk on delete restrict);
create table fks_noaction (id int primary key, p int references fks_pk);
insert into fks_cascade values (1, 1), (2, 2), (3, 3);
insert into fks_setnull values (1, 1), (2, 2), (3, 3);
insert into fks_setdef values (1, 1), (2, 2), (3, 3);
-- test
select conname, contype, confupdtype, confdeltype, confmatchtype, pg_get_constraintdef(oid)
  from pg_constraint where conrelid::regclass::text like 'fks_%' and contype = 'f'
  order by conname;
insert into fks_noaction values (1, 99);
insert into fks_noaction values (1, null);
insert into fks_noaction values (2, 2);
insert into fks_restrict values (1, 3);
delete from fks_pk where id = 3;
delete from fks_pk where id = 2;
update fks_pk set id = 20 where id = 2;
delete from fks_noaction where id = 2;
update fks_pk set id = 20 where id = 2;
select * from fks_cascade order by id;
select * from fks_setnull order by id;
select * from fks_setdef order by id;
delete from fks_pk where id = 20;
select * from fks_cascade order by id;
select * from fks_setnull order by id;
select * from fks_setdef order by id;
-- SET DEFAULT to a value with no parent fails
delete from fks_pk where id = 1;
-- multi-column keys, MATCH SIMPLE versus MATCH FULL
create table fks_mpk (a int, b int, c text, primary key (a, b));
insert into fks_mpk values (1, 1, 'x'), (1, 2, 'y'), (2, 1, 'z');
create table fks_msimple (id int, a int, b int, foreign key (a, b) references fks_mpk);
create table fks_mfull (id int, a int, b int,
  constraint fks_mfull_fk foreign key (a, b) references fks_mpk match full);
insert into fks_msimple values (1, 1, 1), (2, null, 5), (3, 9, null);
insert into fks_msimple values (4, 9, 9);
insert into fks_mfull values (1, 1, 2), (2, null, null);
insert into fks_mfull values (3, null, 5);
insert into fks_mfull values (4, 7, 7);
update fks_mpk set b = 3 where a = 1 and b = 2;
delete from fks_mpk where a = 2;
select * from fks_msimple order by id;
-- multi-column SET NULL with a column list
create table fks_tenant (tid int, id int, primary key (tid, id));
insert into fks_tenant values (1, 1), (1, 2);
create table fks_tchild (tid int not null, id int primary key, parent int,
  foreign key (tid, parent) references fks_tenant on delete set null (parent));
insert into fks_tchild values (1, 10, 1), (1, 11, 2);
delete from fks_tenant where id = 1;
select * from fks_tchild order by id;
create table fks_badlist (tid int, parent int,
  foreign key (tid, parent) references fks_tenant on delete set null (other));
create table fks_badlist2 (tid int, parent int, other int,
  foreign key (tid, parent) references fks_tenant on delete set null (other));
create table fks_badlist3 (tid int, parent int,
  foreign key (tid, parent) references fks_tenant on update set null (parent));
-- self-reference
create table fks_tree (id int primary key, parent int references fks_tree on delete cascade,
  label text);
insert into fks_tree values (1, null, 'root'), (2, 1, 'a'), (3, 2, 'b'), (4, 1, 'c');
insert into fks_tree values (5, 5, 'own parent');
insert into fks_tree values (6, 7, 'forward');
delete from fks_tree where id = 2;
select * from fks_tree order by id;
update fks_tree set id = 10 where id = 1;
-- FK to a unique constraint and to a unique index
create table fks_uq (k int unique, j int, v text);
create unique index fks_uq_j on fks_uq (j);
insert into fks_uq values (1, 10, 'a'), (2, 20, 'b');
create table fks_touq (x int references fks_uq (k));
create table fks_touqi (x int references fks_uq (j));
create table fks_tonothing (x int references fks_uq (v));
insert into fks_touq values (1), (null);
insert into fks_touq values (3);
insert into fks_touqi values (20);
delete from fks_uq where k = 2;
-- table without a primary key: referencing it without a column list fails
create table fks_nopk (a int);
create table fks_tonopk (a int references fks_nopk);
-- type mismatch
create table fks_badtype (a text references fks_pk);
create table fks_okcast (a bigint references fks_pk, b smallint references fks_pk);
insert into fks_okcast values (1, 1);
insert into fks_okcast values (100, 1);
-- column count mismatch
create table fks_count (a int, b int, foreign key (a) references fks_mpk (a, b));
-- ALTER TABLE ADD FOREIGN KEY validates existing rows; NOT VALID skips them
create table fks_later (id int, p int);
insert into fks_later values (1, 1), (2, 42);
alter table fks_later add constraint fks_later_p foreign key (p) references fks_pk;
alter table fks_later add constraint fks_later_p foreign key (p) references fks_pk not valid;
select convalidated from pg_constraint where conname = 'fks_later_p';
insert into fks_later values (3, 43);
alter table fks_later validate constraint fks_later_p;
delete from fks_later where id = 2;
alter table fks_later validate constraint fks_later_p;
select convalidated from pg_constraint where conname = 'fks_later_p';
alter table fks_later validate constraint fks_nosuch;
alter table fks_later drop constraint fks_later_p;
alter table fks_later drop constraint fks_later_p;
alter table fks_later drop constraint if exists fks_later_p;
-- deferrable constraints
create table fks_dpk (id int primary key);
create table fks_dfk (id int primary key,
  p int constraint fks_dfk_p references fks_dpk deferrable initially deferred);
begin;
insert into fks_dfk values (1, 1);
insert into fks_dpk values (1);
commit;
begin;
insert into fks_dfk values (2, 2);
commit;
select * from fks_dfk order by id;
begin;
insert into fks_dfk values (3, 3);
set constraints fks_dfk_p immediate;
rollback;
alter table fks_dfk alter constraint fks_dfk_p not deferrable;
select condeferrable, condeferred from pg_constraint where conname = 'fks_dfk_p';
begin;
insert into fks_dfk values (4, 4);
rollback;
alter table fks_dfk alter constraint fks_dfk_p deferrable initially immediate;
select condeferrable, condeferred from pg_constraint where conname = 'fks_dfk_p';
-- dropping the referenced table or its key
drop table fks_dpk;
alter table fks_dpk drop constraint fks_dpk_pkey;
drop table fks_dpk cascade;
select count(*) from pg_constraint where conname = 'fks_dfk_p';
-- truncate
truncate fks_pk;
truncate fks_mpk, fks_msimple, fks_mfull;
select count(*) from fks_msimple;
-- ON DELETE / ON UPDATE given as table constraint with names, and RESTRICT on update
create table fks_p2 (a int primary key);
insert into fks_p2 values (1), (2);
create table fks_c2 (a int, constraint fks_c2_a foreign key (a) references fks_p2 (a)
  on update restrict on delete no action);
insert into fks_c2 values (1);
update fks_p2 set a = 3 where a = 1;
update fks_p2 set a = 4 where a = 2;
-- updating the key to the same value is not a change
update fks_p2 set a = 1 where a = 1;
-- information_schema
select constraint_name, unique_constraint_name, match_option, update_rule, delete_rule
  from information_schema.referential_constraints where constraint_name like 'fks_%'
  order by constraint_name;
select constraint_name, column_name, ordinal_position, position_in_unique_constraint
  from information_schema.key_column_usage where table_name = 'fks_mfull'
  order by constraint_name, ordinal_position;
-- more shapes: cascades through several levels, keys on dropped columns, constraints on keys
create table fks_a (id int primary key);
create table fks_b (id int primary key, a int references fks_a on delete cascade on update cascade);
create table fks_c (id int primary key, b int references fks_b on delete cascade);
insert into fks_a values (1), (2);
insert into fks_b values (10, 1), (20, 2);
insert into fks_c values (100, 10), (200, 20);
update fks_a set id = 3 where id = 1;
select * from fks_b order by id;
delete from fks_a where id = 2;
select * from fks_c order by id;
-- multi-column cascade update
create table fks_mp (a int, b int, primary key (a, b));
create table fks_mc (id int, a int, b int,
  foreign key (a, b) references fks_mp on update cascade on delete set null);
insert into fks_mp values (1, 1), (2, 2);
insert into fks_mc values (1, 1, 1), (2, 2, 2), (3, null, 2);
update fks_mp set b = 5 where a = 1;
delete from fks_mp where a = 2;
select * from fks_mc order by id;
-- dropping a referenced key needs CASCADE
alter table fks_a drop constraint fks_a_pkey;
alter table fks_a drop constraint fks_a_pkey cascade;
select count(*) from pg_constraint where conrelid = 'fks_b'::regclass and contype = 'f';
-- dropping a referencing column drops its foreign key
alter table fks_c drop column b;
select count(*) from pg_constraint where conrelid = 'fks_c'::regclass and contype = 'f';
-- dropping a referenced column
create table fks_d (id int primary key, x int unique);
create table fks_e (x int references fks_d (x));
alter table fks_d drop column x;
alter table fks_d drop column x cascade;
select count(*) from pg_constraint where conrelid = 'fks_e'::regclass;
-- foreign keys to partial or expression unique indexes are refused
create table fks_pi (a int, b int);
create unique index fks_pi_a on fks_pi (a) where b > 0;
create unique index fks_pi_lower on fks_pi ((a + 1));
create table fks_topi (a int references fks_pi (a));
-- temporary tables
create temp table fks_tmp (a int references fks_pk);
-- ON CONFLICT and the child check
create table fks_oc (id int primary key, p int references fks_p2);
insert into fks_oc values (1, 1) on conflict (id) do update set p = excluded.p;
insert into fks_oc values (1, 99) on conflict (id) do update set p = excluded.p;
insert into fks_oc values (1, 2) on conflict (id) do update set p = excluded.p;
select * from fks_oc;
-- INSERT … SELECT checks every row
insert into fks_oc select g, g from generate_series(2, 5) g;
select count(*) from fks_oc;
-- SET CONSTRAINTS on a non-deferrable constraint
begin;
set constraints fks_c2_a deferred;
rollback;
begin;
set constraints all deferred;
insert into fks_oc values (10, 77);
rollback;
-- ALTER COLUMN TYPE on both sides keeps the key usable
create table fks_tp (id int primary key);
create table fks_tc (p int references fks_tp);
insert into fks_tp values (1);
insert into fks_tc values (1);
alter table fks_tp alter column id type bigint;
insert into fks_tc values (2);
alter table fks_tc alter column p type bigint;
insert into fks_tc values (1);
alter table fks_tc alter column p type text;
-- a self-referencing table filled in one statement
create table fks_emp (id int primary key, boss int references fks_emp);
insert into fks_emp values (1, null), (2, 1), (3, 2);
insert into fks_emp values (5, 4), (4, 1);
delete from fks_emp where id = 1;
update fks_emp set boss = 3 where id = 2;
delete from fks_emp where id in (2, 3);
select * from fks_emp order by id;
-- table constraint in ALTER with ON DELETE SET NULL (col)
create table fks_sn (tid int, pid int);
alter table fks_sn add foreign key (tid, pid) references fks_tenant
  on delete set null (pid);
select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'fks_sn'::regclass;
-- partitioned tables on both sides
create table fks_ppk (id int primary key) partition by range (id);
create table fks_ppk1 partition of fks_ppk for values from (0) to (100);
create table fks_ppk2 partition of fks_ppk for values from (100) to (200);
insert into fks_ppk values (1), (150);
create table fks_pfk (id int, p int references fks_ppk on delete cascade)
  partition by list (id);
-- MATCH FULL with ON UPDATE CASCADE and ON DELETE SET DEFAULT with a column list
create table fks_fp (a int, b int, unique (a, b));
insert into fks_fp values (0, 0), (1, 1);
create table fks_fc (a int default 0, b int default 0,
  foreign key (a, b) references fks_fp (a, b) match full on update cascade
  on delete set default (a, b));
insert into fks_fc values (1, 1);
update fks_fp set a = 2 where a = 1;
select * from fks_fc;
delete from fks_fp where a = 2;
select * from fks_fc;
-- another schema
create schema fks_s;
create table fks_s.tgt (id int primary key);
create table fks_src (id int references fks_s.tgt);
insert into fks_src values (1);
select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'fks_src'::regclass;
-- an action-less DETAIL with several columns
create table fks_mk (a text, b date, primary key (a, b));
create table fks_mkc (a text, b date, foreign key (a, b) references fks_mk);
insert into fks_mkc values ('x', '2024-01-02');
-- from foreign_key.sql: MATCH FULL SET NULL on two columns, comments, SET DEFAULT to a
-- missing key, a unique key with nulls
create table fks_pk3 (p1 int, p2 int, p3 text, primary key (p1, p2));
create table fks_fk3 (f1 int, f2 int, f3 int, constraint fks_constrname foreign key (f1, f2)
  references fks_pk3 match full on delete set null on update set null);
comment on constraint fks_constrname_wrong on fks_fk3 is 'x';
comment on constraint fks_constrname on fks_fk3 is 'fk constraint comment';
select obj_description(oid, 'pg_constraint') from pg_constraint where conname = 'fks_constrname';
insert into fks_pk3 values (1, 2, 'a'), (1, 3, 'b'), (2, 4, 'c'), (5, 10, 'd');
insert into fks_fk3 values (1, 2, 4), (1, 3, 5), (2, 4, 8), (null, null, 0);
insert into fks_fk3 values (100, 2, 4);
insert into fks_fk3 values (null, 2, 4);
delete from fks_pk3 where p1 = 1 and p2 = 2;
update fks_pk3 set p1 = 1 where p1 = 2;
select * from fks_fk3 order by f3;
update fks_fk3 set f1 = null where f1 = 1;
update fks_fk3 set f1 = 1 where f1 = 1;
alter table fks_pk3 alter column p1 type bigint;
alter table fks_fk3 alter column f1 type bigint;
select * from fks_fk3 order by f3;
create table fks_pk4 (p1 int, p2 int, p3 int, primary key (p1, p2, p3));
create table fks_fk4 (f1 int default 0, f2 int, f3 int, f4 int, foreign key (f1, f2, f3)
  references fks_pk4 on delete set default on update set null);
insert into fks_pk4 values (1, 2, 3), (2, 3, 4);
insert into fks_fk4 values (1, 2, 3, 1), (2, 3, 4, 2), (null, 2, 7, 3);
update fks_pk4 set p2 = 5 where p2 = 2;
delete from fks_pk4 where p1 = 2;
select * from fks_fk4 order by f4;
create table fks_pk5 (p1 int, p2 int, p3 int, unique (p1, p2, p3));
create table fks_fk5 (f1 int, f2 int, f3 int, foreign key (f1, f2, f3)
  references fks_pk5 (p1, p2, p3));
insert into fks_pk5 values (1, 2, 3), (1, 3, null), (2, null, 4);
insert into fks_fk5 values (1, 2, 3);
delete from fks_pk5 where p1 = 2;
delete from fks_pk5 where p1 = 1 and p2 = 2;
select count(*) from fks_pk5;
-- ADD COLUMN … REFERENCES checks existing rows through the column's default
create table fks_ac (id int primary key);
insert into fks_ac values (1), (2);
alter table fks_ac add column p int default 5 references fks_p2;
alter table fks_ac add column p int default 1 references fks_p2 on delete cascade;
select * from fks_ac order by id;
delete from fks_p2 where a = 1;
select count(*) from fks_ac;
-- a deferred self-reference swapped in one transaction
create table fks_sw (id int primary key, next int constraint fks_sw_next references fks_sw
  deferrable initially deferred);
begin;
insert into fks_sw values (1, 2);
insert into fks_sw values (2, 1);
commit;
begin;
delete from fks_sw where id = 2;
commit;
select * from fks_sw order by id;
