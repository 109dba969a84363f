-- declarative partitioning on one node: RANGE and LIST keys, bounds, routing, pruning, DDL
-- setup
create table pt_r (id int, at date, v text) partition by range (at);
create table pt_r_2023 partition of pt_r for values from ('2023-01-01') to ('2024-01-01');
create table pt_r_2024 partition of pt_r for values from ('2024-01-01') to ('2025-01-01');
create table pt_r_old partition of pt_r for values from (minvalue) to ('2023-01-01');
create table pt_r_def partition of pt_r default;
insert into pt_r values (1, '2023-05-01', 'a'), (2, '2024-02-29', 'b'), (3, '2022-12-31', 'c'),
  (4, '2030-01-01', 'd'), (5, null, 'e'), (6, '2024-12-31', 'f');
create table pt_l (k text, n int) partition by list (k);
create table pt_l_ab partition of pt_l for values in ('a', 'b');
create table pt_l_cn partition of pt_l for values in ('c', null);
insert into pt_l values ('a', 1), ('b', 2), ('c', 3), (null, 4);
-- test
select * from pt_r order by id;
select id from pt_r_2024 order by id;
select id from pt_r_def order by id;
select count(*) from pt_r where at >= '2024-01-01';
select relname, relkind, relispartition, pg_get_expr(relpartbound, oid) from pg_class where relname like 'pt\_r%' order by relname;
select pg_get_partkeydef('pt_r'::regclass), pg_get_partkeydef('pt_l'::regclass), pg_get_partkeydef('pt_r_2023'::regclass);
select pg_get_partition_constraintdef('pt_r_2023'::regclass);
select pg_get_partition_constraintdef('pt_r_old'::regclass);
select pg_get_partition_constraintdef('pt_r_def'::regclass);
select pg_get_partition_constraintdef('pt_l_ab'::regclass);
select pg_get_partition_constraintdef('pt_l_cn'::regclass);
select c.relname, p.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent where p.relname in ('pt_r', 'pt_l') order by 1;
select c.relname, partstrat, partnatts, partattrs::text from pg_partitioned_table join pg_class c on c.oid = partrelid where c.relname like 'pt\_%' order by 1;
select relid::text, parentrelid::text, isleaf, level from pg_partition_tree('pt_r') order by relid::text;
select pg_partition_root('pt_r_2024')::text;
select relid::text from pg_partition_ancestors('pt_r_2024') order by 1;
-- errors: overlaps, empty ranges, wrong bound kinds, routing failures
create table pt_r_bad partition of pt_r for values from ('2023-06-01') to ('2024-06-01');
create table pt_r_bad partition of pt_r for values from ('2026-01-01') to ('2025-01-01');
create table pt_r_bad partition of pt_r for values in ('2026-01-01');
create table pt_r_bad partition of pt_r default;
create table pt_l_bad partition of pt_l for values in ('b', 'z');
create table pt_l_bad partition of pt_l for values in (null);
create table pt_r_bad partition of pt_r for values from (1, 2) to (3, 4);
create table pt_bad (a int) partition by list (a, a);
create table pt_bad (a int) partition by range (b);
create table pt_bad partition of pt_nothere for values in (1);
insert into pt_l values ('z', 9);
insert into pt_r_2023 values (9, '2024-06-01', 'x');
update pt_r_2023 set at = '2025-01-01';
-- routing of rows that change partition, RETURNING, DELETE and TRUNCATE through the parent
update pt_r set at = '2023-07-01' where id = 2 returning id, at;
select id from pt_r_2023 order by id;
update pt_r set v = v || '!' where at < '2023-01-01' returning *;
delete from pt_r where id = 4 returning id;
select id, v from pt_r order by id;
select k, sum(n) from pt_l group by k order by k;
select * from pt_l where k is null;
select * from pt_l l join pt_r r on r.id = l.n order by l.n;
truncate pt_l;
select count(*) from pt_l;
select count(*) from pt_l_ab;
-- pruning: EXPLAIN shows the partitions left
explain (costs off) select * from pt_r where at = '2024-03-01';
explain (costs off) select * from pt_r;
explain (costs off) select * from pt_r where at is null;
explain (costs off) select * from pt_r where at = '2024-03-01' and at = '2023-03-01';
explain (costs off) select * from pt_l where k = 'a';
explain (costs off) update pt_r set v = 'z' where at = '2024-03-01';
explain (costs off) delete from pt_l where k in ('a', 'c');
-- multi-level: a partition that is partitioned itself
create table pt_m (a int, b int, c text) partition by range (a);
create table pt_m1 partition of pt_m for values from (0) to (100) partition by list (b);
create table pt_m1x partition of pt_m1 for values in (1, 2);
create table pt_m1y partition of pt_m1 for values in (3);
create table pt_m2 partition of pt_m for values from (100) to (200);
insert into pt_m values (5, 1, 'a'), (6, 3, 'b'), (150, 9, 'c');
insert into pt_m values (7, 4, 'd');
select * from pt_m order by a;
select * from pt_m1 order by a;
select relid::text, parentrelid::text, isleaf, level from pg_partition_tree('pt_m') order by relid::text;
select relid::text from pg_partition_ancestors('pt_m1x') order by 1;
select pg_partition_root('pt_m1x')::text;
select pg_get_partition_constraintdef('pt_m1y'::regclass);
update pt_m set b = 3 where a = 5;
select * from pt_m1y order by a;
update pt_m set a = 120 where a = 6;
select * from pt_m2 order by a;
-- keys: unique indexes must hold the partition key; indexes reach the partitions
create table pt_k (id int, region text, primary key (id)) partition by list (region);
create table pt_k (id int, region text, primary key (id, region)) partition by list (region);
create table pt_k_eu partition of pt_k for values in ('eu');
create table pt_k_us partition of pt_k for values in ('us');
insert into pt_k values (1, 'eu'), (1, 'us');
insert into pt_k values (1, 'eu');
insert into pt_k values (1, 'eu') on conflict do nothing;
insert into pt_k values (2, 'eu') on conflict (id, region) do nothing;
select * from pt_k order by id, region;
select indexrelid::regclass::text, indrelid::regclass::text, indisprimary from pg_index where indrelid::regclass::text like 'pt\_k%' order by 1;
create index on pt_k (region);
select indexname, tablename from pg_indexes where tablename like 'pt\_k%' order by 1;
create unique index pt_k_bad on pt_k (id);
-- columns added and dropped on the parent reach the partitions
alter table pt_k add column note text default 'n';
select * from pt_k_us order by id;
insert into pt_k values (3, 'us', 'hello');
select id, note from pt_k order by id, region;
alter table pt_k drop column note;
select * from pt_k_eu order by id;
create table pt_k_asia partition of pt_k for values in ('asia');
insert into pt_k values (4, 'asia');
select * from pt_k order by id, region;
-- ATTACH validates rows; DETACH keeps the table
create table pt_a (id int not null, region text not null);
insert into pt_a values (10, 'sa');
alter table pt_k attach partition pt_a for values in ('af');
alter table pt_k attach partition pt_a for values in ('sa', 'eu');
alter table pt_k attach partition pt_a for values in ('sa');
select * from pt_k where region = 'sa';
insert into pt_k values (11, 'sa');
select count(*) from pt_a;
alter table pt_k detach partition pt_a;
select count(*) from pt_k;
select count(*) from pt_a;
select relispartition from pg_class where relname = 'pt_a';
alter table pt_a attach partition pt_k_eu for values in ('x');
create table pt_b (id int, region text, extra int);
alter table pt_k attach partition pt_b for values in ('b');
-- a default partition holding rows blocks a new partition for them
create table pt_d (a int) partition by list (a);
create table pt_d_def partition of pt_d default;
insert into pt_d values (1), (2);
create table pt_d1 partition of pt_d for values in (1);
create table pt_d3 partition of pt_d for values in (3);
select * from pt_d order by a;
-- LIKE copies columns, not partitioning
create table pt_like (like pt_r);
select relkind from pg_class where relname = 'pt_like';
-- DROP of a parent drops its partitions
drop table pt_m;
select count(*) from pg_class where relname like 'pt\_m%';
drop table pt_r_2023;
select count(*) from pt_r;
