-- MERGE (PostgreSQL 15): matched / not matched actions, conditions, defaults, constraints,
-- triggers, errors and transactions
-- setup
create table mg_t (id int primary key, v text, n int default 10);
create table mg_s (id int, v text, n int);
insert into mg_t values (1, 'a', 1), (2, 'b', 2), (3, 'c', 3), (4, 'd', 4);
insert into mg_s values (1, 'x', 100), (3, 'del', 300), (5, 'y', 500), (6, 'skip', 600);
-- test
merge into mg_t t using mg_s s on t.id = s.id
  when matched and s.v = 'del' then delete
  when matched then update set v = s.v, n = t.n + s.n
  when not matched and s.v <> 'skip' then insert (id, v, n) values (s.id, s.v, s.n);
select * from mg_t order by id;
merge into mg_t t using mg_s s on t.id = s.id when matched then do nothing;
merge into mg_t t using mg_s s on t.id = s.id when not matched then do nothing;
merge into mg_t using mg_s on mg_t.id = mg_s.id when not matched then insert values (mg_s.id, 'plain');
select * from mg_t order by id;
merge into mg_t as t using (values (7, 'seven'), (8, 'eight')) as s(id, v) on t.id = s.id
  when not matched then insert (id, v) values (s.id, s.v);
select * from mg_t order by id;
merge into mg_t t using (select id, v from mg_s where id > 4) s on t.id = s.id
  when matched then update set v = upper(s.v);
select * from mg_t order by id;
merge into mg_t t using (values (9)) s(k) on t.id = s.k
  when not matched then insert default values;
merge into mg_t t using (values (9)) s(k) on t.id = s.k
  when not matched then insert (id) values (s.k);
select * from mg_t where id = 9;
merge into mg_t t using (values (9, 'nine')) s(k, w) on t.id = s.k
  when matched then update set v = s.w, n = default;
select * from mg_t where id = 9;
merge into mg_t t using (values (10, 'ten')) s(id, v) on t.id = s.id
  when not matched then insert values (s.id, s.v, default);
merge into mg_t t using (values (11)) s(id) on t.id = s.id
  when not matched then insert values (s.id);
select * from mg_t where id >= 10 order by id;
-- cardinality: one target row matched twice
merge into mg_t t using (values (1, 'p'), (1, 'q')) s(id, v) on t.id = s.id
  when matched then update set v = s.v;
merge into mg_t t using (values (2, 'p'), (2, 'q')) s(id, v) on t.id = s.id
  when matched then delete;
merge into mg_t t using (values (1, 'p'), (1, 'q')) s(id, v) on t.id = s.id
  when matched then do nothing;
merge into mg_t t using (values (1, 'p'), (1, 'q')) s(id, v) on t.id = s.id
  when matched and s.v = 'p' then update set v = 'pp';
select * from mg_t where id = 1;
-- target-only ON conditions and conditions using both sides
merge into mg_t t using mg_s s on t.id = s.id and t.n > 1000
  when matched then update set v = 'big'
  when not matched and s.id < 3 then do nothing;
merge into mg_t t using mg_s s on t.id = s.id and t.n > 100
  when matched then update set v = 'big';
select * from mg_t order by id;
merge into mg_t t using mg_s s on t.id = s.id
  when matched and t.n > s.n then update set n = 0
  when matched and t.n <= s.n then update set n = -1;
select * from mg_t order by id;
-- errors
merge into mg_t t using mg_s s on t.id = s.id when not matched then insert values (t.id, s.v);
merge into mg_t t using mg_s s on t.id = s.id when not matched and t.v is null then do nothing;
merge into mg_t t using mg_s s on t.id = s.id when matched then update set v = v;
merge into mg_t t using mg_s s on t.id = s.id when matched then do nothing
  when matched then delete;
merge into mg_t t using mg_s t on t.id = t.id when matched then delete;
merge into mg_t t using mg_s s on t.id = s.id when matched then update set nope = 1;
merge into mg_t t using mg_s s on t.id = s.id
  when not matched then insert (id, nope) values (1, 2);
merge into mg_t t using mg_s s on t.id = s.id when not matched then insert (id) values (1, 2);
merge into mg_t t using mg_s s on t.id = s.id when not matched then insert (id, v) values (1);
merge into mg_t t using mg_s s on t.id = s.id when matched and count(*) > 1 then delete;
merge into mg_t t using mg_s s on t.id = s.id when matched and s.n then delete;
merge into mg_nope t using mg_s s on t.id = s.id when matched then delete;
merge into mg_t t using mg_nope s on t.id = s.id when matched then delete;
merge into mg_t t using mg_s s on t.id = s.id when matched then update set n = s.v;
merge into mg_t t using mg_s s on t.id = s.id when not matched then insert (id, id) values (1, 2);
merge into mg_t t using mg_s s on t.id = s.id when matched then update set id = 1;
merge into mg_t t using mg_s s on t.id = s.id when not matched then insert values (s.id, s.v);
-- setup
create view mg_view as select * from mg_t;
-- test
merge into mg_view t using mg_s s on t.id = s.id when matched then delete;
-- constraints
-- setup
create table mg_c (id int primary key, v text not null, q int check (q > 0),
  p int references mg_t (id));
-- test
merge into mg_c c using (values (1, null::text)) s(id, v) on c.id = s.id
  when not matched then insert values (s.id, s.v);
merge into mg_c c using (values (1, 'v', -1)) s(id, v, q) on c.id = s.id
  when not matched then insert values (s.id, s.v, s.q);
merge into mg_c c using (values (1, 'v', 1, 999)) s(id, v, q, p) on c.id = s.id
  when not matched then insert values (s.id, s.v, s.q, s.p);
merge into mg_c c using (values (1, 'v', 1, 1), (2, 'w', 2, 3)) s(id, v, q, p) on c.id = s.id
  when not matched then insert values (s.id, s.v, s.q, s.p);
merge into mg_c c using (values (1, 'v', 1, 1), (1, 'w', 2, 3)) s(id, v, q, p)
  on c.id = s.id + 100 when not matched then insert values (s.id, s.v, s.q, s.p);
merge into mg_c c using (values (2, 0)) s(id, q) on c.id = s.id
  when matched then update set q = s.q;
merge into mg_c c using (values (2, 999)) s(id, p) on c.id = s.id
  when matched then update set p = s.p;
merge into mg_t t using (values (1)) s(id) on t.id = s.id when matched then delete;
select * from mg_c order by id;
-- generated and identity columns
-- setup
create table mg_g (id int generated always as identity, k int unique, d int generated always as (k * 2) stored);
-- test
merge into mg_g g using (values (1), (2)) s(k) on g.k = s.k
  when not matched then insert (k) values (s.k);
merge into mg_g g using (values (2), (3)) s(k) on g.k = s.k
  when matched then update set k = s.k + 10
  when not matched then insert (k) values (s.k);
select * from mg_g order by id;
merge into mg_g g using (values (1)) s(k) on g.k = s.k
  when not matched then insert (id, k) values (5, s.k);
merge into mg_g g using (values (50)) s(k) on g.k = s.k
  when not matched then insert (id, k) overriding system value values (50, s.k);
merge into mg_g g using (values (1)) s(k) on g.k = s.k when matched then update set d = 1;
select * from mg_g order by id;
-- triggers
-- setup
create table mg_tt (id int primary key, v text);
create table mg_log (msg text);
insert into mg_tt values (1, 'a'), (2, 'b'), (4, 'd');
create function mg_logf() returns trigger language plpgsql as $$
begin
  insert into mg_log values (tg_when || ' ' || tg_op || ' ' || tg_level ||
    coalesce(' ' || case when tg_op = 'DELETE' then old::text else new::text end, ''));
  if tg_level = 'ROW' then
    if tg_op = 'DELETE' then return old; end if;
    if new.v = 'veto' then return null; end if;
    return new;
  end if;
  return null;
end $$;
create trigger mg_bs before insert or update or delete on mg_tt
  for each statement execute function mg_logf();
create trigger mg_as after insert or update or delete on mg_tt
  for each statement execute function mg_logf();
create trigger mg_br before insert or update or delete on mg_tt
  for each row execute function mg_logf();
create trigger mg_ar after insert or update or delete on mg_tt
  for each row execute function mg_logf();
-- test
merge into mg_tt t using (values (1, 'x'), (2, 'del'), (3, 'z'), (5, 'veto')) s(id, v)
  on t.id = s.id
  when matched and s.v = 'del' then delete
  when matched then update set v = s.v
  when not matched then insert values (s.id, s.v);
select * from mg_log order by msg;
select * from mg_tt order by id;
delete from mg_log;
merge into mg_tt t using (values (1, 'x')) s(id, v) on t.id = s.id
  when matched and s.v = 'nope' then delete;
select * from mg_log order by msg;
delete from mg_log;
merge into mg_tt t using (values (1, 'x')) s(id, v) on t.id = s.id
  when not matched then do nothing;
select count(*) from mg_log;
-- transactions
begin;
merge into mg_tt t using (values (1, 'in-txn'), (9, 'new')) s(id, v) on t.id = s.id
  when matched then update set v = s.v
  when not matched then insert values (s.id, s.v);
select id, v from mg_tt order by id;
rollback;
select id, v from mg_tt order by id;
begin;
merge into mg_tt t using (values (1, 'p'), (1, 'q')) s(id, v) on t.id = s.id
  when matched then update set v = s.v;
select 1;
rollback;
-- WITH, subqueries, joins as source
with src as (select id, v || '!' as v from mg_s)
merge into mg_t t using src on t.id = src.id
  when matched then update set v = src.v;
select * from mg_t order by id;
merge into mg_t t using (mg_s s join mg_c c on c.id = s.id) on t.id = s.id
  when matched then update set v = c.v;
merge into mg_t t using mg_s s on t.id = s.id
  when matched and exists (select 1 from mg_c where mg_c.id = t.id) then update set n = 77
  when matched then update set v = (select max(v) from mg_c);
select * from mg_t order by id;
merge into mg_t t using (select 100 as id) s on false
  when not matched then insert values (s.id, 'onfalse');
merge into mg_t t using (select 1 as id) s on true
  when matched and t.id > 9 then update set n = n + 1;
select * from mg_t order by id;
-- parameters in a prepared MERGE
prepare mg_p(int, text) as merge into mg_t t using (select $1 as id, $2 as v) s on t.id = s.id
  when matched then update set v = s.v when not matched then insert values (s.id, s.v);
execute mg_p(1, 'prep');
execute mg_p(200, 'prep-new');
select * from mg_t where v like 'prep%' order by id;
-- grammar of newer versions is refused as PostgreSQL 15 does
merge into mg_t t using mg_s s on t.id = s.id when not matched by source then delete;
-- setup
create materialized view mg_mv as select 1 as id;
create table mg_arr (id int primary key, a int[], r text);
create schema mg_sch;
create table mg_sch.tq (id int primary key, v text default 'dq');
create table mg_par (id int primary key);
create table mg_chi (id int primary key, pid int references mg_par on delete cascade);
insert into mg_par values (1), (2);
insert into mg_chi values (10, 1), (20, 2);
-- test
merge into mg_mv m using mg_s s on m.id = s.id when matched then delete;
merge into mg_arr t using (values (1, 5), (2, 6)) s(id, x) on t.id = s.id
  when not matched then insert (id, a[2], r) values (s.id, s.x, 'new');
merge into mg_arr t using (values (1, 7)) s(id, x) on t.id = s.id
  when matched then update set a[1] = s.x, r = r || '!';
select * from mg_arr order by id;
merge into mg_arr t using (values (2, 'multi', 9)) s(id, w, k) on t.id = s.id
  when matched then update set (r, a) = (s.w, array[s.k]);
select * from mg_arr order by id;
merge into mg_sch.tq using (values (1), (2)) s(id) on tq.id = s.id
  when not matched and s.id = 1 then insert (id) values (s.id)
  when not matched then insert values (s.id, 'two');
merge into mg_sch.tq q using (values (1)) s(id) on q.id = s.id
  when matched then update set v = default;
select * from mg_sch.tq order by id;
merge into mg_par p using (values (1)) s(id) on p.id = s.id when matched then delete;
select * from mg_chi order by id;
merge into mg_t t using (values (1)) s(id) on s.id = 1 and t.id in (2, 3)
  when matched then update set n = 1000;
select * from mg_t where n = 1000 order by id;
merge into mg_t t using (select null::int as id) s on t.id = s.id
  when matched then delete when not matched then do nothing;
merge into mg_t t using (values (300, 'a'), (300, 'b')) s(id, v) on t.id = s.id
  when not matched then insert values (s.id, s.v);
-- MERGE inside PL/pgSQL
-- setup
create function mg_fn(k int, w text) returns text language plpgsql as $$
declare n int;
begin
  merge into mg_t t using (select k as id, w as v) s on t.id = s.id
    when matched then update set v = s.v
    when not matched then insert values (s.id, s.v);
  get diagnostics n = row_count;
  return n::text || ' ' || found::text;
end $$;
-- test
select mg_fn(1, 'fn-upd');
select mg_fn(400, 'fn-ins');
select * from mg_t where v like 'fn%' order by id;
merge into mg_t t using mg_s s on t.id = s.id when matched then update set v = s.v returning *;
-- partitioned targets: rows routed to partitions, updates moving rows between them
-- setup
create table mg_pt (id int, grp int, v text) partition by list (grp);
create table mg_pt1 partition of mg_pt for values in (1);
create table mg_pt2 partition of mg_pt for values in (2);
insert into mg_pt values (1, 1, 'a'), (2, 2, 'b'), (3, 1, 'c');
create sequence mg_seq;
-- test
merge into mg_pt t using (values (1, 2), (2, 2), (4, 1), (5, 3)) s(id, g) on t.id = s.id
  when matched and t.grp <> s.g then update set grp = s.g, v = t.v || '-moved'
  when matched then delete
  when not matched and s.g < 3 then insert values (s.id, s.g, 'new');
select 'p1' as part, * from mg_pt1 union all select 'p2', * from mg_pt2 order by id;
merge into mg_pt t using (values (9, 3)) s(id, g) on t.id = s.id
  when not matched then insert values (s.id, s.g, 'nowhere');
merge into mg_pt1 t using (values (3)) s(id) on t.id = s.id
  when matched then update set grp = 2;
merge into mg_seq q using (values (1)) s(id) on true when matched then delete;
merge into mg_t t using (values (500)) s(id) on t.id = s.id
  when not matched then insert values (nextval('mg_seq') + 999, 'seq');
select * from mg_t where v = 'seq';
-- privileges: the actions' privileges on the target, SELECT where columns are read
-- setup
create table mg_pv (id int primary key, v text);
create table mg_pvs (id int, v text);
create role mg_role;
grant select on mg_pvs to mg_role;
grant insert, update on mg_pv to mg_role;
-- test
set role mg_role;
merge into mg_pv t using mg_pvs s on t.id = s.id when matched then update set v = s.v;
merge into mg_pv t using mg_pvs s on t.id = s.id when not matched then insert values (s.id, s.v);
reset role;
grant select on mg_pv to mg_role;
set role mg_role;
merge into mg_pv t using mg_pvs s on t.id = s.id when matched then update set v = s.v;
merge into mg_pv t using mg_pvs s on t.id = s.id when matched then delete;
reset role;
revoke select on mg_pvs from mg_role;
set role mg_role;
merge into mg_pv t using mg_pvs s on t.id = s.id when matched then update set v = s.v;
reset role;
-- read-only transactions and savepoints
begin read only;
merge into mg_tt t using (values (1, 'ro')) s(id, v) on t.id = s.id
  when matched then update set v = s.v;
rollback;
begin;
savepoint mg_sp;
merge into mg_tt t using (values (1, 'sp'), (70, 'sp')) s(id, v) on t.id = s.id
  when matched then update set v = s.v when not matched then insert values (s.id, s.v);
select id, v from mg_tt order by id;
rollback to savepoint mg_sp;
merge into mg_tt t using (values (2, 'after')) s(id, v) on t.id = s.id
  when not matched then insert values (s.id, s.v);
commit;
select id, v from mg_tt order by id;
-- self-merge and a target row joined by a source row that DO NOTHING skips
merge into mg_t t using mg_t s on t.id = s.id + 1
  when matched and s.v is null then do nothing
  when matched then update set n = s.n;
select * from mg_t order by id;
