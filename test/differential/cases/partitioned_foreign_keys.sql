-- foreign keys from and to partitioned tables (PostgreSQL 15): copies on partitions, rows
-- for referenced partitions, checks, actions, cross-partition updates, ATTACH/DETACH, DROP
-- setup
create table pfk_pk (a int, b text, primary key (a)) partition by range (a);
create table pfk_pk1 partition of pfk_pk for values from (0) to (10);
create table pfk_pk2 partition of pfk_pk for values from (10) to (20);
create table pfk_fk (x int references pfk_pk on delete cascade on update restrict, y int);
create table pfk_fk2 (x int references pfk_pk, y int);
insert into pfk_pk values (1, 'a'), (2, 'b'), (11, 'c'), (12, 'd');
insert into pfk_fk values (1, 1), (11, 2);
insert into pfk_fk2 values (2, 1);
-- test
select c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, p.conname as parent, c.conislocal, c.coninhcount, c.confdeltype, c.confupdtype from pg_constraint c left join pg_constraint p on p.oid = c.conparentid where c.contype = 'f' and c.conrelid::regclass::text like 'pfk\_fk%' order by 1, 2, 3;
insert into pfk_fk values (5, 3);
insert into pfk_fk values (12, 3), (null, 4);
update pfk_pk set a = 13 where a = 11;
update pfk_pk set a = 3 where a = 1;
update pfk_pk set a = 15 where a = 1;
update pfk_pk set b = 'z' where a = 11;
update pfk_pk set a = 16 where a = 12;
select * from pfk_pk order by a;
delete from pfk_pk where a = 11;
select * from pfk_fk order by y;
delete from pfk_pk1 where a = 2;
delete from pfk_pk where a = 2;
update pfk_pk set a = 17 where a = 2;
update pfk_fk set x = 2 where y = 1;
update pfk_fk set x = 4 where y = 1;
truncate pfk_pk;
truncate pfk_pk1;
truncate pfk_pk2;
drop table pfk_pk1;
alter table pfk_pk detach partition pfk_pk1;
select conname, confrelid::regclass::text from pg_constraint where contype = 'f' and conrelid = 'pfk_fk'::regclass order by 1;
delete from pfk_fk2;
delete from pfk_fk where x < 10;
select * from pfk_fk order by y;
-- a partition of the referenced table detached, attached again, and created later
-- setup
create table pfk_r (a int primary key) partition by list (a);
create table pfk_r1 partition of pfk_r for values in (1, 2);
create table pfk_r2 partition of pfk_r for values in (3, 4);
create table pfk_rf (k int, a int references pfk_r on delete set null on update cascade);
insert into pfk_r values (1), (2), (3), (4);
insert into pfk_rf values (10, 1), (20, 3), (30, null);
-- test
alter table pfk_r detach partition pfk_r2;
update pfk_rf set a = null where k = 20;
alter table pfk_r detach partition pfk_r2;
select conname, confrelid::regclass::text from pg_constraint where contype = 'f' and conrelid = 'pfk_rf'::regclass order by 1;
insert into pfk_rf values (40, 3);
alter table pfk_r attach partition pfk_r2 for values in (3, 4);
insert into pfk_rf values (40, 3);
create table pfk_r3 partition of pfk_r for values in (5, 6);
insert into pfk_r values (5);
insert into pfk_rf values (50, 5);
select conname, confrelid::regclass::text from pg_constraint where contype = 'f' and conrelid = 'pfk_rf'::regclass order by 1;
update pfk_r set a = 2 where a = 1;
select * from pfk_rf order by k;
update pfk_r set a = 6 where a = 5;
select * from pfk_rf order by k;
update pfk_r set a = 4 where a = 2;
select * from pfk_rf order by k;
delete from pfk_r where a = 3;
select * from pfk_rf order by k;
drop table pfk_r3;
drop table pfk_r3 cascade;
select conname, confrelid::regclass::text from pg_constraint where contype = 'f' and conrelid = 'pfk_rf'::regclass order by 1;
insert into pfk_rf values (60, 99);
-- a foreign key declared on a partitioned table
-- setup
create table pfk_p (a int primary key);
insert into pfk_p values (1), (2), (3);
create table pfk_c (a int, b int references pfk_p on delete cascade) partition by list (a);
create table pfk_c1 partition of pfk_c for values in (1);
create table pfk_c2 (a int, b int);
insert into pfk_c2 values (2, 9);
create table pfk_c3 (a int, b int, constraint pfk_own foreign key (b) references pfk_p on delete cascade);
create table pfk_c4 (a int, b int, constraint pfk_c_b_fkey check (b > 0));
-- test
alter table pfk_c attach partition pfk_c2 for values in (2);
delete from pfk_c2;
insert into pfk_c2 values (2, 2);
alter table pfk_c attach partition pfk_c2 for values in (2);
alter table pfk_c attach partition pfk_c3 for values in (3);
alter table pfk_c attach partition pfk_c4 for values in (4);
select c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, p.conname as parent, c.conislocal, c.coninhcount from pg_constraint c left join pg_constraint p on p.oid = c.conparentid where c.contype = 'f' and c.conrelid::regclass::text like 'pfk\_c%' order by 1, 2;
insert into pfk_c values (1, 7);
insert into pfk_c1 values (1, 7);
insert into pfk_c values (1, 1), (3, 3), (4, 1);
update pfk_c set a = 2 where a = 1;
update pfk_c set a = 3, b = 8 where a = 2 and b = 1;
select * from pfk_c order by a, b;
delete from pfk_p where a = 1;
select * from pfk_c order by a, b;
alter table pfk_c1 drop constraint pfk_c_b_fkey;
alter table pfk_c3 drop constraint pfk_own;
alter table pfk_c detach partition pfk_c1;
select conname, conislocal, coninhcount, conparentid = 0 from pg_constraint where conrelid = 'pfk_c1'::regclass and contype = 'f';
alter table pfk_c1 drop constraint pfk_c_b_fkey;
alter table pfk_c drop constraint pfk_c_b_fkey;
select conname, conrelid::regclass::text from pg_constraint where contype = 'f' and conrelid::regclass::text like 'pfk\_c%' order by 1, 2;
insert into pfk_c values (2, 99);
alter table pfk_c add constraint pfk_cb foreign key (b) references pfk_p not valid;
alter table pfk_c add constraint pfk_cb foreign key (b) references pfk_p;
delete from pfk_c where b = 99;
alter table pfk_c add constraint pfk_cb foreign key (b) references pfk_p;
select conname, conrelid::regclass::text from pg_constraint where contype = 'f' and conrelid::regclass::text like 'pfk\_c%' order by 1, 2;
insert into pfk_c values (2, 98);
delete from pfk_p where a = 2;
drop table pfk_p;
drop table pfk_c2;
select conname, conrelid::regclass::text from pg_constraint where contype = 'f' and conrelid::regclass::text like 'pfk\_c%' order by 1, 2;
-- both sides partitioned, multi-column key, sub-partitions
-- setup
create table pfk_m (a int, b int, primary key (a, b)) partition by list (a);
create table pfk_m1 partition of pfk_m for values in (1);
create table pfk_m2 partition of pfk_m for values in (2) partition by list (b);
create table pfk_m21 partition of pfk_m2 for values in (1);
create table pfk_m22 partition of pfk_m2 for values in (2);
create table pfk_n (k int, a int, b int, foreign key (a, b) references pfk_m on update cascade on delete restrict) partition by range (k);
create table pfk_n1 partition of pfk_n for values from (0) to (10);
create table pfk_n2 partition of pfk_n for values from (10) to (20);
create table pfk_m23 partition of pfk_m2 for values in (3);
insert into pfk_m values (1, 1), (2, 1), (2, 2);
insert into pfk_n values (1, 1, 1), (11, 2, 1), (12, 2, 2);
-- test
select c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, p.conname as parent from pg_constraint c left join pg_constraint p on p.oid = c.conparentid where c.contype = 'f' and c.conrelid::regclass::text like 'pfk\_n%' order by 1, 2, 3;
insert into pfk_n values (13, 2, 5);
insert into pfk_n values (13, 2, 3);
update pfk_m set b = 3 where a = 2 and b = 1;
select * from pfk_n order by k;
update pfk_m set a = 1, b = 5 where a = 2 and b = 3;
select * from pfk_n order by k;
delete from pfk_m2;
delete from pfk_m where a = 2 and b = 2;
alter table pfk_m2 detach partition pfk_m22;
select * from pfk_m order by a, b;
-- on a MATCH FULL / SET DEFAULT key, and a NO ACTION key another row takes over
-- setup
create table pfk_d (a int primary key) partition by range (a);
create table pfk_d1 partition of pfk_d for values from (0) to (100);
create table pfk_d2 partition of pfk_d for values from (100) to (200);
insert into pfk_d values (0), (1), (101);
create table pfk_e (a int default 0 references pfk_d on delete set default on update no action);
insert into pfk_e values (1), (101);
-- test
delete from pfk_d where a = 101;
select * from pfk_e order by a;
update pfk_d set a = a + 1 where a in (0, 1);
update pfk_d set a = 150 where a = 1;
select * from pfk_e order by a;
begin;
delete from pfk_d where a = 0;
rollback;
select * from pfk_d order by a;
-- a self-referencing partitioned table; a cascade that moves the referencing row; deferred
-- setup
create table pfk_s (id int primary key, parent int references pfk_s) partition by range (id);
create table pfk_s1 partition of pfk_s for values from (0) to (10);
create table pfk_s2 partition of pfk_s for values from (10) to (20);
insert into pfk_s values (1, null), (11, 1), (2, 11);
create table pfk_t (a int primary key) partition by range (a);
create table pfk_t1 partition of pfk_t for values from (0) to (10);
create table pfk_t2 partition of pfk_t for values from (10) to (20);
insert into pfk_t values (1), (11);
create table pfk_u (a int references pfk_t on update cascade, b int) partition by range (a);
create table pfk_u1 partition of pfk_u for values from (0) to (10);
create table pfk_u2 partition of pfk_u for values from (10) to (20);
insert into pfk_u values (1, 1);
create table pfk_v (a int references pfk_t deferrable initially deferred);
-- test
insert into pfk_s values (3, 99);
delete from pfk_s where id = 1;
update pfk_s set id = 12 where id = 1;
select conname, conrelid::regclass::text, confrelid::regclass::text from pg_constraint where contype = 'f' and conrelid::regclass::text like 'pfk\_s%' order by 1, 2, 3;
update pfk_t set a = 12 where a = 1;
select tableoid::regclass::text, * from pfk_u;
begin;
insert into pfk_v values (5);
insert into pfk_t values (5);
commit;
begin;
insert into pfk_v values (6);
commit;
select pg_get_constraintdef(oid) from pg_constraint where conname = 'pfk_v_a_fkey1';
alter table pfk_t detach partition pfk_t1;
select conname, confrelid::regclass::text from pg_constraint where conrelid = 'pfk_v'::regclass order by 1;
select conrelid = 'pfk_t1'::regclass as sametable, conname, pg_get_constraintdef(oid, true), conrelid::regclass::text from pg_constraint, pg_partition_ancestors('pfk_u1') where conrelid = relid and contype = 'f' and conparentid = 0 order by sametable desc, conname;
select conname, conrelid::regclass::text, pg_get_constraintdef(oid, true) from pg_constraint c where confrelid in (select pg_partition_ancestors('pfk_t1') union all values ('pfk_t1'::regclass)) and contype = 'f' and conparentid = 0 order by conname;
select relname, relhastriggers from pg_class where relname like 'pfk\_t%' or relname like 'pfk\_u%' order by 1;
drop table pfk_t cascade;
select conname from pg_constraint where conrelid in ('pfk_v'::regclass, 'pfk_u'::regclass, 'pfk_u1'::regclass);
-- CREATE TABLE … PARTITION OF with constraints of its own; ATTACH of a partitioned table;
-- SET NULL that moves a row; MATCH FULL and NOT VALID keys to a partitioned table
-- setup
create table pfk_w (a int primary key);
insert into pfk_w values (1), (2);
create table pfk_wp (k int, b int references pfk_w) partition by list (k);
create table pfk_wq (k int, b int) partition by list (k);
create table pfk_wq1 (k int, b int) partition by list (b);
create table pfk_wq11 partition of pfk_wq1 for values in (1);
create table pfk_wq12 partition of pfk_wq1 for values in (2, 3);
insert into pfk_wq1 values (1, 1), (1, 2);
create table pfk_wx (a int, b int, primary key (a, b)) partition by range (a);
create table pfk_wx1 partition of pfk_wx for values from (0) to (10);
insert into pfk_wx values (1, 1), (2, 2);
create table pfk_wy (a int, b int, foreign key (a, b) references pfk_wx match full on delete set null);
-- test
create table pfk_wp1 partition of pfk_wp (foreign key (b) references pfk_w) for values in (1);
create table pfk_wp2 partition of pfk_wp (constraint pfk_wp_b_fkey check (b > 0)) for values in (2);
select conname, conrelid::regclass::text, contype, conparentid <> 0 from pg_constraint where conrelid::regclass::text like 'pfk\_wp%' order by 2, 1;
alter table pfk_wq attach partition pfk_wq1 for values in (1);
alter table pfk_wq add foreign key (b) references pfk_w on delete set null;
select conname, conrelid::regclass::text, conparentid <> 0 from pg_constraint where conrelid::regclass::text like 'pfk\_wq%' and contype = 'f' order by 2, 1;
insert into pfk_wq values (1, 3);
delete from pfk_w where a = 2;
select tableoid::regclass::text, * from pfk_wq order by b;
insert into pfk_wy values (1, null);
insert into pfk_wy values (1, 1), (null, null), (2, 2);
delete from pfk_wx where a = 1;
select * from pfk_wy order by a;
alter table pfk_wy add constraint pfk_wy2 foreign key (a, b) references pfk_wx not valid;
insert into pfk_wy values (3, 3);
alter table pfk_wy validate constraint pfk_wy2;
select conname, convalidated from pg_constraint where conrelid = 'pfk_wy'::regclass order by 1;
-- a row moving out of a partition that a foreign key references directly, or from under a
-- referenced sub-partitioned table
-- setup
create table pfk_mv (a int primary key) partition by range (a);
create table pfk_mv1 partition of pfk_mv for values from (0) to (10) partition by range (a);
create table pfk_mv11 partition of pfk_mv1 for values from (0) to (5);
create table pfk_mv12 partition of pfk_mv1 for values from (5) to (10);
create table pfk_mv2 partition of pfk_mv for values from (10) to (20);
insert into pfk_mv values (1), (2), (3), (4), (11);
create table pfk_ml (a int references pfk_mv11);
insert into pfk_ml values (1);
-- test
update pfk_mv set a = 15 where a = 1;
update pfk_mv set a = 16 where a = 2;
update pfk_mv set a = 6 where a = 3;
create table pfk_mm (a int references pfk_mv1);
update pfk_mv set a = 17 where a = 4;
update pfk_mv1 set a = 7 where a = 4;
drop table pfk_mm;
update pfk_mv set a = 18 where a = 4;
select * from pfk_mv order by a;
