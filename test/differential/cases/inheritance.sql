-- table inheritance (CREATE TABLE … INHERITS): merged columns, inherited constraints,
-- scans of a parent reading its children, ONLY, tableoid, UPDATE/DELETE, catalogs, errors
-- setup
create table ih_p (id int not null, name text default 'p', check (id > 0));
create table ih_c (extra int default 7) inherits (ih_p);
create table ih_q (qq text, name text) inherits (ih_p);
create table ih_g (g int) inherits (ih_c);
insert into ih_p values (1, 'one');
insert into ih_c values (2, 'two', 20), (3, default, default);
insert into ih_q (id, qq) values (4, 'x');
insert into ih_g values (5, 'five', 50, 500);
-- test
select * from ih_p order by id;
select * from only ih_p order by id;
select * from ih_p* order by id;
select * from ih_c order by id;
select tableoid::regclass, id, name from ih_p order by id;
select tableoid::regclass, count(*) from ih_p group by 1 order by 1;
select id from ih_p where name = 'two';
select count(*), sum(id) from ih_p;
select p.id, c.extra from ih_p p join ih_c c using (id) order by 1;
select attname, attnum, attinhcount, attislocal, attnotnull from pg_attribute where attrelid = 'ih_q'::regclass and attnum > 0 order by attnum;
select attname, attinhcount, attislocal from pg_attribute where attrelid = 'ih_g'::regclass and attnum > 0 order by attnum;
select inhrelid::regclass, inhparent::regclass, inhseqno from pg_inherits where inhparent::regclass::text like 'ih\_%' order by 1, 2;
select conrelid::regclass, conname, coninhcount, conislocal from pg_constraint where conrelid::regclass::text like 'ih\_%' order by 1, 2;
select relname, relhassubclass from pg_class where relname like 'ih\_%' order by 1;
select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum where d.adrelid = 'ih_c'::regclass and a.attname = 'name';
insert into ih_c values (0, 'bad', 1);
insert into ih_c (name) values ('no id');
insert into ih_p values (6, 'six') returning tableoid::regclass, *;
select tableoid::regclass, id from ih_p where id = 6;
update ih_p set name = name || '!' where id in (2, 4, 5, 6) returning tableoid::regclass, id, name;
select tableoid::regclass, * from ih_c order by id;
select * from ih_g;
update only ih_p set name = 'only' returning id;
delete from ih_p where id = 3 returning tableoid::regclass, id;
delete from only ih_c where id = 5;
select tableoid::regclass, id from ih_p order by id;
update ih_p set id = -id where id = 2;
