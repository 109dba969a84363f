-- PL/pgSQL and triggers sweep: GET STACKED DIAGNOSTICS, RAISE … USING, FOUND / ROW_COUNT,
-- EXECUTE … INTO STRICT … USING, %ROWTYPE / %TYPE, RETURN NEXT with OUT parameters,
-- FOREACH … SLICE, ALIAS FOR, labels, RETURN QUERY type checks, jsonb element assignment;
-- triggers: TG_* variables, firing order by name, statement triggers, ENABLE / DISABLE,
-- UPDATE OF columns, TRUNCATE triggers, errors of trigger definitions; procedures: CALL
-- (also inside bodies), COMMIT / ROLLBACK in atomic contexts (2D000).
-- setup
create table plta_acct (id int primary key, owner text, bal numeric default 0);
insert into plta_acct values (1, 'ann', 100), (2, 'bob', 50), (3, 'cy', 0);
create table plta_audit (seq serial, what text);
create table pltb_main (id int primary key, v text, n int default 0);
create table pltb_log (seq serial, info text);
create table pltc_t (a int, b text);
create table pltp_t (a int, b text);
create table plte_t (id int primary key, v text, n numeric);
insert into plte_t values (1, 'a', 1.5), (2, 'b', 2.5), (3, 'c', null);
create type plte_pair as (x int, y text);
-- test
create function plta_diag(x int) returns text language plpgsql as $$
declare
  st text; msg text; det text; hnt text; ctx text; tbl text; col text; cons text; sch text;
begin
  if x = 1 then
    perform 1 / 0;
  elsif x = 2 then
    raise exception 'custom %', x using errcode = '22012', detail = 'dd', hint = 'hh';
  elsif x = 3 then
    insert into plta_acct values (1, 'dup');
  elsif x = 4 then
    raise exception using message = 'only msg', errcode = 'unique_violation';
  elsif x = 5 then
    raise sqlstate 'P1234' using message = 'odd state';
  elsif x = 6 then
    raise division_by_zero;
  elsif x = 7 then
    insert into plta_acct (id, owner) values (null, 'x');
  end if;
  return 'none';
exception when others then
  get stacked diagnostics st = returned_sqlstate, msg = message_text, det = pg_exception_detail,
    hnt = pg_exception_hint, tbl = table_name, col = column_name, cons = constraint_name,
    sch = schema_name;
  return st || '|' || msg || '|' || coalesce(det, '') || '|' || coalesce(hnt, '') || '|'
    || coalesce(tbl, '') || '|' || coalesce(col, '') || '|' || coalesce(cons, '') || '|' || coalesce(sch,'');
end $$;
select x, plta_diag(x) from generate_series(1, 7) x order by x;
create function plta_sqlerrm(x int) returns text language plpgsql as $$
begin
  perform x / 0;
  return 'x';
exception
  when division_by_zero or unique_violation then return 'caught ' || sqlstate || ' ' || sqlerrm;
end $$;
select plta_sqlerrm(3);
create function plta_raise_opts() returns int language plpgsql as $$
begin
  raise exception 'E1' using errcode = 'check_violation', column = 'c1', constraint = 'k1',
    datatype = 'int4', table = 't1', schema = 's1';
end $$;
select plta_raise_opts();
do $$ begin raise exception 'x' using foo = 'bar'; end $$;
do $$ begin raise exception 'x' using message = 'y'; end $$;
do $$ begin raise 'too % many', 1, 2; end $$;
do $$ begin raise 'too % few %', 1; end $$;
do $$ begin raise exception '%% literal %', 5; end $$;
create function plta_found() returns text language plpgsql as $$
declare n int; r text := '';
begin
  update plta_acct set bal = bal where id > 100;
  r := r || found::text;
  get diagnostics n = row_count;
  r := r || n;
  update plta_acct set bal = bal where id < 3;
  get diagnostics n = row_count;
  r := r || found::text || n;
  perform * from plta_acct where id = 99;
  r := r || found::text;
  for i in 1..0 loop end loop;
  r := r || found::text;
  for i in 1..2 loop end loop;
  r := r || found::text;
  execute 'update plta_acct set bal = bal';
  get diagnostics n = row_count;
  r := r || found::text || n;
  return r;
end $$;
select plta_found();
create function plta_exec_using(k int, nm text) returns text language plpgsql as $$
declare o text; b numeric; c int;
begin
  execute 'select owner, bal from plta_acct where id = $1' into o, b using k;
  execute format('select count(*) from %I where owner <> %L', 'plta_acct', nm) into c;
  return o || b || c;
end $$;
select plta_exec_using(1, 'bob');
create function plta_exec_strict(k int) returns text language plpgsql as $$
declare o text;
begin
  execute 'select owner from plta_acct where id > $1' into strict o using k;
  return o;
end $$;
select plta_exec_strict(0);
select plta_exec_strict(2);
select plta_exec_strict(5);
create function plta_strict(k int) returns text language plpgsql as $$
declare o text;
begin
  select owner into strict o from plta_acct where id > k;
  return o;
end $$;
select plta_strict(0);
select plta_strict(5);
select plta_strict(2);
create function plta_rowtype_ret(k int) returns plta_acct language plpgsql as $$
declare r plta_acct;
begin
  select * into r from plta_acct where id = k;
  return r;
end $$;
select * from plta_rowtype_ret(2);
select (plta_rowtype_ret(1)).owner;
create function plta_setof_next() returns setof plta_acct language plpgsql as $$
declare r plta_acct;
begin
  for r in select * from plta_acct order by id desc loop
    r.bal := r.bal + 1;
    return next r;
  end loop;
  return query select * from plta_acct where id = 1;
  return;
end $$;
select * from plta_setof_next();
create function plta_out_multi(a int, out s int, out p int) returns setof record language plpgsql as $$
begin
  for i in 1..a loop
    s := i + i; p := i * i;
    return next;
  end loop;
end $$;
select * from plta_out_multi(3);
create function plta_table_fn(n int) returns table (k int, sq int) language plpgsql as $$
begin
  return query select g, g*g from generate_series(1, n) g;
  return query execute 'select $1, $1 * 100' using n;
end $$;
select * from plta_table_fn(2);
create function plta_inout2(inout a int, inout b text) language plpgsql as $$
begin
  a := a + 1; b := b || '!';
end $$;
select * from plta_inout2(1, 'hi');
select plta_inout2(5, 'x');
create function plta_loop_labels() returns text language plpgsql as $$
declare r text := ''; 
begin
  <<outer>>
  for i in 1..3 loop
    for j in 1..3 loop
      continue outer when j = 2;
      exit outer when i = 3;
      r := r || i || j || ',';
    end loop;
  end loop;
  for i in reverse 10..1 by 3 loop r := r || i; end loop;
  <<blk>>
  begin
    r := r || 'a';
    exit blk;
    r := r || 'b';
  end;
  return r;
end $$;
select plta_loop_labels();
create function plta_foreach() returns text language plpgsql as $$
declare r text := ''; x int; a int[];
begin
  foreach x in array array[[1,2],[3,4]] loop r := r || x; end loop;
  foreach a slice 1 in array array[[1,2],[3,4]] loop r := r || a::text; end loop;
  return r;
end $$;
select plta_foreach();
create function plta_loop_query() returns text language plpgsql as $$
declare r record; s text := ''; n int;
begin
  for r in select id, owner from plta_acct order by id loop
    s := s || r.owner;
  end loop;
  for r in execute 'select id from plta_acct where id > $1 order by id' using 1 loop
    s := s || r.id;
  end loop;
  for n in select id from plta_acct order by id loop s := s || n; end loop;
  while n > 0 loop n := n - 1; end loop;
  return s || n;
end $$;
select plta_loop_query();
create function plta_nested_exc() returns text language plpgsql as $$
declare r text := '';
begin
  begin
    insert into plta_audit (what) values ('inner');
    raise exception 'boom';
  exception when raise_exception then
    r := r || 'caught:' || sqlerrm;
  end;
  begin
    begin
      perform 1/0;
    exception when unique_violation then r := r || 'no';
    end;
  exception when sqlstate '22012' then r := r || ' outer';
  end;
  return r || (select count(*) from plta_audit where what = 'inner');
end $$;
select plta_nested_exc();
create function plta_context() returns text language plpgsql as $$
declare c text;
begin
  get diagnostics c = pg_context;
  return c;
end $$;
select plta_context();
create function plta_assign_types() returns text language plpgsql as $$
declare a int := 3.7; b numeric(5,2) := 1.005; c varchar(3) := 'abc'; d text;
begin
  d := a || ' ' || b || ' ' || c;
  return d;
end $$;
select plta_assign_types();
create function plta_varchar_over() returns text language plpgsql as $$
declare c varchar(3);
begin c := 'abcdef'; return c; end $$;
select plta_varchar_over();
create function plta_case_search(x int) returns text language plpgsql as $$
begin
  case
    when x < 0 then return 'neg';
    when x > 0 then return 'pos';
  end case;
end $$;
select plta_case_search(1), plta_case_search(-1);
select plta_case_search(0);
create function plta_return_void() returns void language plpgsql as $$ begin perform 1; end $$;
select plta_return_void();
select * from plta_return_void();
create function plta_getdiag_rowcount_select() returns int language plpgsql as $$
declare n int;
begin
  perform * from plta_acct;
  get diagnostics n = row_count;
  return n;
end $$;
select plta_getdiag_rowcount_select();
create function plta_alias(int) returns int language plpgsql as $$
declare v alias for $1;
begin return v * 2 + $1; end $$;
select plta_alias(4);
create function plta_const() returns int language plpgsql as $$
declare c constant int := 5;
begin c := 6; return c; end $$;
create function plta_notnull_decl() returns int language plpgsql as $$
declare c int not null := 1;
begin c := null; return c; end $$;
select plta_notnull_decl();
create function pltb_log_fn() returns trigger language plpgsql as $$
begin
  insert into pltb_log (info) values (tg_name || ' ' || tg_when || ' ' || tg_level || ' ' || tg_op
    || ' ' || tg_table_name || ' ' || tg_table_schema || ' ' || tg_relname || ' ' || tg_nargs
    || ' ' || coalesce(array_to_string(tg_argv, ','), '-')
    || ' ' || (tg_relid = 'pltb_main'::regclass)::text);
  if tg_level = 'ROW' then
    if tg_op = 'DELETE' then return old; end if;
    return new;
  end if;
  return null;
end $$;
create trigger pltb_z before insert on pltb_main for each row execute function pltb_log_fn('z', 'q');
create trigger pltb_a before insert on pltb_main for each row execute function pltb_log_fn('a');
create trigger pltb_m after insert on pltb_main for each row execute function pltb_log_fn();
create trigger pltb_s_before before insert or update on pltb_main for each statement execute function pltb_log_fn();
create trigger pltb_s_after after insert or update on pltb_main execute function pltb_log_fn();
insert into pltb_main values (1, 'a'), (2, 'b');
select info from pltb_log order by seq;
truncate pltb_log;
update pltb_main set n = 1 where id = 99;
select info from pltb_log order by seq;
truncate pltb_log;
alter table pltb_main disable trigger pltb_z;
insert into pltb_main values (3, 'c');
select info from pltb_log order by seq;
truncate pltb_log;
alter table pltb_main disable trigger all;
insert into pltb_main values (4, 'd');
select count(*) from pltb_log;
alter table pltb_main enable trigger all;
alter table pltb_main disable trigger user;
alter table pltb_main enable trigger user;
alter table pltb_main enable trigger pltb_z;
alter table pltb_main disable trigger nosuch;
select tgname, tgenabled, tgtype, tgnargs, tgisinternal from pg_trigger where tgrelid = 'pltb_main'::regclass order by tgname;
select event_object_table, trigger_name, event_manipulation, action_timing, action_orientation from information_schema.triggers where event_object_table = 'pltb_main' order by trigger_name, event_manipulation;
select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'pltb_main'::regclass order by tgname;
drop trigger pltb_z on pltb_main;
drop trigger pltb_a on pltb_main;
drop trigger pltb_m on pltb_main;
drop trigger pltb_s_before on pltb_main;
drop trigger pltb_s_after on pltb_main;
-- update of columns
create table pltb_cols (id int primary key, a int, b int);
create function pltb_cols_fn() returns trigger language plpgsql as $$
begin insert into pltb_log (info) values ('cols ' || new.id); return new; end $$;
create trigger pltb_cols_t before update of a on pltb_cols for each row execute function pltb_cols_fn();
insert into pltb_cols values (1, 1, 1);
truncate pltb_log;
update pltb_cols set b = 2;
update pltb_cols set a = 2;
update pltb_cols set a = a, b = 3;
select info from pltb_log order by seq;
-- transition tables
create table pltb_tt (id int, v int);
truncate pltb_log;
insert into pltb_tt select g, g * 10 from generate_series(1, 5) g;
update pltb_tt set v = v + 1 where id <= 3;
delete from pltb_tt where id > 3;
select info from pltb_log order by seq;
create trigger pltb_tt_bad before insert on pltb_tt referencing new table as nt for each row execute function pltb_tt_fn();
-- instead of on views
create view pltb_view as select id, v from pltb_main;
-- return value semantics and errors
create table pltb_ret (id int, v text);
create function pltb_ret_fn() returns trigger language plpgsql as $$
begin
  if new.id = 1 then return null; end if;
  if new.id = 2 then new.v := 'changed'; return new; end if;
  if new.id = 3 then raise exception 'rejected %', new.id using errcode = '23514'; end if;
  return new;
end $$;
create trigger pltb_ret_t before insert on pltb_ret for each row execute function pltb_ret_fn();
insert into pltb_ret values (1, 'a'), (2, 'b'), (4, 'd');
select * from pltb_ret order by id;
insert into pltb_ret values (3, 'c');
with w as (insert into pltb_ret values (5, 'e') returning *) select * from w;
create function pltb_not_trigger() returns trigger language plpgsql as $$ begin return new; end $$;
select pltb_not_trigger();
-- after trigger sees final data
create table pltb_parent (id int primary key, total int default 0);
create table pltb_child (pid int, amt int);
create function pltb_sum_fn() returns trigger language plpgsql as $$
begin
  update pltb_parent set total = (select coalesce(sum(amt), 0) from pltb_child where pid = coalesce(new.pid, old.pid))
    where id = coalesce(new.pid, old.pid);
  return null;
end $$;
create trigger pltb_sum after insert or update or delete on pltb_child for each row execute function pltb_sum_fn();
insert into pltb_parent values (1), (2);
insert into pltb_child values (1, 10), (1, 5), (2, 7);
delete from pltb_child where amt = 5;
select * from pltb_parent order by id;
-- truncate trigger
create trigger pltb_trunc after truncate on pltb_child for each statement execute function pltb_log_fn();
truncate pltb_log;
truncate pltb_child;
select info from pltb_log order by seq;
create trigger pltb_trunc_row after truncate on pltb_child for each row execute function pltb_log_fn();
-- create or replace trigger
create or replace trigger pltb_trunc after truncate on pltb_child for each statement execute function pltb_log_fn('r');
alter trigger pltb_trunc on pltb_child rename to pltb_trunc2;
select tgname from pg_trigger where tgrelid = 'pltb_child'::regclass;
drop table pltb_child;
select count(*) from pg_trigger where tgname like 'pltb_trunc%';
drop function pltb_log_fn();
select * from pltc_t order by a;
create procedure pltc_tx() language plpgsql as $$
begin
  for i in 10..13 loop
    insert into pltc_t values (i, 'tx');
    if i % 2 = 0 then commit; else rollback; end if;
  end loop;
end $$;
begin;
call pltc_tx();
rollback;
select count(*) from pltc_t where b = 'sql';
create function pltc_fn_commit() returns int language plpgsql as $$ begin commit; return 1; end $$;
select pltc_fn_commit();
select proname, prokind from pg_proc where proname like 'pltc\_%' order by proname;
select count(*) from pltc_t where b = 'sql';
begin;
do $$ begin commit; end $$;
rollback;
create table pltd_t (id int primary key, a int, b int, c int);
create function pltd_fn() returns trigger language plpgsql as $$
begin
  insert into pltb_log (info) values (tg_name || ':' || tg_op || ':' || (tg_argv is null)::text);
  return null;
end $$;
create trigger pltd_of after update of b, c on pltd_t for each row execute function pltd_fn();
create trigger pltd_tr before truncate on pltd_t execute function pltd_fn('x');
create trigger pltd_bad after update of nosuch on pltd_t for each row execute function pltd_fn();
select tgname, tgtype, tgattr::text, tgnargs from pg_trigger where tgrelid = 'pltd_t'::regclass order by tgname;
select pg_get_triggerdef(oid) from pg_trigger where tgrelid = 'pltd_t'::regclass order by tgname;
select pg_get_triggerdef(oid, true) from pg_trigger where tgrelid = 'pltd_t'::regclass order by tgname;
truncate pltb_log;
insert into pltd_t values (1, 1, 1, 1), (2, 2, 2, 2);
update pltd_t set a = 5;
update pltd_t set c = c + 1 where id = 1;
update pltd_t set a = 0, b = b;
truncate pltd_t;
select info from pltb_log order by seq;
create view pltd_v as select * from pltd_t;
create trigger pltd_vt after truncate on pltd_v execute function pltd_fn();
create trigger pltd_io instead of update on pltd_v execute function pltd_fn();
create trigger pltd_iw instead of update on pltd_v for each row when (old.a > 0) execute function pltd_fn();
create procedure pltp_leaf(x int, y text) language plpgsql as $$
begin insert into pltp_t values (x, y); end $$;
create procedure pltp_mid(n int) language plpgsql as $$
declare lbl text := 'mid';
begin
  for i in 1..n loop
    call pltp_leaf(i * 10, lbl || i);
  end loop;
  call pltp_leaf(n, 'lit');
  call public.pltp_leaf(n + 100, 'qualified');
end $$;
call pltp_mid(3);
select * from pltp_t order by a;
create function pltp_fn() returns int language plpgsql as $$ begin call pltp_leaf(7, 'from fn'); return 1; end $$;
select pltp_fn();
select * from pltp_t where a = 7;
do $$ begin call pltp_leaf(8, 'from do'); end $$;
do $$ begin call pltp_nosuch(1); end $$;
do $$ begin call pltp_leaf(1); end $$;
do $$ begin call pltp_fn(); end $$;
do $$
begin
  begin
    call pltp_leaf(9, 'rolled back');
    raise exception 'x';
  exception when others then null;
  end;
end $$;
select count(*) from pltp_t where a in (8, 9);
create function plte_rec_assign() returns text language plpgsql as $$
declare r plte_t; p plte_pair; a int[] := '{1,2,3}'; j jsonb := '{"k": 1}';
begin
  r.id := 10; r.v := 'ten';
  p := row(1, 'one');
  p.y := p.y || '!';
  a[2] := 20; a[5] := 50;
  j['k'] := '2';
  return r::text || p::text || a::text || j::text;
end $$;
select plte_rec_assign();
create function plte_ctx_inner() returns int language plpgsql as $$
begin raise exception 'inner failed' using hint = 'fix it'; end $$;
create function plte_ctx_outer() returns text language plpgsql as $$
declare c text; m text;
begin
  perform plte_ctx_inner();
  return 'no';
exception when others then
  get stacked diagnostics c = pg_exception_context, m = message_text;
  return m || ' / ' || c;
end $$;
select plte_ctx_outer();
create function plte_ret_query_exec(tbl text) returns setof plte_t language plpgsql as $$
begin
  return query execute format('select * from %I where id > $1 order by id', tbl) using 1;
end $$;
select * from plte_ret_query_exec('plte_t');
create function plte_ret_mismatch() returns table (a int, b int) language plpgsql as $$
begin return query select id, v from plte_t; end $$;
select * from plte_ret_mismatch();
create function plte_sqlerrm_outside() returns text language plpgsql as $$
begin return sqlerrm; end $$;
create function plte_bigloop() returns bigint language plpgsql as $$
declare s bigint := 0;
begin
  for i in 2147483640..2147483647 loop s := s + 1; end loop;
  return s;
end $$;
select plte_bigloop();
create function plte_while_continue() returns text language plpgsql as $$
declare i int := 0; s text := '';
begin
  while i < 6 loop
    i := i + 1;
    continue when i % 2 = 0;
    s := s || i;
  end loop;
  loop
    i := i - 1;
    if i < 3 then exit; end if;
  end loop;
  return s || ':' || i;
end $$;
select plte_while_continue();
create function plte_into_multi() returns text language plpgsql as $$
declare a int; b text; c numeric;
begin
  select id, v into a, b from plte_t where id = 2;
  select id, v, n into a from plte_t where id = 1;
  return a || b;
end $$;
select plte_into_multi();
create function plte_into_record_none() returns text language plpgsql as $$
declare r record;
begin
  select * into r from plte_t where id = 99;
  return coalesce(r.v, 'null') || found::text;
end $$;
select plte_into_record_none();
create function plte_exc_data() returns text language plpgsql as $$
declare x int;
begin
  x := 'abc';
  return 'x';
exception when invalid_text_representation then return 'bad: ' || sqlstate;
end $$;
select plte_exc_data();
create function plte_exc_overflow() returns text language plpgsql as $$
declare x smallint;
begin
  x := 40000;
  return 'x';
exception when numeric_value_out_of_range then return 'range: ' || sqlerrm;
end $$;
select plte_exc_overflow();
create function plte_dyn_ddl(t text) returns int language plpgsql as $$
declare n int;
begin
  execute format('insert into %I values ($1, $2, $3)', t) using 4, 'd', 4.5;
  get diagnostics n = row_count;
  execute 'delete from plte_t where id = $1' using 4;
  return n;
end $$;
select plte_dyn_ddl('plte_t');
create function plte_nested_block_vars() returns text language plpgsql as $$
<<outer>>
declare x int := 1;
begin
  declare x int := 2;
  begin
    return outer.x || x;
  end;
end $$;
select plte_nested_block_vars();
create function plte_raise_levels() returns int language plpgsql as $$
begin
  raise info 'info %', 1;
  raise warning 'warn %', 2;
  raise notice using message = 'notice via using';
  return 1;
end $$;
select plte_raise_levels();
create function plte_assert() returns int language plpgsql as $$
begin assert 1 = 2, 'custom assert'; return 1; end $$;
select plte_assert();
create function plte_exc_assert() returns text language plpgsql as $$
begin assert false; return 'x';
exception when assert_failure then return 'caught assert'; end $$;
select plte_exc_assert();
create function pltf_json() returns text language plpgsql as $$
declare j jsonb := '{"k": 1}'; a jsonb := '[1, 2]'; n jsonb; i int := 1;
begin
  j['k'] := '2';
  j['new'] := '"s"';
  j['o']['p'] := 'true';
  a[i] := '5';
  a[4] := '9';
  n['x'] := '1';
  return j::text || ' ' || a::text || ' ' || n::text;
end $$;
select pltf_json();
create function pltf_json_num() returns text language plpgsql as $$
declare j jsonb := '{}';
begin
  j['a'] := to_jsonb(42);
  j['b'] := 'null';
  return j::text;
end $$;
select pltf_json_num();
