-- ONLY (written as the absence of `inh` by the parser): view text, TRUNCATE ONLY of a
-- partitioned table, reads and writes through a parent with children.
-- setup
create table ok_parent (id int, v text);
create table ok_child (extra int) inherits (ok_parent);
insert into ok_parent values (1, 'p');
insert into ok_child values (2, 'c', 20);
create table ok_part (id int, v text) partition by range (id);
create table ok_part_1 partition of ok_part for values from (0) to (100);
insert into ok_part values (5, 'x');

-- test
create view ok_v_only as select id, v from only ok_parent;
create view ok_v_all as select id, v from ok_parent;
select pg_get_viewdef('ok_v_only'::regclass);
select pg_get_viewdef('ok_v_all'::regclass);
select * from ok_v_only order by id;
select * from ok_v_all order by id;
select definition from pg_views where viewname in ('ok_v_only', 'ok_v_all') order by viewname;
truncate only ok_part;
select count(*) from ok_part;
truncate only ok_part_1;
select count(*) from ok_part;
insert into ok_part values (6, 'y');
truncate ok_part;
select count(*) from ok_part;
update only ok_parent set v = v || '!';
select * from ok_parent order by id;
delete from only ok_parent;
select * from ok_parent order by id;
truncate only ok_parent;
select * from ok_parent order by id;
truncate ok_parent;
select count(*) from ok_parent;
