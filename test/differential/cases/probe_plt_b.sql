-- setup
create table tb_main (id int primary key, v text, n int default 0);
create table tb_log (seq serial, info text);
-- test
create function tb_log_fn() returns trigger language plpgsql as $$
begin
  insert into tb_log (info) values (tg_name || ' ' || tg_when || ' ' || tg_level || ' ' || tg_op
    || ' ' || tg_table_name || ' ' || tg_table_schema || ' ' || tg_relname || ' ' || tg_nargs
    || ' ' || coalesce(array_to_string(tg_argv, ','), '-')
    || ' ' || (tg_relid = 'tb_main'::regclass)::text);
  if tg_level = 'ROW' then
    if tg_op = 'DELETE' then return old; end if;
    return new;
  end if;
  return null;
end $$;
create trigger tb_z before insert on tb_main for each row execute function tb_log_fn('z', 'q');
create trigger tb_a before insert on tb_main for each row execute function tb_log_fn('a');
create trigger tb_m after insert on tb_main for each row execute function tb_log_fn();
create trigger tb_s_before before insert or update on tb_main for each statement execute function tb_log_fn();
create trigger tb_s_after after insert or update on tb_main execute function tb_log_fn();
insert into tb_main values (1, 'a'), (2, 'b');
select info from tb_log order by seq;
truncate tb_log;
update tb_main set n = 1 where id = 99;
select info from tb_log order by seq;
truncate tb_log;
alter table tb_main disable trigger tb_z;
insert into tb_main values (3, 'c');
select info from tb_log order by seq;
truncate tb_log;
alter table tb_main disable trigger all;
insert into tb_main values (4, 'd');
select count(*) from tb_log;
alter table tb_main enable trigger all;
alter table tb_main disable trigger user;
alter table tb_main enable trigger user;
alter table tb_main enable trigger tb_z;
alter table tb_main disable trigger nosuch;
select tgname, tgenabled, tgtype, tgnargs, tgisinternal from pg_trigger where tgrelid = 'tb_main'::regclass order by tgname;
select event_object_table, trigger_name, event_manipulation, action_timing, action_orientation from information_schema.triggers where event_object_table = 'tb_main' order by trigger_name, event_manipulation;
select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'tb_main'::regclass order by tgname;
drop trigger tb_z on tb_main;
drop trigger tb_a on tb_main;
drop trigger tb_m on tb_main;
drop trigger tb_s_before on tb_main;
drop trigger tb_s_after on tb_main;
-- update of columns
create table tb_cols (id int primary key, a int, b int);
create function tb_cols_fn() returns trigger language plpgsql as $$
begin insert into tb_log (info) values ('cols ' || new.id); return new; end $$;
create trigger tb_cols_t before update of a on tb_cols for each row execute function tb_cols_fn();
insert into tb_cols values (1, 1, 1);
truncate tb_log;
update tb_cols set b = 2;
update tb_cols set a = 2;
update tb_cols set a = a, b = 3;
select info from tb_log order by seq;
-- transition tables
create table tb_tt (id int, v int);
create function tb_tt_fn() returns trigger language plpgsql as $$
declare n int; s int;
begin
  if tg_op = 'INSERT' then
    select count(*), sum(v) into n, s from newtab;
  elsif tg_op = 'DELETE' then
    select count(*), sum(v) into n, s from oldtab;
  else
    select count(*), sum(n2.v) - sum(o2.v) into n, s from newtab n2 join oldtab o2 using (id);
  end if;
  insert into tb_log (info) values ('tt ' || tg_op || ' ' || n || ' ' || coalesce(s, 0));
  return null;
end $$;
create trigger tb_tt_i after insert on tb_tt referencing new table as newtab for each statement execute function tb_tt_fn();
create trigger tb_tt_u after update on tb_tt referencing old table as oldtab new table as newtab for each statement execute function tb_tt_fn();
create trigger tb_tt_d after delete on tb_tt referencing old table as oldtab for each statement execute function tb_tt_fn();
truncate tb_log;
insert into tb_tt select g, g * 10 from generate_series(1, 5) g;
update tb_tt set v = v + 1 where id <= 3;
delete from tb_tt where id > 3;
select info from tb_log order by seq;
create trigger tb_tt_bad before insert on tb_tt referencing new table as nt for each row execute function tb_tt_fn();
-- instead of on views
create view tb_view as select id, v from tb_main;
create function tb_view_fn() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into tb_main (id, v) values (new.id, new.v || '!');
    return new;
  elsif tg_op = 'UPDATE' then
    update tb_main set v = new.v where id = old.id;
    return new;
  else
    delete from tb_main where id = old.id;
    return old;
  end if;
end $$;
create trigger tb_view_t instead of insert or update or delete on tb_view for each row execute function tb_view_fn();
insert into tb_view values (10, 'ten');
update tb_view set v = 'TEN' where id = 10;
select * from tb_main where id = 10;
delete from tb_view where id = 10;
select count(*) from tb_main where id = 10;
insert into tb_view values (11, 'x') returning *;
create trigger tb_view_bad before insert on tb_view for each row execute function tb_view_fn();
create trigger tb_tbl_instead instead of insert on tb_main for each row execute function tb_view_fn();
-- return value semantics and errors
create table tb_ret (id int, v text);
create function tb_ret_fn() returns trigger language plpgsql as $$
begin
  if new.id = 1 then return null; end if;
  if new.id = 2 then new.v := 'changed'; return new; end if;
  if new.id = 3 then raise exception 'rejected %', new.id using errcode = '23514'; end if;
  return new;
end $$;
create trigger tb_ret_t before insert on tb_ret for each row execute function tb_ret_fn();
insert into tb_ret values (1, 'a'), (2, 'b'), (4, 'd');
select * from tb_ret order by id;
insert into tb_ret values (3, 'c');
with w as (insert into tb_ret values (5, 'e') returning *) select * from w;
create function tb_not_trigger() returns trigger language plpgsql as $$ begin return new; end $$;
select tb_not_trigger();
create function tb_sql_trig() returns trigger language sql as $$ select 1 $$;
-- after trigger sees final data
create table tb_parent (id int primary key, total int default 0);
create table tb_child (pid int, amt int);
create function tb_sum_fn() returns trigger language plpgsql as $$
begin
  update tb_parent set total = (select coalesce(sum(amt), 0) from tb_child where pid = coalesce(new.pid, old.pid))
    where id = coalesce(new.pid, old.pid);
  return null;
end $$;
create trigger tb_sum after insert or update or delete on tb_child for each row execute function tb_sum_fn();
insert into tb_parent values (1), (2);
insert into tb_child values (1, 10), (1, 5), (2, 7);
delete from tb_child where amt = 5;
select * from tb_parent order by id;
-- truncate trigger
create trigger tb_trunc after truncate on tb_child for each statement execute function tb_log_fn();
truncate tb_log;
truncate tb_child;
select info from tb_log order by seq;
create trigger tb_trunc_row after truncate on tb_child for each row execute function tb_log_fn();
-- create or replace trigger
create or replace trigger tb_trunc after truncate on tb_child for each statement execute function tb_log_fn('r');
alter trigger tb_trunc on tb_child rename to tb_trunc2;
select tgname from pg_trigger where tgrelid = 'tb_child'::regclass;
drop table tb_child;
select count(*) from pg_trigger where tgname like 'tb_trunc%';
drop function tb_log_fn();
