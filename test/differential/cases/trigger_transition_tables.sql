-- AFTER triggers with transition tables (REFERENCING OLD TABLE / NEW TABLE): the audit
-- pattern, statement and row level, contents per operation, errors of definitions,
-- pg_trigger.tgoldtable / tgnewtable and pg_get_triggerdef.
-- setup
create table ttx_item (id int primary key, name text, qty int default 0);
create table ttx_audit (seq serial, op text, id int, name text, qty int);
create table ttx_counts (seq serial, tg text, op text, n_old int, n_new int);
create table ttx_other (k int, v text, gone int, w int);
alter table ttx_other drop column gone;
create view ttx_view as select * from ttx_item;
-- test
create function ttx_audit_ins() returns trigger language plpgsql as $$
begin
  insert into ttx_audit (op, id, name, qty) select tg_op, n.id, n.name, n.qty from newtab n;
  return null;
end $$;
create function ttx_audit_del() returns trigger language plpgsql as $$
begin
  insert into ttx_audit (op, id, name, qty) select tg_op, o.id, o.name, o.qty from oldtab o;
  return null;
end $$;
create function ttx_audit_upd() returns trigger language plpgsql as $$
begin
  insert into ttx_audit (op, id, name, qty)
    select tg_op, n.id, o.name || '->' || n.name, n.qty - o.qty
    from oldtab o join newtab n on o.id = n.id;
  return null;
end $$;
create trigger ttx_ins after insert on ttx_item referencing new table as newtab
  for each statement execute function ttx_audit_ins();
create trigger ttx_del after delete on ttx_item referencing old table as oldtab
  for each statement execute function ttx_audit_del();
create trigger ttx_upd after update on ttx_item referencing old table as oldtab
  new table as newtab for each statement execute function ttx_audit_upd();
insert into ttx_item values (1, 'apple', 5), (2, 'pear', 3), (3, 'fig', 0);
insert into ttx_item values (4, 'kiwi', 1);
update ttx_item set qty = qty + 10, name = upper(name) where id <= 2;
update ttx_item set qty = 0 where id > 100;
delete from ttx_item where id in (3, 4);
select op, id, name, qty from ttx_audit order by seq;
-- a row trigger sees the whole transition table, once per row
create function ttx_count() returns trigger language plpgsql as $$
declare n int;
begin
  select count(*) into n from newtab;
  insert into ttx_counts (tg, op, n_old, n_new) values (tg_name, tg_level, null, n);
  return null;
end $$;
create trigger ttx_rowcount after insert on ttx_item referencing new table as newtab
  for each row execute function ttx_count();
insert into ttx_item values (10, 'a', 1), (11, 'b', 2), (12, 'c', 3);
select tg, op, n_old, n_new from ttx_counts order by seq;
drop trigger ttx_rowcount on ttx_item;
-- dynamic SQL sees the transition tables too
create function ttx_dyn() returns trigger language plpgsql as $$
declare n int; s int;
begin
  execute 'select count(*), coalesce(sum(qty), 0) from oldtab' into n, s;
  raise notice 'deleted % rows, qty %', n, s;
  return null;
end $$;
create trigger ttx_dyn after delete on ttx_item referencing old table as oldtab
  for each statement execute function ttx_dyn();
delete from ttx_item where id >= 11;
delete from ttx_item where id = 999;
-- catalog and definition
select tgname, tgoldtable, tgnewtable from pg_trigger
  where tgrelid = 'ttx_item'::regclass order by tgname;
select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'ttx_item'::regclass
  order by tgname;
-- rolled back with its statement
begin;
insert into ttx_item values (50, 'x', 1);
rollback;
select count(*) from ttx_audit where id = 50;
-- one function on two tables (different columns), a dropped column, a BEFORE trigger's change
create function ttx_show() returns trigger language plpgsql as $$
declare r record;
begin
  for r in select * from newtab loop raise notice '% %: %', tg_table_name, tg_op, r; end loop;
  return null;
end $$;
create trigger ttx_show after update on ttx_item referencing new table as newtab
  for each statement execute function ttx_show();
create trigger ttx_show after insert on ttx_other referencing new table as newtab
  for each statement execute function ttx_show();
create function ttx_bump() returns trigger language plpgsql as $$
begin new.w := coalesce(new.w, 0) + 100; return new; end $$;
create trigger ttx_bump before insert on ttx_other for each row execute function ttx_bump();
insert into ttx_other values (1, 'one', 1), (2, 'two', null);
update ttx_item set qty = qty + 1 where id = 1;
insert into ttx_other select 3, 'three', 3 where false;
-- a transition table shadows a table of the same name inside the function
create table newtab (z int);
update ttx_item set qty = qty + 1 where id = 2;
drop table newtab;
-- INSERT … ON CONFLICT and MERGE (statement triggers, one table per event)
create table tty (id int primary key, v text);
create table tty_log (n int, what text);
create function tty_f() returns trigger language plpgsql as $$
begin insert into tty_log select count(*), string_agg(v, ',' order by id) from nt; return null; end $$;
create trigger tty_t after insert on tty referencing new table as nt
  for each statement execute function tty_f();
insert into tty values (1, 'a'), (2, 'b');
insert into tty values (2, 'x'), (3, 'c') on conflict do nothing;
insert into tty values (3, 'y'), (4, 'd') on conflict (id) do update set v = excluded.v;
select * from tty_log;
merge into tty using (values (5, 'e')) s(id, v) on tty.id = s.id
  when not matched then insert values (s.id, s.v);
select * from tty_log;
create table ttz (id int primary key, v text);
insert into ttz values (1, 'p'), (2, 'q');
create function ttz_f() returns trigger language plpgsql as $$
declare o text; n text;
begin
  if tg_op <> 'INSERT' then select string_agg(id || v, ',' order by id) into o from ot; end if;
  if tg_op <> 'DELETE' then select string_agg(id || v, ',' order by id) into n from nt; end if;
  raise notice '% old % new %', tg_op, o, n;
  return null;
end $$;
create trigger ttz_u after update on ttz referencing old table as ot new table as nt
  for each statement execute function ttz_f();
create trigger ttz_d after delete on ttz referencing old table as ot
  for each statement execute function ttz_f();
create trigger ttz_i after insert on ttz referencing new table as nt
  for each statement execute function ttz_f();
merge into ttz using (values (1, 'P'), (2, null), (3, 'r')) s(id, v) on ttz.id = s.id
  when matched and s.v is null then delete
  when matched then update set v = s.v
  when not matched then insert values (s.id, s.v);
merge into ttz using (values (9, 'z')) s(id, v) on ttz.id = s.id
  when matched then delete;
-- errors of definitions
create trigger ttx_bad10 after insert on ttx_view referencing new table as nt
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad1 before insert on ttx_item referencing new table as nt
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad2 after insert on ttx_item referencing old table as ot
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad3 after delete on ttx_item referencing new table as nt
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad4 after insert or update on ttx_item referencing new table as nt
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad5 after update of qty on ttx_item referencing new table as nt
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad6 after update on ttx_item referencing old table as x new table as x
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad7 after update on ttx_item referencing old row as r
  for each row execute function ttx_audit_ins();
create trigger ttx_bad8 after truncate on ttx_item referencing old table as ot
  for each statement execute function ttx_audit_ins();
create trigger ttx_bad9 after update on ttx_item referencing new table as a new table as b
  for each statement execute function ttx_audit_ins();
-- the transition table is not visible outside the trigger function
select count(*) from newtab;
