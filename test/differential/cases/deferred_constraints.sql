-- DEFERRABLE foreign keys and SET CONSTRAINTS: checks queued for COMMIT, PREPARE and
-- SET CONSTRAINTS … IMMEDIATE; both directions; savepoints; autocommit and implicit blocks.
-- setup
create table df_p (id int primary key, note text);
create table df_c (id int primary key,
  p int constraint df_c_p references df_p deferrable initially deferred);
create table df_c2 (id int primary key,
  p int constraint df_c2_p references df_p on delete restrict deferrable initially deferred,
  q int constraint df_c2_q references df_p deferrable,
  r int constraint df_c2_r references df_p);
insert into df_p values (1, 'one'), (2, 'two');
-- test
select conname, contype, condeferrable, condeferred, pg_get_constraintdef(oid)
  from pg_constraint where conrelid in ('df_c'::regclass, 'df_c2'::regclass) order by conname;
-- a child row before its parent, in a block
begin;
insert into df_c values (1, 10);
insert into df_p values (10, 'ten');
commit;
select * from df_c order by id;
-- a missing parent fails at COMMIT, which rolls back
begin;
insert into df_c values (2, 20);
select count(*) from df_c;
commit;
select count(*) from df_c;
select 1;
-- autocommit: the statement's own commit checks it
insert into df_c values (3, 30);
update df_c set p = 31 where id = 1;
select * from df_c order by id;
-- deleting a referenced row, then putting it back
begin;
delete from df_p where id = 10;
insert into df_p values (10, 'ten again');
commit;
select * from df_p order by id;
begin;
delete from df_p where id = 10;
select count(*) from df_p;
commit;
select * from df_p order by id;
-- updating the referenced key, NO ACTION deferred
begin;
update df_p set id = 11 where id = 10;
commit;
begin;
update df_p set id = 11 where id = 10;
update df_p set id = 10 where id = 11;
commit;
-- the child row deleted again, or its key fixed, before COMMIT
begin;
insert into df_c values (4, 40);
delete from df_c where id = 4;
commit;
begin;
insert into df_c values (5, 50);
update df_c set p = 1 where id = 5;
commit;
begin;
insert into df_c values (6, 60);
update df_c set id = 66 where id = 6;
commit;
select * from df_c order by id;
-- SET CONSTRAINTS … IMMEDIATE checks the queued ones at once
begin;
insert into df_c values (7, 70);
set constraints all immediate;
rollback;
begin;
insert into df_c values (7, 70);
set constraints df_c_p immediate;
rollback;
begin;
set constraints all immediate;
insert into df_c values (7, 70);
rollback;
begin;
set constraints df_c_p immediate;
insert into df_c values (7, 2);
set constraints df_c_p deferred;
insert into df_c values (8, 80);
insert into df_p values (80, 'eighty');
commit;
select * from df_c order by id;
-- DEFERRABLE INITIALLY IMMEDIATE: checked at once unless deferred
insert into df_c2 values (1, 1, 99, 1);
begin;
set constraints df_c2_q deferred;
insert into df_c2 values (1, 1, 99, 1);
insert into df_p values (99, 'ninety-nine');
commit;
select * from df_c2 order by id;
begin;
set constraints all deferred;
insert into df_c2 values (2, 1, 1, 98);
rollback;
-- RESTRICT is never deferred; NO ACTION is
begin;
delete from df_p where id = 1;
rollback;
begin;
set constraints df_c2_q deferred;
delete from df_p where id = 99;
select 'deleted';
commit;
begin;
set constraints df_c2_q deferred;
delete from df_p where id = 99;
set constraints df_c2_q immediate;
rollback;
-- savepoints drop the checks queued after them
begin;
insert into df_c values (9, 1);
savepoint s1;
insert into df_c values (10, 100);
rollback to savepoint s1;
commit;
begin;
insert into df_c values (11, 110);
savepoint s1;
set constraints all immediate;
rollback to savepoint s1;
insert into df_p values (110, 'hundred ten');
commit;
begin;
savepoint s1;
set constraints all immediate;
rollback to savepoint s1;
insert into df_c values (12, 120);
insert into df_p values (120, 'hundred twenty');
commit;
select * from df_c order by id;
-- an implicit block (several statements in one query) checks at its end
insert into df_c values (13, 130); insert into df_p values (130, 'x');
insert into df_c values (14, 140); select 1;
select * from df_c order by id;
-- SET CONSTRAINTS errors
set constraints all deferred;
set constraints df_nosuch immediate;
begin;
set constraints df_nosuch deferred;
rollback;
begin;
set constraints df_c2_r deferred;
rollback;
begin;
set constraints df_c2_r immediate;
set constraints df_p_pkey deferred;
rollback;
begin;
set constraints df_nosuchschema.df_c_p deferred;
rollback;
begin;
set constraints public.df_c_p, df_c2_q deferred;
insert into df_c2 values (3, 1, 97, 1);
insert into df_c values (15, 97);
insert into df_p values (97, 'x');
commit;
select * from df_c2 order by id;
-- column constraint attributes
create table df_cc (id int primary key, p int references df_p deferrable initially deferred);
create table df_cd (id int, p int references df_p initially deferred);
create table df_ce (id int, p int references df_p not deferrable initially deferred);
create table df_cf (id int, p int deferrable);
select conrelid::regclass::text, conname, condeferrable, condeferred from pg_constraint
  where conrelid in ('df_cc'::regclass, 'df_cd'::regclass) and contype = 'f' order by 1;
begin;
insert into df_cd values (1, 500);
insert into df_p values (500, 'x');
commit;
alter table df_cc add constraint df_cc_p2 foreign key (p) references df_p deferrable;
select conname, condeferrable, condeferred from pg_constraint where conname = 'df_cc_p2';
-- DEFERRABLE unique and primary keys: checked at the end of the statement, or at COMMIT
create table df_u (id int primary key deferrable, v text);
insert into df_u values (1, 'a'), (2, 'b'), (3, 'c');
update df_u set id = id + 1;
select * from df_u order by id;
update df_u set id = 3 where id = 2;
insert into df_u values (2, 'x'), (2, 'y');
begin;
set constraints df_u_pkey deferred;
update df_u set id = 3 where id = 2;
update df_u set id = 9 where v = 'b';
commit;
select * from df_u order by id;
begin;
set constraints all deferred;
insert into df_u values (3, 'dup');
commit;
begin;
set constraints all deferred;
insert into df_u values (3, 'dup');
set constraints all immediate;
rollback;
create table df_u2 (id int, tag text, constraint df_u2_u unique (id) deferrable initially deferred);
begin;
insert into df_u2 values (1, 'a'), (1, 'b');
delete from df_u2 where tag = 'a';
commit;
begin;
insert into df_u2 values (1, 'c');
commit;
select * from df_u2 order by id;
create table df_ufk (x int references df_u);
create table df_ufk2 (x int references df_u2 (id));
select conname, condeferrable, condeferred, pg_get_constraintdef(oid) from pg_constraint
  where conrelid in ('df_u'::regclass, 'df_u2'::regclass) order by 1;
insert into df_u values (20, 'z') on conflict (id) do nothing;
insert into df_u values (20, 'z') on conflict on constraint df_u_pkey do nothing;
alter table df_u2 add constraint df_u2_tag unique (tag) deferrable initially deferred;
begin;
update df_u2 set tag = 'b';
insert into df_u2 values (2, 'b');
update df_u2 set tag = 'c' where id = 2;
commit;
select * from df_u2 order by id;
insert into df_u values (20, 'z') on conflict do nothing;
-- referenced keys changed and changed back, deleted and put back
create table df_p3 (id int primary key);
create table df_c3 (id int primary key, p int references df_p3 deferrable initially deferred);
insert into df_p3 values (1), (2);
insert into df_c3 values (1, 1), (2, 2);
begin;
update df_p3 set id = id + 10;
update df_p3 set id = id - 10;
commit;
begin;
update df_p3 set id = id + 10;
commit;
begin;
delete from df_p3;
insert into df_p3 values (1);
commit;
begin;
insert into df_p3 values (3);
insert into df_c3 values (3, 3);
delete from df_c3 where id = 3;
delete from df_p3 where id = 3;
commit;
begin;
insert into df_c3 values (4, 8), (5, 8);
update df_c3 set id = 6 where id = 4;
delete from df_c3 where id = 5;
commit;
select * from df_c3 order by id;
-- tables with pending checks cannot be dropped, altered or truncated
create table df_p4 (id int primary key);
create table df_c4 (id int primary key, p int references df_p4 deferrable initially deferred);
begin;
insert into df_c4 values (1, 5);
drop table df_c4;
rollback;
begin;
insert into df_c4 values (1, 5);
alter table df_c4 add column z int;
rollback;
begin;
insert into df_p4 values (7);
insert into df_c4 values (2, 7);
truncate df_c4;
rollback;
begin;
insert into df_p4 values (7);
delete from df_p4;
drop table df_p4 cascade;
rollback;
begin;
insert into df_c4 values (1, 5);
alter table df_p4 add column z int;
rollback;
begin;
insert into df_p4 values (5);
insert into df_c4 values (1, 5);
set constraints all immediate;
alter table df_c4 add column z int;
commit;
select * from df_c4 order by id;
select constraint_name, constraint_type, is_deferrable, initially_deferred
  from information_schema.table_constraints where table_name in ('df_c', 'df_u', 'df_u2')
  and constraint_type <> 'CHECK' order by constraint_name;
select indexrelid::regclass::text, indimmediate from pg_index
  where indrelid in ('df_u'::regclass, 'df_u2'::regclass, 'df_c'::regclass) order by 1;
