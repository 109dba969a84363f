-- PL/pgSQL: CREATE FUNCTION … LANGUAGE plpgsql and DO blocks: declarations, control flow,
-- loops, SELECT INTO [STRICT], PERFORM, EXECUTE, RETURN NEXT / QUERY, OUT parameters, RAISE,
-- EXCEPTION handlers with rollback of the block's writes, GET DIAGNOSTICS, errors.
-- setup
create table pl_items (id int primary key, name text not null, price numeric);
insert into pl_items values (1, 'pen', 1.50), (2, 'book', 12.00), (3, 'cup', 4.25);
create table pl_log (n int, msg text);
-- test
create function pl_add(a int, b int) returns int language plpgsql as $$
begin
  return a + b;
end $$;
select pl_add(1, 2), pl_add(null, 2), pl_add(b => 10, a => 1);
create function pl_fact(n int) returns bigint language plpgsql immutable as $$
declare
  result bigint := 1;
begin
  for i in 2..n loop
    result := result * i;
  end loop;
  return result;
end $$;
select pl_fact(0), pl_fact(5), pl_fact(20);
create function pl_classify(x int) returns text language plpgsql as $$
begin
  if x is null then
    return 'null';
  elsif x < 0 then
    return 'negative';
  elsif x = 0 then
    return 'zero';
  else
    return 'positive';
  end if;
end $$;
select x, pl_classify(x) from (values (-5), (0), (7), (null)) v(x) order by x nulls first;
create function pl_case(x int) returns text language plpgsql as $$
begin
  case x
    when 1, 2 then return 'small';
    when 3 then return 'three';
    else return 'other';
  end case;
end $$;
select pl_case(1), pl_case(3), pl_case(9);
create function pl_case_nomatch(x int) returns text language plpgsql as $$
begin
  case when x > 10 then return 'big'; end case;
  return 'unreachable';
end $$;
select pl_case_nomatch(50);
select pl_case_nomatch(1);
create function pl_loops() returns text language plpgsql as $$
declare
  s text := '';
  i int := 0;
begin
  loop
    i := i + 1;
    exit when i > 10;
    continue when i % 2 = 0;
    s := s || i || ',';
  end loop;
  while i > 0 loop
    i := i - 3;
  end loop;
  s := s || ' w=' || i;
  for j in reverse 10..1 by 4 loop
    s := s || ' r' || j;
  end loop;
  <<outer>>
  for a in 1..3 loop
    for b in 1..3 loop
      exit outer when a * b = 4;
      continue outer when b = 2;
      s := s || ' ' || a || b;
    end loop;
  end loop;
  return s;
end $$;
select pl_loops();
create function pl_foreach(arr int[]) returns int language plpgsql as $$
declare
  total int := 0;
  v int;
begin
  foreach v in array arr loop
    total := total + coalesce(v, 100);
  end loop;
  return total;
end $$;
select pl_foreach(array[1, 2, 3]), pl_foreach(array[[1, 2], [3, null]]), pl_foreach('{}');
select pl_foreach(null);
create function pl_price(item int) returns numeric language plpgsql stable as $$
declare
  p numeric;
begin
  select price into p from pl_items where id = item;
  if not found then
    return -1;
  end if;
  return p;
end $$;
select pl_price(2), pl_price(99);
select name, pl_price(id) from pl_items where pl_price(id) > 2 order by id;
create function pl_strict(item int) returns text language plpgsql as $$
declare
  n text;
begin
  select name into strict n from pl_items where id = item or item = 0;
  return n;
end $$;
select pl_strict(1);
select pl_strict(99);
select pl_strict(0);
create function pl_record(item int) returns text language plpgsql as $$
declare
  r record;
  row_ pl_items%rowtype;
begin
  select * into r from pl_items where id = item;
  select * into row_ from pl_items where id = item + 1;
  return r.name || ':' || r.price || ' next ' || coalesce(row_.name, '-');
end $$;
select pl_record(1), pl_record(3);
create function pl_insert(cnt int) returns int language plpgsql as $$
declare
  c int;
begin
  for i in 1..cnt loop
    insert into pl_log values (i, 'row ' || i);
  end loop;
  update pl_log set msg = msg || '!' where n % 2 = 0;
  get diagnostics c = row_count;
  return c;
end $$;
select pl_insert(5);
select * from pl_log order by n;
create function pl_returning() returns int language plpgsql as $$
declare
  v int;
begin
  insert into pl_log values (100, 'returned') returning n into v;
  return v;
end $$;
select pl_returning();
create function pl_many_returning() returns int language plpgsql as $$
declare
  v int;
begin
  update pl_log set msg = msg where n < 100 returning n into v;
  return v;
end $$;
select pl_many_returning();
create function pl_series(lo int, hi int) returns setof int language plpgsql as $$
begin
  for i in lo..hi loop
    return next i * 10;
  end loop;
  return query select id from pl_items where id <= lo order by id;
  return;
end $$;
select * from pl_series(1, 3);
select pl_series(2, 3);
select s.x from pl_series(1, 2) as s(x) order by x;
create function pl_table(minprice numeric) returns table (item text, cost numeric) language plpgsql as $$
begin
  return query select name, price from pl_items where price >= minprice order by id;
  item := 'extra';
  cost := 0;
  return next;
end $$;
select * from pl_table(4);
create function pl_out(a int, out doubled int, out label text) language plpgsql as $$
begin
  doubled := a * 2;
  label := 'v' || a;
end $$;
select * from pl_out(21);
select pl_out(5)::text;
select (pl_out(5)).label;
create function pl_inout(inout x int) language plpgsql as $$
begin
  x := x + 1;
end $$;
select pl_inout(41);
create function pl_rows() returns setof pl_items language plpgsql as $$
declare
  r pl_items%rowtype;
begin
  for r in select * from pl_items order by id desc loop
    return next r;
  end loop;
end $$;
select * from pl_rows();
create function pl_dynamic(col text, k int) returns text language plpgsql as $$
declare
  v text;
begin
  execute 'select ' || quote_ident(col) || '::text from pl_items where id = $1' into v using k;
  return v;
end $$;
select pl_dynamic('name', 2), pl_dynamic('price', 3);
create function pl_dynloop() returns text language plpgsql as $$
declare
  r record;
  s text := '';
begin
  for r in execute 'select id, name from pl_items where id > $1 order by id' using 1 loop
    s := s || r.id || r.name;
  end loop;
  return s;
end $$;
select pl_dynloop();
create function pl_raise(kind int) returns int language plpgsql as $$
begin
  if kind = 1 then
    raise exception 'custom failure % and %', kind, 'x';
  elsif kind = 2 then
    raise exception using errcode = 'unique_violation', message = 'dup here', detail = 'd';
  elsif kind = 3 then
    raise sqlstate '22012';
  elsif kind = 4 then
    raise division_by_zero;
  elsif kind = 5 then
    raise 'plain % %%', 'message';
  end if;
  raise notice 'kind % is fine', kind;
  return kind;
end $$;
select pl_raise(1);
select pl_raise(2);
select pl_raise(3);
select pl_raise(4);
select pl_raise(5);
select pl_raise(6);
create function pl_catch(x int) returns text language plpgsql as $$
declare
  msg text;
  st text;
begin
  begin
    insert into pl_log values (x, 'inside');
    perform 10 / x;
    return 'ok';
  exception
    when division_by_zero or numeric_value_out_of_range then
      return 'caught ' || sqlstate || ' ' || sqlerrm;
    when others then
      get stacked diagnostics msg = message_text, st = returned_sqlstate;
      return 'other ' || st || ' ' || msg;
  end;
end $$;
select pl_catch(0);
select pl_catch(5);
select count(*) from pl_log where msg = 'inside';
create function pl_nested_catch() returns text language plpgsql as $$
begin
  begin
    raise exception 'inner' using errcode = 'P0001';
  exception when sqlstate 'P0001' then
    begin
      raise exception 'second';
    exception when raise_exception then
      return 'handled ' || sqlerrm;
    end;
  end;
end $$;
select pl_nested_catch();
create function pl_reraise() returns int language plpgsql as $$
begin
  perform 1 / 0;
exception when others then
  raise;
end $$;
select pl_reraise();
create function pl_noreturn() returns int language plpgsql as $$
begin
  perform 1;
end $$;
select pl_noreturn();
create function pl_assert(x int) returns int language plpgsql as $$
begin
  assert x > 0, 'x must be positive';
  assert x < 100;
  return x;
end $$;
select pl_assert(5);
select pl_assert(-1);
select pl_assert(500);
create function pl_nodest() returns int language plpgsql as $$
begin
  select 1;
  return 1;
end $$;
select pl_nodest();
create function pl_notnull() returns int language plpgsql as $$
declare
  x int not null := 1;
begin
  x := null;
  return x;
end $$;
select pl_notnull();
create function pl_convert() returns text language plpgsql as $$
declare
  i int;
  n numeric(6, 2);
  t text;
  b boolean;
begin
  i := 7.6;
  n := 3.14159;
  t := 42;
  b := 'yes';
  return i || ' ' || n || ' ' || t || ' ' || b::text;
end $$;
select pl_convert();
create function pl_badconvert() returns int language plpgsql as $$
declare
  i int;
begin
  i := 'abc';
  return i;
end $$;
select pl_badconvert();
create function pl_arrays() returns int[] language plpgsql as $$
declare
  a int[] := '{}';
begin
  for i in 1..4 loop
    a[i] := i * i;
  end loop;
  a := a || 100;
  return a;
end $$;
select pl_arrays();
create function pl_calls(n int) returns int language plpgsql as $$
begin
  if n <= 1 then
    return 1;
  end if;
  return n * pl_calls(n - 1);
end $$;
select pl_calls(6);
create function pl_volatile_count() returns bigint language plpgsql as $$
begin
  insert into pl_log values (500, 'v');
  return (select count(*) from pl_log where n = 500);
end $$;
select pl_volatile_count();
select pl_volatile_count();
create function pl_stable_write() returns int language plpgsql stable as $$
begin
  insert into pl_log values (600, 's');
  return 1;
end $$;
select pl_stable_write();
create function pl_constant() returns int language plpgsql as $$
declare
  c constant int := 5;
begin
  return c * 2;
end $$;
select pl_constant();
create function pl_default_scope(x int) returns text language plpgsql as $$
<<outer>>
declare
  v text := 'outer';
begin
  declare
    v text := 'inner';
  begin
    return v || ' ' || outer.v || ' ' || pl_default_scope.x;
  end;
end $$;
select pl_default_scope(3);
create function pl_block_reinit() returns text language plpgsql as $$
declare
  s text := '';
begin
  for i in 1..3 loop
    declare
      counter int := 0;
    begin
      counter := counter + i;
      s := s || counter;
    end;
  end loop;
  return s;
end $$;
select pl_block_reinit();
create or replace function pl_add(a int, b int) returns int language plpgsql as $$
begin
  return a + b + 1000;
end $$;
select pl_add(1, 2);
create function pl_syntax() returns int language plpgsql as $$
begin
  retrun 1;
end $$;
create function pl_void() returns void language plpgsql as $$
begin
  insert into pl_log values (700, 'void');
end $$;
select pl_void();
select count(*) from pl_log where n = 700;
do $$
declare
  total numeric := 0;
  r record;
begin
  for r in select * from pl_items loop
    total := total + r.price;
  end loop;
  insert into pl_log values (800, 'total ' || total);
end $$;
select msg from pl_log where n = 800;
do $$ begin raise exception 'from do % block', 'a'; end $$;
do language plpgsql $$ begin perform pl_raise(6); end $$;
do $$
begin
  insert into pl_log values (900, 'kept');
  begin
    insert into pl_log values (901, 'rolled back');
    perform 1 / 0;
  exception when division_by_zero then
    null;
  end;
end $$;
select n, msg from pl_log where n >= 900 order by n;
do $$ begin raise; end $$;
do $$ declare x int; begin x := 1 / 0; end $$;
select proname, prorettype::regtype, proretset, provolatile from pg_proc
  where proname in ('pl_add', 'pl_series', 'pl_price') order by proname;
select l.lanname from pg_proc p join pg_language l on l.oid = p.prolang where p.proname = 'pl_fact';
drop function pl_add(int, int);
select pl_add(1, 2);
create function pl_exists(k int) returns text language plpgsql as $$
declare
  v_count integer;
begin
  if exists (select 1 from pl_items where id = k) then
    select count(*) into v_count from pl_items where id <= k;
    return 'yes ' || v_count;
  end if;
  return 'no';
end $$;
select pl_exists(2), pl_exists(50);
create function pl_found_loop() returns text language plpgsql as $$
declare
  r record;
  s text := '';
begin
  for r in select * from pl_items where id > 100 loop
    s := s || 'x';
  end loop;
  s := s || found::text;
  for r in select * from pl_items order by id loop
    continue when r.id = 2;
    s := s || ' ' || r.name;
  end loop;
  return s || ' ' || found::text;
end $$;
select pl_found_loop();
create function pl_exit_block() returns text language plpgsql as $$
begin
  <<blk>>
  begin
    exit blk;
    return 'not here';
  end;
  return 'after block';
end $$;
select pl_exit_block();
create function pl_query_mismatch() returns setof int language plpgsql as $$
begin
  return query select 1, 2;
end $$;
select * from pl_query_mismatch();
create function pl_per_row(k int) returns text language plpgsql stable as $$
begin
  return (select name from pl_items where id = k) || '#' || k;
end $$;
select id, pl_per_row(id) from pl_items order by id;
select id from pl_items where pl_per_row(id) like 'b%';
create function pl_format(t text) returns bigint language plpgsql as $$
declare
  n bigint;
begin
  execute format('select count(*) from %I where price > $1', t) into n using 2;
  return n;
end $$;
select pl_format('pl_items');
select pl_format('pl_nosuch');
create function pl_null_record() returns text language plpgsql as $$
declare
  r record;
begin
  return r.x;
end $$;
select pl_null_record();
create function pl_no_field() returns text language plpgsql as $$
declare
  r record;
begin
  select 1 as a into r;
  return r.b;
end $$;
select pl_no_field();
create function pl_too_many(x int) returns int language plpgsql as $$
declare
  v int;
begin
  v := (select id from pl_items);
  return v;
end $$;
select pl_too_many(1);
create function pl_upd(k int, newname text) returns boolean language plpgsql as $$
begin
  update pl_items set name = newname where id = k;
  return found;
end $$;
select pl_upd(3, 'mug'), pl_upd(77, 'none');
select name from pl_items where id = 3;
create function pl_while_sum(lim int) returns int language plpgsql as $$
declare
  total int := 0;
  i int := 0;
begin
  while total < lim loop
    i := i + 1;
    total := total + i;
  end loop;
  return i;
end $$;
select pl_while_sum(100), pl_while_sum(0);
create function pl_text_ops(s text) returns text language plpgsql as $$
declare
  parts text[];
  result text := '';
  p text;
begin
  parts := string_to_array(s, ',');
  foreach p in array parts loop
    result := result || upper(trim(p)) || '|';
  end loop;
  return result || array_length(parts, 1);
end $$;
select pl_text_ops('a, b ,c');
create function pl_sqlstate_class(x int) returns text language plpgsql as $$
begin
  perform 1 / x;
  return 'ok';
exception when data_exception then
  return 'class 22: ' || sqlstate;
end $$;
select pl_sqlstate_class(0);
create function pl_raise_levels() returns int language plpgsql as $$
begin
  raise info 'info %', 1;
  raise warning 'warning %', 2;
  raise log 'log';
  raise debug 'debug';
  return 3;
end $$;
select pl_raise_levels();
create function pl_unknown_cond() returns int language plpgsql as $$
begin
  return 1;
exception when no_such_condition then
  return 2;
end $$;
create function pl_totals() returns table (name text, total numeric) language plpgsql as $$
begin
  return query select i.name, sum(i.price) * 2 as total from pl_items i group by i.name
    order by total desc;
end $$;
-- ordered
select * from pl_totals();
create table pl_trg (id int primary key, name text, version int default 0, n int);
create table pl_trg_log (seq serial, op text, id int, info text);
create function pl_trg_before() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.id = 99 then
      return null;
    end if;
    return old;
  end if;
  new.version := coalesce(new.version, 0) + 1;
  new.name := upper(new.name);
  if new.id < 0 then
    return null;
  end if;
  return new;
end $$;
create function pl_trg_after() returns trigger language plpgsql as $$
begin
  insert into pl_trg_log (op, id, info)
    values (tg_op || ' ' || tg_level || ' ' || tg_when, coalesce(new.id, old.id),
            tg_table_name || ':' || tg_nargs || ':' || coalesce(tg_argv[0], '-'));
  return null;
end $$;
create trigger pl_a_before before insert or update or delete on pl_trg
  for each row execute function pl_trg_before();
create trigger pl_b_after after insert or update or delete on pl_trg
  for each row execute function pl_trg_after('x');
create trigger pl_c_stmt after insert on pl_trg
  for each statement execute procedure pl_trg_after();
insert into pl_trg (id, name) values (1, 'ann'), (2, 'bob'), (-1, 'skip'), (99, 'keep') returning *;
update pl_trg set n = id * 10 where id < 50 returning *;
delete from pl_trg returning id;
select * from pl_trg order by id;
select op, id, info from pl_trg_log order by seq;
create trigger pl_a_before before insert on pl_trg for each row execute function pl_trg_before();
create trigger pl_bad before insert on pl_trg for each row execute function pl_add(int, int);
create function pl_trg_args(x int) returns trigger language plpgsql as $$ begin return new; end $$;
drop trigger pl_a_before on pl_trg;
drop trigger pl_a_before on pl_trg;
drop trigger if exists pl_a_before on pl_trg;
insert into pl_trg (id, name) values (3, 'cy');
select id, name, version from pl_trg order by id;
create function pl_cursors(k int) returns text language plpgsql as $$
declare
  c cursor for select id, name from pl_items where id >= k order by id;
  e cursor (lim int) for select id from pl_items where id < lim order by id desc;
  d refcursor;
  r record;
  v int;
  s text := '';
begin
  open c;
  loop
    fetch c into r;
    exit when not found;
    s := s || r.id || r.name || ' ';
  end loop;
  fetch prior from c into r;
  s := s || 'prior ' || r.id;
  fetch first from c into v, s;
  s := s || ' first ' || v;
  move last in c;
  fetch relative 0 from c into v;
  s := s || ' last ' || v;
  close c;
  open d for select g from generate_series(1, 5) g;
  fetch absolute 3 from d into v;
  s := s || ' abs ' || v;
  close d;
  open d for execute 'select $1 * 10' using k;
  fetch d into v;
  s := s || ' dyn ' || v;
  close d;
  for rr in e(3) loop
    s := s || ' e' || rr.id;
  end loop;
  for rr in e(lim := 2) loop
    s := s || ' e' || rr.id;
  end loop;
  return s;
end $$;
select pl_cursors(2);
create function pl_cursor_errors(kind int) returns int language plpgsql as $$
declare
  c cursor for select 1;
begin
  if kind = 1 then
    fetch c into kind;
  end if;
  open c;
  open c;
  return 0;
end $$;
select pl_cursor_errors(1);
select pl_cursor_errors(2);
create table pl_when (id int primary key, v int, changes int default 0);
create function pl_when_count() returns trigger language plpgsql as $$
begin
  new.changes := old.changes + 1;
  return new;
end $$;
create trigger pl_when_t before update on pl_when for each row
  when (old.v is distinct from new.v) execute function pl_when_count();
create function pl_when_log() returns trigger language plpgsql as $$
begin
  insert into pl_trg_log (op, id, info) values ('when', old.id, 'deleted big');
  return old;
end $$;
create trigger pl_when_d before delete on pl_when for each row
  when (old.v > 10) execute function pl_when_log();
insert into pl_when values (1, 5), (2, 20);
update pl_when set v = v;
update pl_when set v = v + 1 where id = 1;
update pl_when set v = 7 where id = 2;
select * from pl_when order by id;
delete from pl_when;
select op, id, info from pl_trg_log where op = 'when' order by seq;
select count(*) from pl_when;
create trigger pl_when_row before update on pl_trg for each row
  when (old.* is distinct from new.*) execute function pl_trg_after();
update pl_trg set n = n;
update pl_trg set n = 5 where id = 3;
select op, id from pl_trg_log order by seq desc limit 2;
create procedure pl_proc(k int, label text) language plpgsql as $$
begin
  insert into pl_log values (k, label);
  raise notice 'inserted %', k;
end $$;
call pl_proc(1000, 'from call');
call pl_proc('1001', 'text arg');
select n, msg from pl_log where n >= 1000 order by n;
call pl_proc(1);
select pl_proc(1, 'x');
call pl_nosuch();
create procedure pl_proc_commit() language plpgsql as $$
begin
  insert into pl_log values (2000, 'x');
end $$;
call pl_proc_commit();
drop procedure pl_proc(int, text);
call pl_proc(1, 'x');
