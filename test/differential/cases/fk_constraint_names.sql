-- Names PostgreSQL chooses for unnamed foreign keys when the plain name is taken
create table fcn_a (id int primary key);
create table fcn_b (id int primary key);
create table fcn_c (x int references fcn_a, y int, constraint fcn_c_y_fkey check (y > 0));
alter table fcn_c add foreign key (x) references fcn_b;
alter table fcn_c add foreign key (x) references fcn_a;
alter table fcn_c add foreign key (y) references fcn_a;
select conname, contype, pg_get_constraintdef(oid) from pg_constraint
  where conrelid = 'fcn_c'::regclass order by conname;
insert into fcn_a values (1);
insert into fcn_c values (1, 1);
alter table fcn_c drop constraint fcn_c_x_fkey1;
select conname from pg_constraint where conrelid = 'fcn_c'::regclass and contype = 'f'
  order by conname;
create table fcn_d (x int, foreign key (x) references fcn_a, foreign key (x) references fcn_b);
select conname, pg_get_constraintdef(oid) from pg_constraint
  where conrelid = 'fcn_d'::regclass order by conname;
drop table fcn_d, fcn_c, fcn_b, fcn_a;
