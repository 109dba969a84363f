-- ALTER VIEW: column defaults, view options (check_option, security_barrier,
-- security_invoker), command tags and errors, and the catalogs that show them
create table av_t (id int primary key, a int, b text default 'base', c int default 3);
create view av_v as select id, a, b, c from av_t;
alter view av_v alter column a set default 10;
alter view av_v alter column b set default 'view';
insert into av_v (id) values (1);
insert into av_v (id, c) values (2, 20) returning *;
insert into av_v values (3, default, default, default) returning *;
insert into av_v (id, a) values (4, default), (5, 55) returning *;
insert into av_v (id) select 6 returning a, b;
select * from av_t order by id;
select * from av_v order by id;
alter view av_v alter column b drop default;
insert into av_v (id) values (7) returning *;
alter table av_v alter column c set default 30;
insert into av_v (id) values (8) returning *;
alter view av_v alter column nosuch set default 1;
alter view av_v alter column a set default 'x';
select a.attname, pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
  join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
  where d.adrelid = 'av_v'::regclass order by a.attnum;
select column_name, column_default from information_schema.columns
  where table_name = 'av_v' order by ordinal_position;
create view av_vv as select id, a, b from av_v where id < 100;
alter view av_vv alter column b set default 'outer';
insert into av_vv (id) values (9) returning *;
select * from av_t where id = 9;
-- view options
create view av_o as select id, a from av_t where a > 0;
alter view av_o set (check_option = local);
select relname, reloptions from pg_class where relname = 'av_o';
select check_option from information_schema.views where table_name = 'av_o';
insert into av_o values (20, -1);
insert into av_o values (21, 1);
alter view av_o set (check_option = cascaded, security_barrier);
select reloptions from pg_class where relname = 'av_o';
select check_option from information_schema.views where table_name = 'av_o';
alter view av_o set (security_barrier = false, security_invoker = true);
select reloptions from pg_class where relname = 'av_o';
alter view av_o reset (check_option);
select reloptions from pg_class where relname = 'av_o';
select check_option from information_schema.views where table_name = 'av_o';
insert into av_o values (22, -1);
alter view av_o reset (security_barrier, security_invoker);
select reloptions from pg_class where relname = 'av_o';
alter view av_o set (check_option = sideways);
alter view av_o set (fillfactor = 50);
alter view av_o set (nosuch = 1);
alter view av_o set (security_barrier = maybe);
alter table av_o set (security_barrier = true);
select reloptions from pg_class where relname = 'av_o';
create view av_w with (security_barrier, check_option = local) as
  select id, a from av_t where a > 5;
select reloptions from pg_class where relname = 'av_w';
insert into av_w values (23, 1);
create view av_x with (check_option = local) as select count(*) from av_t;
create view av_wc as select id, a from av_t where a > 5 with cascaded check option;
select reloptions from pg_class where relname = 'av_wc';
create view av_si with (security_invoker = on) as select id from av_t;
select reloptions from pg_class where relname = 'av_si';
create view av_bad with (nosuch = 1) as select 1;
create view av_agg as select a, count(*) from av_t group by a;
alter view av_agg set (check_option = local);
-- tags and errors
alter view av_v rename column a to aa;
alter view av_v rename column aa to a;
alter table av_v rename column a to aa;
alter view av_v rename column aa to a;
alter view av_t alter column a set default 1;
alter view av_t set (security_barrier);
alter view if exists av_nosuch alter column a set default 1;
alter view av_nosuch alter column a set default 1;
alter view if exists av_nosuch set (security_barrier);
alter view av_v alter column a set not null;
alter view av_v add column z int;
alter table av_v add column z int;
alter view av_v owner to current_user;
select table_name, check_option from information_schema.views
  where table_name like 'av\_%' order by table_name;
select viewname from pg_views where viewname like 'av\_%' order by viewname;
-- defaults with INSTEAD OF triggers: NEW gets the view's default
create table av_log (id int, a int, b text);
create view av_tv as select id, a, b from av_t;
create function av_tv_ins() returns trigger language plpgsql as $$
begin
  insert into av_log values (new.id, new.a, new.b);
  return new;
end $$;
create trigger av_tv_ins instead of insert on av_tv for each row execute function av_tv_ins();
alter view av_tv alter column b set default 'trig';
insert into av_tv (id) values (40);
insert into av_tv values (41, 1, default);
insert into av_tv (id, a) select 42, 2;
select * from av_log order by id;
-- DEFAULT VALUES and multi-level defaults
create table av_d (id serial primary key, x int default 1, y int default 2);
create view av_dv as select * from av_d;
alter view av_dv alter column x set default 100;
insert into av_dv default values returning *;
alter view av_dv alter column id set default 1000;
insert into av_dv default values returning *;
insert into av_dv (y) values (5) on conflict (id) do nothing returning *;
-- a default on a column that is not updatable
create view av_e as select id, x * 2 as x2 from av_d;
alter view av_e alter column x2 set default 7;
insert into av_e (id) values (2000);
alter view av_e alter column x2 drop default;
insert into av_e (id) values (2000) returning *;
-- CREATE OR REPLACE VIEW keeps the defaults, and takes the new options
create or replace view av_dv with (security_barrier) as select * from av_d;
select reloptions from pg_class where relname = 'av_dv';
insert into av_dv (y) values (6) returning *;
select a.attname, pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
  join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
  where d.adrelid = 'av_dv'::regclass order by a.attnum;
-- security_invoker: the tables are checked for the current user
create table av_secret (id int);
insert into av_secret values (1);
create view av_owner_v as select * from av_secret;
create view av_invoker_v with (security_invoker) as select * from av_secret;
create role av_reader;
grant select on av_owner_v, av_invoker_v to av_reader;
set role av_reader;
select * from av_owner_v;
select * from av_invoker_v;
reset role;
alter view av_invoker_v set (security_invoker = false);
set role av_reader;
select * from av_invoker_v;
reset role;
alter view av_owner_v set (security_invoker);
set role av_reader;
select * from av_owner_v;
reset role;
drop view av_owner_v, av_invoker_v;
drop role av_reader;
-- more errors
alter view av_v set (security_barrier, security_barrier = false);
alter view av_v reset (security_barrier = true);
alter view av_v set (toast.security_barrier = true);
alter view av_v alter column a set default 1, add column q int;
select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
  join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
  where d.adrelid = 'av_v'::regclass and a.attname = 'a';
alter view av_v alter column a set default 11, set (security_barrier);
select reloptions from pg_class where relname = 'av_v';
alter materialized view av_v set (security_barrier);
-- transactions undo both
begin;
alter view av_v alter column a set default 99;
alter view av_v set (check_option = local);
rollback;
select pg_get_expr(d.adbin, d.adrelid) from pg_attrdef d
  join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
  where d.adrelid = 'av_v'::regclass and a.attname = 'a';
select reloptions from pg_class where relname = 'av_v';
-- only the owner may alter a view
create role av_other;
grant select, insert on av_v to av_other;
set role av_other;
alter view av_v alter column a set default 5;
alter view av_v set (security_invoker);
reset role;
revoke all on av_v from av_other;
drop role av_other;
-- pg_views and pg_get_viewdef are not changed by the options
select pg_get_viewdef('av_o'::regclass);
select definition from pg_views where viewname = 'av_w';
-- security_barrier: a cheap leaky function of the outer query sees no hidden row
create table av_hidden (id int, a int);
insert into av_hidden values (1, 5), (2, -5), (3, 7);
create function av_peek(int) returns boolean language plpgsql immutable cost 0.0000001 as $$
begin
  if $1 < 0 then raise exception 'saw hidden value %', $1; end if;
  return true;
end $$;
create view av_sb with (security_barrier) as select id, a from av_hidden where a > 0;
select * from av_sb where av_peek(a) order by id;
select * from av_sb s join av_hidden h using (id) where av_peek(s.a) order by id;
alter view av_sb reset (security_barrier);
select count(*) from av_sb where a > 6;
alter view av_sb set (security_barrier = on);
select count(*) from av_sb where a > 6;
