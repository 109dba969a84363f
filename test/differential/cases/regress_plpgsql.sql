-- PL/pgSQL after PostgreSQL 15's regression tests (src/test/regress/sql/plpgsql.sql and
-- src/pl/plpgsql/src/sql/plpgsql_control.sql): control flow, FOUND, GET DIAGNOSTICS,
-- exceptions with SQLSTATE / SQLERRM, RAISE options, RETURN NEXT / QUERY, dynamic EXECUTE,
-- FOREACH, cursors, OUT parameters, polymorphic functions and triggers. Notices are not
-- compared, so the functions return what the regression tests print.
-- setup
create table rp_cont (idx serial, v integer);
insert into rp_cont (v) values (10), (20), (30), (40);
create table rp_foo (f1 int, f2 int);
insert into rp_foo values (1, 2), (3, 4), (5, 6);
create table rp_found (a int);
create table rp_items (id int primary key, name text not null, qty int);
insert into rp_items values (1, 'apple', 5), (2, 'pear', 0), (3, 'plum', 12), (4, 'fig', 7);
create table rp_log (seq serial, msg text);
-- test
-- integer FOR loops (plpgsql_control.sql)
create function rp_fori() returns text language plpgsql as $$
declare s text := '';
begin
  for i in 1..3 loop s := s || i || ','; end loop;
  s := s || '|';
  for i in 1..10 by 3 loop s := s || i || ','; end loop;
  s := s || '|';
  for i in 1..11 by 3 loop s := s || i || ','; end loop;
  s := s || '|';
  for i in 1..0 by 3 loop s := s || i || ','; end loop;
  s := s || '|';
  for i in reverse 10..0 by 3 loop s := s || i || ','; end loop;
  s := s || '|';
  for i in 2147483620..2147483647 by 10 loop s := s || i || ','; end loop;
  s := s || '|';
  for i in reverse -2147483620..-2147483647 by 10 loop s := s || i || ','; end loop;
  return s;
end $$;
select rp_fori();
do $$ begin for i in 1..3 by 0 loop raise notice '%', i; end loop; end $$;
do $$ begin for i in 1..3 by -1 loop raise notice '%', i; end loop; end $$;
do $$ begin for i in reverse 1..3 by -1 loop raise notice '%', i; end loop; end $$;
do $$ begin for i in 1..null loop raise notice '%', i; end loop; end $$;
do $$ begin for i in null..3 loop raise notice '%', i; end loop; end $$;
do $$ begin for i in 1..3 by null loop raise notice '%', i; end loop; end $$;
create function rp_fori_numeric() returns text language plpgsql as $$
declare s text := '';
begin
  for i in 1.4..3.6 loop s := s || i || ','; end loop;
  return s;
end $$;
select rp_fori_numeric();
-- CONTINUE
create function rp_continue() returns text language plpgsql as $$
declare _i integer = 0; _r record; s text := '';
begin
  s := s || '1:';
  loop
    _i := _i + 1;
    s := s || _i || ' ';
    continue when _i < 10;
    exit;
  end loop;
  s := s || '2:';
  <<lbl>>
  loop
    _i := _i - 1;
    loop
      s := s || _i || ' ';
      continue lbl when _i > 0;
      exit lbl;
    end loop;
  end loop;
  s := s || '3:';
  <<the_loop>>
  while _i < 10 loop
    _i := _i + 1;
    continue the_loop when _i % 2 = 0;
    s := s || _i || ' ';
  end loop;
  s := s || '4:';
  for _i in 1..10 loop
    begin
      continue when _i < 5;
      s := s || _i || ' ';
    end;
  end loop;
  s := s || '5:';
  for _r in select * from rp_cont order by idx loop
    continue when _r.v <= 20;
    s := s || _r.v || ' ';
  end loop;
  s := s || '6:';
  for _r in execute 'select * from rp_cont order by idx' loop
    continue when _r.v <= 20;
    s := s || _r.v || ' ';
  end loop;
  s := s || '7:';
  <<looplabel>>
  for _i in 1..3 loop
    continue looplabel when _i = 2;
    s := s || _i || ' ';
  end loop;
  s := s || '8:';
  _i := 1;
  while _i <= 3 loop
    s := s || _i || ' ';
    _i := _i + 1;
    continue when _i = 3;
  end loop;
  s := s || '11:';
  <<outerlooplabel>>
  for _i in 1..2 loop
    s := s || 'outer ' || _i || ' ';
    <<innerlooplabel>>
    for _j in 1..3 loop
      continue outerlooplabel when _j = 2;
      s := s || 'inner ' || _j || ' ';
    end loop;
  end loop;
  return s;
end $$;
select rp_continue();
create function rp_continue_error1() returns void language plpgsql as $$
begin
  begin
    continue;
  end;
end $$;
create function rp_exit_error1() returns void language plpgsql as $$
begin
  begin
    exit;
  end;
end $$;
create function rp_continue_error2() returns void language plpgsql as $$
begin
  loop
    continue no_such_label;
  end loop;
end $$;
create function rp_exit_error2() returns void language plpgsql as $$
begin
  loop
    exit no_such_label;
  end loop;
end $$;
create function rp_continue_error3() returns void language plpgsql as $$
begin
  <<begin_block1>>
  begin
    loop
      continue begin_block1;
    end loop;
  end;
end $$;
create function rp_exit_block1() returns text language plpgsql as $$
begin
  <<begin_block1>>
  begin
    loop
      exit begin_block1;
      raise exception 'should not get here';
    end loop;
  end;
  return 'out';
end $$;
select rp_exit_block1();
create function rp_end_label1() returns text language plpgsql as $$
<<blbl>>
declare s text := '';
begin
  <<flbl1>>
  for i in 1 .. 10 loop
    s := s || 'i=' || i;
    exit flbl1;
  end loop flbl1;
  <<flbl2>>
  for j in 1 .. 10 loop
    s := s || ' j=' || j;
    exit flbl2;
  end loop;
  return s;
end blbl $$;
select rp_end_label1();
create function rp_end_label2() returns void language plpgsql as $$
begin
  for _i in 1 .. 10 loop
    exit;
  end loop flbl1;
end $$;
create function rp_end_label3() returns void language plpgsql as $$
<<outer_label>>
begin
  <<inner_label>>
  for _i in 1 .. 10 loop
    exit;
  end loop outer_label;
end $$;
do $$
begin
for i in 1..10 loop
  <<innerblock>>
  begin
    begin
      exit;
      raise exception 'should not get here';
    end;
    raise exception 'should not get here, either';
  end;
  raise exception 'nor here';
end loop;
end $$;
do $$
<<outerblock>>
begin
  <<innerblock>>
  begin
    exit outerblock;
    raise exception 'should not get here';
  end;
  raise exception 'should not get here, either';
end $$;
create function rp_return_from_while() returns int language plpgsql as $$
declare i int := 0;
begin
  while i < 10 loop
    if i > 2 then
      return i;
    end if;
    i := i + 1;
  end loop;
  return null;
end $$;
select rp_return_from_while();
create function rp_for_vect() returns setof text language plpgsql as $proc$
<<lbl>>declare a integer; b varchar; c varchar; r record;
begin
  for i in 1 .. 3 loop
    return next i::text;
  end loop;
  for r in select gs as aa, 'BB' as bb, 'CC' as cc from generate_series(1,4) gs loop
    return next r.aa || ' ' || r.bb || ' ' || r.cc;
  end loop;
  for a in select gs from generate_series(1,4) gs loop
    return next a::text;
  end loop;
  for a, b, c in select gs, 'BB', 'CC' from generate_series(1,4) gs loop
    return next a || ' ' || b || ' ' || c;
  end loop;
  for lbl.a, lbl.b, lbl.c in execute $$select gs, 'bb','cc' from generate_series(1,4) gs$$ loop
    return next a || ' ' || b || ' ' || c;
  end loop;
end $proc$;
-- ordered
select * from rp_for_vect();
-- CASE statement
create function rp_case_test(bigint) returns text language plpgsql immutable as $$
declare a int = 10;
        b int = 1;
begin
  case $1
    when 1 then
      return 'one';
    when 2 then
      return 'two';
    when 3, 4, 3 + 5 then
      return 'three, four or eight';
    when a then
      return 'ten';
    when a + b, a + b + 1 then
      return 'eleven, twelve';
  end case;
end $$;
select rp_case_test(1), rp_case_test(2), rp_case_test(3), rp_case_test(4);
select rp_case_test(5);
select rp_case_test(8), rp_case_test(10), rp_case_test(11), rp_case_test(12);
select rp_case_test(13);
create function rp_catch() returns text language plpgsql as $$
begin
  return rp_case_test(6);
exception
  when case_not_found then
    return 'caught case_not_found ' || SQLSTATE || ' ' || SQLERRM;
end $$;
select rp_catch();
create or replace function rp_case_test(bigint) returns text language plpgsql immutable as $$
declare a int = 10;
begin
  case
    when $1 = 1 then
      return 'one';
    when $1 = a + 2 then
      return 'twelve';
    else
      return 'other';
  end case;
end $$;
select rp_case_test(1), rp_case_test(2), rp_case_test(12), rp_case_test(13);
create function rp_case_comment(int) returns text language plpgsql immutable as $$
begin
  case $1
    when 1 -- comment before THEN
      then return 'one';
    else
      return 'other';
  end case;
end $$;
select rp_case_comment(1), rp_case_comment(2);
-- FOUND (plpgsql.sql's test_found)
create function rp_test_found() returns setof text language plpgsql as $$
declare
  rec record;
begin
  insert into rp_found values (1);
  if FOUND then
    return next 'insert found';
  end if;
  update rp_found set a = 100 where a = 1;
  if FOUND then
    return next 'update found';
  end if;
  update rp_found set a = 100 where a = 999;
  if not FOUND then
    return next 'update not found';
  end if;
  select * into rec from rp_found where a = 100;
  if FOUND then
    return next 'select into found ' || rec.a;
  end if;
  select * into rec from rp_found where a = 42;
  if not FOUND then
    return next 'select into not found';
  end if;
  perform 1 from rp_found where a = 100;
  if FOUND then
    return next 'perform found';
  end if;
  perform 1 from rp_found where a = 101;
  if not FOUND then
    return next 'perform not found';
  end if;
  for i in 1 .. 3 loop
  end loop;
  return next 'after for: ' || FOUND;
  for i in 1 .. 0 loop
  end loop;
  return next 'after empty for: ' || FOUND;
  for rec in select * from rp_found where a = 5 loop
  end loop;
  return next 'after empty query loop: ' || FOUND;
  delete from rp_found where a = 100;
  return next 'delete: ' || FOUND;
  delete from rp_found;
  return next 'delete again: ' || FOUND;
  execute 'insert into rp_found values (7)';
  return next 'execute: ' || FOUND;
end $$;
-- ordered
select * from rp_test_found();
select * from rp_found;
-- GET DIAGNOSTICS
create function rp_diag() returns text language plpgsql as $$
declare n bigint; s text := '';
begin
  insert into rp_found select generate_series(1, 5);
  get diagnostics n = row_count;
  s := s || n;
  update rp_found set a = a + 1 where a > 2;
  get diagnostics n := row_count;
  s := s || ',' || n;
  perform * from rp_found;
  get diagnostics n = row_count;
  s := s || ',' || n;
  execute 'delete from rp_found where a < $1' using 3;
  get diagnostics n = row_count;
  s := s || ',' || n;
  for i in 1..3 loop end loop;
  get diagnostics n = row_count;
  s := s || ',' || n;
  return s;
end $$;
select rp_diag();
delete from rp_found;
-- RAISE and exceptions
create function rp_raise_test1(int) returns int language plpgsql as $$
begin
  raise notice 'This message has too many parameters!', $1;
  return $1;
end $$;
select rp_raise_test1(5);
create function rp_raise_test2(int) returns int language plpgsql as $$
begin
  raise notice 'This message has too few parameters: %, %, %', $1, $1;
  return $1;
end $$;
select rp_raise_test2(10);
do $$ begin raise exception 'custom %', 'message'; end $$;
do $$ begin raise exception 'custom' using errcode = '22012'; end $$;
do $$ begin raise division_by_zero; end $$;
do $$ begin raise sqlstate '1234F'; end $$;
do $$ begin raise 'check me' using errcode = 'division_by_zero', detail = 'some detail'; end $$;
do $$ begin raise exception using message = 'via using', hint = 'a hint'; end $$;
do $$ begin raise exception 'dup' using message = 'twice'; end $$;
do $$ begin raise exception using errcode = 'no_such_code'; end $$;
do $$ begin raise notice 'just a notice %', 1; end $$;
do $$ begin raise warning using message = 'w', detail = 'd'; end $$;
do $$ begin raise exception using message = null; end $$;
create function rp_trap(x int) returns text language plpgsql as $$
declare r text;
begin
  begin
    r := (100 / x)::text;
  exception
    when division_by_zero then
      r := 'div0 ' || SQLSTATE || ' ' || SQLERRM;
  end;
  return r;
end $$;
select rp_trap(4), rp_trap(0);
create function rp_trap_zero_divide(int) returns int language plpgsql as $$
declare x int;
  sx smallint;
begin
  begin
    -- perform some database access too, to check that it is rolled back
    insert into rp_log(msg) values ('div ' || $1);
    sx := $1;
    x := 100 / $1;
    if x > 10 then
      raise exception 'x is too big %', x;
    end if;
    if x < 0 then
      raise exception 'negative: %', x using errcode = 'P0002';
    end if;
    return x;
  exception
    when division_by_zero then
      raise notice 'caught division_by_zero';
      return -1;
    when numeric_value_out_of_range then
      return -2;
    when raise_exception then
      return -3;
    when sqlstate 'P0002' then
      return -4;
  end;
end $$;
select rp_trap_zero_divide(50), rp_trap_zero_divide(0), rp_trap_zero_divide(100000);
select rp_trap_zero_divide(-100);
select rp_trap_zero_divide(1);
select msg from rp_log order by seq;
create function rp_trap_matching_test(int) returns int language plpgsql as $$
declare x int;
  sx smallint;
  y int;
begin
  begin
    x := 100 / $1;
    sx := $1;
    select into y unique1 from tenk1 where unique2 = (select unique2 from tenk1 b where ten = $1);
    return y;
  exception
    when data_exception then
      return -1;
    when undefined_table or cardinality_violation then
      return -2;
  end;
end $$;
select rp_trap_matching_test(50), rp_trap_matching_test(0), rp_trap_matching_test(100000);
create function rp_nested_trap() returns text language plpgsql as $$
declare s text := '';
begin
  begin
    begin
      raise exception 'inner' using errcode = '22003';
    exception when division_by_zero then
      s := s || 'wrong handler';
    end;
  exception when numeric_value_out_of_range then
    s := s || 'outer caught ' || SQLSTATE || ':' || SQLERRM;
    begin
      raise exception 'second';
    exception when others then
      s := s || ' / nested ' || SQLSTATE || ':' || SQLERRM;
    end;
    s := s || ' / restored ' || SQLSTATE || ':' || SQLERRM;
  end;
  return s;
end $$;
select rp_nested_trap();
create function rp_reraise() returns text language plpgsql as $$
begin
  begin
    raise exception 'original' using errcode = 'P0003';
  exception when others then
    raise;
  end;
exception when sqlstate 'P0003' then
  return 'reraised ' || SQLSTATE || ' ' || SQLERRM;
end $$;
select rp_reraise();
do $$ begin raise; end $$;
create function rp_stacked() returns text language plpgsql as $$
declare _sqlstate text; _message text; _detail text; _hint text; _context text;
  _column text; _constraint text; _table text; _schema text; _datatype text;
begin
  begin
    raise exception 'some error' using detail = 'detail info', hint = 'hint info',
      errcode = '22012', column = 'col', constraint = 'cons', table = 'tbl', schema = 'sch',
      datatype = 'dt';
  exception when others then
    get stacked diagnostics
      _sqlstate = returned_sqlstate, _message = message_text, _detail = pg_exception_detail,
      _hint = pg_exception_hint, _column = column_name, _constraint = constraint_name,
      _table = table_name, _schema = schema_name, _datatype = pg_datatype_name;
  end;
  return concat_ws('|', _sqlstate, _message, _detail, _hint, _column, _constraint, _table,
                   _schema, _datatype);
end $$;
select rp_stacked();
create function rp_stacked_constraint() returns text language plpgsql as $$
declare _message text; _constraint text; _table text; _column text;
begin
  insert into rp_items values (1, 'dup', 1);
  return 'no error';
exception when unique_violation then
  get stacked diagnostics _message = message_text, _constraint = constraint_name,
    _table = table_name;
  return _message || ' / ' || _constraint || ' / ' || _table;
end $$;
select rp_stacked_constraint();
create function rp_stacked_notnull() returns text language plpgsql as $$
declare _column text; _table text; _state text;
begin
  insert into rp_items values (9, null, 1);
  return 'no error';
exception when not_null_violation then
  get stacked diagnostics _column = column_name, _table = table_name, _state = returned_sqlstate;
  return _state || ' ' || _table || '.' || _column;
end $$;
select rp_stacked_notnull();
do $$ declare x text; begin get stacked diagnostics x = message_text; end $$;
create function rp_sqlerrm_outside() returns text language plpgsql as $$
begin
  return sqlerrm;
end $$;
select rp_sqlerrm_outside();
create function rp_exc_rollback() returns text language plpgsql as $$
declare n int;
begin
  insert into rp_log(msg) values ('kept');
  begin
    insert into rp_log(msg) values ('undone');
    update rp_items set qty = qty + 100;
    perform 1 / 0;
  exception when others then
    null;
  end;
  select count(*) into n from rp_log where msg = 'undone';
  return 'undone rows: ' || n || ', qty sum: ' || (select sum(qty) from rp_items);
end $$;
select rp_exc_rollback();
select msg from rp_log order by seq;
-- ASSERT
do $$ begin assert 1 = 1; end $$;
do $$ begin assert 1 = 2; end $$;
do $$ begin assert 1 = 2, 'custom assert message'; end $$;
do $$ begin assert null; end $$;
do $$ begin assert 1 = 2, 'msg ' || 42; exception when assert_failure then raise notice 'caught'; end $$;
create function rp_assert_catch() returns text language plpgsql as $$
begin
  assert false, 'nope';
  return 'no';
exception when others then
  return sqlstate || ' ' || sqlerrm;
end $$;
select rp_assert_catch();
create function rp_assert_others() returns text language plpgsql as $$
begin
  begin
    assert false, 'not caught by others';
  exception when others then
    return 'others caught it';
  end;
  return 'no';
end $$;
select rp_assert_others();
-- SELECT INTO STRICT
create function rp_strict(k int) returns text language plpgsql as $$
declare r record;
begin
  select * into strict r from rp_items where id = k or (k = 0 and id > 1);
  return r.name;
end $$;
select rp_strict(1);
select rp_strict(99);
select rp_strict(0);
create function rp_strict_catch(k int) returns text language plpgsql as $$
declare r record;
begin
  select * into strict r from rp_items where id = k or (k = 0 and id > 1);
  return r.name;
exception
  when no_data_found then return 'no_data_found ' || sqlerrm;
  when too_many_rows then return 'too_many_rows ' || sqlerrm;
end $$;
select rp_strict_catch(99), rp_strict_catch(0), rp_strict_catch(3);
create function rp_into_nonstrict() returns text language plpgsql as $$
declare a int; b text;
begin
  a := 5;
  select id, name into a, b from rp_items where id > 100;
  return coalesce(a::text, 'null') || ' ' || coalesce(b, 'null') || ' ' || found;
end $$;
select rp_into_nonstrict();
create function rp_into_first() returns text language plpgsql as $$
declare a int; b text;
begin
  select id, name into a, b from rp_items order by id desc;
  return a || ' ' || b;
end $$;
select rp_into_first();
create function rp_into_few() returns text language plpgsql as $$
declare a int; b text; c int;
begin
  select id, name into a, b, c from rp_items where id = 1;
  return a || ' ' || b || ' ' || coalesce(c::text, 'null');
end $$;
select rp_into_few();
create function rp_into_many() returns text language plpgsql as $$
declare a int;
begin
  select id, name into a from rp_items where id = 1;
  return a;
end $$;
select rp_into_many();
create function rp_insert_returning() returns text language plpgsql as $$
declare x int; r record;
begin
  insert into rp_log(msg) values ('ret') returning seq > 0 into x;
  update rp_items set qty = qty where id = 2 returning * into r;
  delete from rp_log where msg = 'ret' returning 1 into strict x;
  return x || ' ' || r.name;
end $$;
select rp_insert_returning();
create function rp_update_returning_many() returns int language plpgsql as $$
declare x int;
begin
  update rp_items set qty = qty returning id into strict x;
  return x;
end $$;
select rp_update_returning_many();
-- EXECUTE
create function rp_exec(tbl text, k int) returns text language plpgsql as $$
declare r record; n int; s text;
begin
  execute format('select count(*) from %I where id >= $1', tbl) into n using k;
  execute 'select name from ' || quote_ident(tbl) || ' where id = $1' into s using k;
  execute format('select * from %I where id = %L', tbl, k) into r;
  return n || ' ' || s || ' ' || r.qty;
end $$;
select rp_exec('rp_items', 2);
select rp_exec('rp_nosuch', 2);
create function rp_exec_strict(k int) returns text language plpgsql as $$
declare s text;
begin
  execute 'select name from rp_items where id > $1 order by id' into strict s using k;
  return s;
end $$;
select rp_exec_strict(3);
select rp_exec_strict(1);
select rp_exec_strict(10);
create function rp_exec_null() returns void language plpgsql as $$
begin
  execute null;
end $$;
select rp_exec_null();
create function rp_exec_using_types() returns text language plpgsql as $$
declare r text;
begin
  execute 'select $1 || $2::text || pg_typeof($1)::text || pg_typeof($3)::text'
    into r using 'a'::text, 42, 1.5::numeric;
  return r;
end $$;
select rp_exec_using_types();
create function rp_exec_ddl() returns text language plpgsql as $$
declare n int;
begin
  execute 'create temp table rp_dyn (a int)';
  execute 'insert into rp_dyn select generate_series(1, $1)' using 4;
  execute 'select sum(a) from rp_dyn' into n;
  execute 'drop table rp_dyn';
  return n::text;
end $$;
select rp_exec_ddl();
create function rp_exec_no_into() returns text language plpgsql as $$
begin
  execute 'select 1';
  return 'ok ' || found;
end $$;
select rp_exec_no_into();
do $$ declare x int; begin execute 'select 1, 2' into x; raise notice '%', x; end $$;
do $$ declare x int; begin execute 'select $1' into x using 1, 2; end $$;
do $$ declare x int; begin execute 'select $2' into x using 1; end $$;
create function rp_format_exec() returns setof text language plpgsql as $$
declare r record;
begin
  for r in execute format('select %I, %I from %I where %I > %s order by 1', 'id', 'name',
                          'rp_items', 'qty', 4) loop
    return next r.id || ':' || r.name;
  end loop;
end $$;
-- ordered
select * from rp_format_exec();
-- RETURN NEXT / RETURN QUERY
create function rp_srf(n int) returns setof int language plpgsql as $$
begin
  for i in 1..n loop
    return next i * 10;
  end loop;
  return query select x from generate_series(100, 100 + n - 1) x;
  return;
  return next -1;
end $$;
select * from rp_srf(3);
select rp_srf(2);
select count(*) from rp_srf(0);
create function rp_srf_rows() returns setof rp_items language plpgsql as $$
declare r rp_items;
begin
  for r in select * from rp_items order by id loop
    if r.qty > 0 then
      r.qty := r.qty * 2;
      return next r;
    end if;
  end loop;
  return query select * from rp_items where qty = 0;
end $$;
select * from rp_srf_rows();
create function rp_srf_table(lim int) returns table (k int, label text) language plpgsql as $$
begin
  for k, label in select id, upper(name) from rp_items where id <= lim order by id loop
    return next;
  end loop;
  k := 0; label := 'end';
  return next;
end $$;
select * from rp_srf_table(2);
create function rp_srf_out(out a int, out b text) returns setof record language plpgsql as $$
begin
  a := 1; b := 'one'; return next;
  a := 2; b := 'two'; return next;
  return query execute 'select 3, $1' using 'three';
end $$;
select * from rp_srf_out();
create function rp_srf_query_error() returns setof int language plpgsql as $$
begin
  return query select 'x'::text;
end $$;
select * from rp_srf_query_error();
create function rp_srf_next_in_scalar() returns int language plpgsql as $$
begin
  return next 1;
end $$;
create function rp_return_query_found() returns setof text language plpgsql as $$
declare n bigint;
begin
  return query select name from rp_items where id < 3;
  get diagnostics n = row_count;
  return next 'rows: ' || n || ' found: ' || found;
  return query select name from rp_items where id > 100;
  return next 'found after empty: ' || found;
end $$;
select * from rp_return_query_found();
create function rp_setof_record() returns setof record language plpgsql as $$
declare r record;
begin
  for r in select id, name from rp_items order by id loop
    return next r;
  end loop;
end $$;
select * from rp_setof_record() as t(id int, name text);
select * from rp_setof_record();
select * from rp_setof_record() as t(id int, name int);
-- FOREACH over arrays
create function rp_foreach_test(anyarray) returns text language plpgsql as $$
declare x int; s text := '';
begin
  foreach x in array $1 loop
    s := s || x || ' ';
  end loop;
  return s;
end $$;
select rp_foreach_test(array[1, 2, 3, 4]);
select rp_foreach_test(array[[1, 2], [3, 4]]);
create or replace function rp_foreach_test(anyarray) returns text language plpgsql as $$
declare x int[]; s text := '';
begin
  foreach x slice 1 in array $1 loop
    s := s || x::text || ' ';
  end loop;
  return s;
end $$;
select rp_foreach_test(array[1, 2, 3, 4]);
select rp_foreach_test(array[[1, 2], [3, 4]]);
create or replace function rp_foreach_test(anyarray) returns text language plpgsql as $$
declare x int[]; s text := '';
begin
  foreach x slice 2 in array $1 loop
    s := s || x::text || ' ';
  end loop;
  return s;
end $$;
select rp_foreach_test(array[1, 2, 3, 4]);
select rp_foreach_test(array[[1, 2], [3, 4]]);
select rp_foreach_test(array[[[1, 2]], [[3, 4]]]);
create type rp_xy_tuple as (x int, y int);
create or replace function rp_foreach_test(anyarray) returns text language plpgsql as $$
declare r record; s text := '';
begin
  foreach r in array $1 loop
    s := s || r::text || ' ';
  end loop;
  return s;
end $$;
select rp_foreach_test((select array_agg(row(i, i)::rp_xy_tuple order by i) from generate_series(1, 4) i));
create or replace function rp_foreach_test(anyarray) returns text language plpgsql as $$
declare x int; y int; s text := '';
begin
  foreach x, y in array $1 loop
    s := s || x || '-' || y || ' ';
  end loop;
  return s;
end $$;
select rp_foreach_test((select array_agg(row(i, i * 10)::rp_xy_tuple order by i) from generate_series(1, 4) i));
create or replace function rp_foreach_test(anyarray) returns text language plpgsql as $$
declare x rp_xy_tuple[]; s text := '';
begin
  foreach x slice 1 in array $1 loop
    s := s || x::text || ' ';
  end loop;
  return s;
end $$;
select rp_foreach_test((select array_agg(row(i, i)::rp_xy_tuple order by i) from generate_series(1, 4) i));
do $$ declare x int; begin foreach x in array null::int[] loop end loop; end $$;
do $$ declare x int; begin foreach x slice -1 in array array[1] loop end loop; end $$;
do $$ declare x int; begin foreach x in array 5 loop end loop; end $$;
do $$ declare x int; begin foreach x slice 1 in array array[1, 2] loop end loop; end $$;
create function rp_foreach_exit() returns text language plpgsql as $$
declare x text; s text := '';
begin
  <<outer_loop>>
  foreach x in array array['a', 'b', 'c', 'd'] loop
    continue when x = 'b';
    exit outer_loop when x = 'd';
    s := s || x;
  end loop;
  return s;
end $$;
select rp_foreach_exit();
-- cursors
create function rp_cursor_basic() returns text language plpgsql as $$
declare
  c cursor for select id, name from rp_items order by id;
  r record;
  s text := '';
begin
  open c;
  loop
    fetch c into r;
    exit when not found;
    s := s || r.id || r.name || ' ';
  end loop;
  close c;
  return s;
end $$;
select rp_cursor_basic();
create function rp_cursor_args(lo int) returns text language plpgsql as $$
declare
  c cursor (k int, m int) for select name from rp_items where id >= k and qty >= m order by id;
  n text;
  s text := '';
begin
  open c(lo, 1);
  fetch c into n; s := s || coalesce(n, '-') || ' ';
  fetch c into n; s := s || coalesce(n, '-') || ' ';
  close c;
  open c(m := 0, k := 2);
  fetch last from c into n; s := s || n || ' ';
  fetch prior from c into n; s := s || n;
  close c;
  return s;
end $$;
select rp_cursor_args(1);
create function rp_cursor_scroll() returns text language plpgsql as $$
declare
  c scroll cursor for select id from rp_items order by id;
  x int;
  s text := '';
begin
  open c;
  fetch absolute 3 from c into x; s := s || x || ' ';
  fetch relative -1 from c into x; s := s || x || ' ';
  fetch first from c into x; s := s || x || ' ';
  move forward 2 from c;
  fetch next from c into x; s := s || x || ' ';
  move last in c;
  fetch backward from c into x; s := s || x || ' ';
  fetch absolute 10 from c into x;
  s := s || found;
  close c;
  return s;
end $$;
select rp_cursor_scroll();
create function rp_cursor_for() returns text language plpgsql as $$
declare
  c cursor (lim int) for select * from rp_items where id <= lim order by id;
  s text := '';
begin
  for r in c(3) loop
    s := s || r.name || ' ';
  end loop;
  for r in c(lim := 1) loop
    s := s || r.name || ' ';
  end loop;
  return s;
end $$;
select rp_cursor_for();
create function rp_cursor_refcursor() returns text language plpgsql as $$
declare
  c refcursor;
  x text;
  s text := '';
begin
  open c for select name from rp_items where id > 2 order by id;
  fetch c into x; s := s || x || ' ';
  close c;
  open c for execute 'select name from rp_items where id = $1' using 1;
  fetch c into x; s := s || x;
  close c;
  return s;
end $$;
select rp_cursor_refcursor();
create function rp_cursor_errors(which int) returns text language plpgsql as $$
declare
  c cursor for select 1;
  x int;
begin
  if which = 1 then
    open c; open c;
  elsif which = 2 then
    fetch c into x;
  elsif which = 3 then
    close c;
  end if;
  return 'ok';
end $$;
select rp_cursor_errors(1);
select rp_cursor_errors(2);
select rp_cursor_errors(3);
create function rp_cursor_update() returns text language plpgsql as $$
declare
  c cursor for select * from rp_items where id in (1, 3) order by id for update;
  r record;
begin
  open c;
  loop
    fetch c into r;
    exit when not found;
    update rp_items set qty = qty + 1 where current of c;
  end loop;
  close c;
  return (select string_agg(id || ':' || qty, ',' order by id) from rp_items);
end $$;
select rp_cursor_update();
create function rp_return_cursor(c refcursor) returns refcursor language plpgsql as $$
begin
  open c for select id, name from rp_items order by id;
  return c;
end $$;
begin;
select rp_return_cursor('rp_cur');
fetch 2 from rp_cur;
fetch all from rp_cur;
commit;
create function rp_cursor_not_found() returns text language plpgsql as $$
declare c cursor for select id from rp_items where false; x int := 7;
begin
  open c;
  fetch c into x;
  return coalesce(x::text, 'null') || ' ' || found;
end $$;
select rp_cursor_not_found();
-- OUT parameters
create function rp_out1(a int, out b int, out c text) language plpgsql as $$
begin
  b := a * 2;
  c := 'x' || a;
end $$;
select rp_out1(3);
select * from rp_out1(4);
select (rp_out1(5)).c;
create function rp_out2(inout a int, out b int) language plpgsql as $$
begin
  a := a + 1;
  b := a * 10;
  return;
end $$;
select * from rp_out2(1);
create function rp_out_single(out r int) language plpgsql as $$
begin
  r := 42;
end $$;
select rp_out_single(), pg_typeof(rp_out_single());
create function rp_out_return_value(out r int) language plpgsql as $$
begin
  return 1;
end $$;
create function rp_out_unassigned(out a int, out b text) language plpgsql as $$
begin
  a := 1;
end $$;
select * from rp_out_unassigned();
create function rp_dup_out(out x int) language plpgsql as $$
begin
  x := 1;
  <<inner>>
  declare x int := 2;
  begin
    x := 3;
  end;
end $$;
select rp_dup_out();
-- polymorphic functions
create function rp_poly_first(anyarray) returns anyelement language plpgsql as $$
begin
  return $1[array_lower($1, 1)];
end $$;
select rp_poly_first(array[3, 2, 1]), rp_poly_first(array['b', 'a']), rp_poly_first(array[1.5]);
create function rp_poly_add(a anyelement, b anyelement) returns anyelement language plpgsql as $$
declare r alias for $0;
begin
  r := a + b;
  return r;
end $$;
select rp_poly_add(1, 2), rp_poly_add(1.5, 2.25), rp_poly_add(2::int8, 3::int8);
select rp_poly_add('a'::text, 'b'::text);
create function rp_poly_type(x anyelement) returns text language plpgsql as $$
declare y x%type;
begin
  y := x;
  return pg_typeof(y)::text || ':' || y::text;
end $$;
select rp_poly_type(1), rp_poly_type('x'::text), rp_poly_type(now()::date = now()::date);
create function rp_poly_out(in x anyelement, out y anyarray, out z anyelement) language plpgsql as $$
begin
  y := array[x, x];
  z := x;
end $$;
select * from rp_poly_out(7);
select * from rp_poly_out('q'::text);
create function rp_poly_compat(a anycompatible, b anycompatible) returns anycompatiblearray
language plpgsql as $$
begin
  return array[a, b];
end $$;
select rp_poly_compat(1, 2.5), pg_typeof(rp_poly_compat(1, 2.5));
select rp_poly_compat(1, 'x');
select rp_poly_first(null);
create function rp_poly_nonarray(x anynonarray) returns text language plpgsql as $$
begin
  return pg_typeof(x)::text;
end $$;
select rp_poly_nonarray(1);
select rp_poly_nonarray(array[1]);
-- variables, constants, defaults, NOT NULL, aliases
create function rp_varprops() returns text language plpgsql as $$
declare
  a constant int := 10;
  b int not null := 1;
  c int default 5;
  d text := 'x' || a;
  e alias for a;
begin
  b := b + c;
  return a || ' ' || b || ' ' || c || ' ' || d || ' ' || e;
end $$;
select rp_varprops();
create function rp_const_assign() returns int language plpgsql as $$
declare a constant int := 10;
begin
  a := 11;
  return a;
end $$;
create function rp_notnull_init() returns int language plpgsql as $$
declare b int not null;
begin
  return b;
end $$;
create function rp_notnull_assign() returns int language plpgsql as $$
declare b int not null := 1;
begin
  b := null;
  return b;
end $$;
select rp_notnull_assign();
create function rp_notnull_default_null() returns int language plpgsql as $$
declare b int not null := null;
begin
  return b;
end $$;
select rp_notnull_default_null();
create function rp_var_coerce() returns text language plpgsql as $$
declare
  i int := 3.7;
  n numeric(5, 2) := 1.005;
  v varchar(3) := 'abc';
  t text;
begin
  t := 1.5;
  return i || ' ' || n || ' ' || v || ' ' || t;
end $$;
select rp_var_coerce();
create function rp_var_too_long() returns text language plpgsql as $$
declare v varchar(3);
begin
  v := 'abcdef';
  return v;
end $$;
select rp_var_too_long();
create function rp_bad_cast() returns int language plpgsql as $$
declare i int;
begin
  i := 'abc';
  return i;
end $$;
select rp_bad_cast();
create function rp_scoping() returns text language plpgsql as $$
<<outerblock>>
declare x int := 1;
begin
  declare x int := 2;
  begin
    x := x + 10;
    outerblock.x := outerblock.x + 100;
    return x || ' ' || outerblock.x;
  end;
end $$;
select rp_scoping();
create function rp_param_names(p1 int, p2 text) returns text language plpgsql as $$
begin
  return rp_param_names.p1 || $2 || p2;
end $$;
select rp_param_names(1, 'z');
create function rp_default_each_block() returns text language plpgsql as $$
declare s text := '';
begin
  for i in 1..3 loop
    declare c int := 0;
    begin
      c := c + i;
      s := s || c;
    end;
  end loop;
  return s;
end $$;
select rp_default_each_block();
create function rp_column_conflict() returns text language plpgsql as $$
declare name text := 'shadow';
begin
  return (select string_agg(i.name, ',' order by i.id) from rp_items i where i.id < 3);
end $$;
select rp_column_conflict();
create function rp_ambiguous(id int) returns text language plpgsql as $$
begin
  return (select name from rp_items where rp_items.id = id);
end $$;
select rp_ambiguous(1);
-- triggers
create table rp_trg (id int primary key, val text, n int default 0, modified text);
create table rp_trg_audit (seq serial, info text);
create function rp_trg_before() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    new.val := upper(new.val);
  elsif TG_OP = 'UPDATE' then
    if new.val is distinct from old.val then
      new.n := old.n + 1;
    end if;
  end if;
  new.modified := TG_NAME || '/' || TG_WHEN || '/' || TG_LEVEL || '/' || TG_TABLE_NAME
    || '/' || TG_NARGS || '/' || coalesce(TG_ARGV[0], '-');
  return new;
end $$;
create trigger rp_trg_b before insert or update on rp_trg
  for each row execute function rp_trg_before('arg0', 'arg1');
create function rp_trg_after() returns trigger language plpgsql as $$
begin
  if TG_OP = 'DELETE' then
    insert into rp_trg_audit(info) values (TG_OP || ' ' || old.id);
    return old;
  end if;
  insert into rp_trg_audit(info) values (TG_OP || ' ' || new.id || ' ' || new.val);
  return null;
end $$;
create trigger rp_trg_a after insert or update or delete on rp_trg
  for each row execute function rp_trg_after();
create function rp_trg_stmt() returns trigger language plpgsql as $$
begin
  insert into rp_trg_audit(info) values ('stmt ' || TG_OP || ' ' || TG_WHEN || ' ' || TG_LEVEL);
  return null;
end $$;
create trigger rp_trg_s after insert or delete on rp_trg
  for each statement execute function rp_trg_stmt();
insert into rp_trg(id, val) values (1, 'a'), (2, 'b');
update rp_trg set val = 'c' where id = 1;
update rp_trg set n = 50 where id = 2;
select id, val, n, modified from rp_trg order by id;
delete from rp_trg where id = 2;
select info from rp_trg_audit order by seq;
create function rp_trg_skip() returns trigger language plpgsql as $$
begin
  if new.id > 100 then
    return null;
  end if;
  return new;
end $$;
create trigger rp_trg_skip before insert on rp_trg for each row execute function rp_trg_skip();
insert into rp_trg(id, val) values (3, 'kept'), (101, 'skipped');
select id, val from rp_trg order by id;
create function rp_trg_raise() returns trigger language plpgsql as $$
begin
  if new.val = 'BAD' then
    raise exception 'bad value for id %', new.id using errcode = 'check_violation';
  end if;
  return new;
end $$;
create trigger rp_trg_raise before insert on rp_trg for each row execute function rp_trg_raise();
insert into rp_trg(id, val) values (4, 'bad');
select count(*) from rp_trg;
create function rp_trg_wrong_return() returns trigger language plpgsql as $$
begin
  return 1;
end $$;
create table rp_trg2 (a int);
create trigger rp_trg2_t before insert on rp_trg2 for each row execute function rp_trg_wrong_return();
insert into rp_trg2 values (1);
create function rp_trg_no_return() returns trigger language plpgsql as $$
begin
end $$;
drop trigger rp_trg2_t on rp_trg2;
create trigger rp_trg2_t before insert on rp_trg2 for each row execute function rp_trg_no_return();
insert into rp_trg2 values (1);
select rp_trg_before();
create function rp_trg_row_record() returns trigger language plpgsql as $$
declare r record;
begin
  r := new;
  r.a := r.a * 2;
  return r;
end $$;
drop trigger rp_trg2_t on rp_trg2;
create trigger rp_trg2_t before insert on rp_trg2 for each row execute function rp_trg_row_record();
insert into rp_trg2 values (21);
select * from rp_trg2;
-- miscellany
create function rp_recursive(n int) returns int language plpgsql as $$
begin
  if n <= 1 then
    return 1;
  end if;
  return n * rp_recursive(n - 1);
end $$;
select rp_recursive(10);
create function rp_no_return() returns int language plpgsql as $$
begin
  perform 1;
end $$;
select rp_no_return();
create function rp_void_return() returns void language plpgsql as $$
begin
  return;
end $$;
select rp_void_return();
create function rp_return_expr_void() returns void language plpgsql as $$
begin
  return 5;
end $$;
create function rp_strings() returns text language plpgsql as $$
declare s text;
begin
  s := 'it''s ' || E'tab\there' || $q$dollar 'quoted'$q$;
  return s;
end $$;
select rp_strings();
create function rp_while_null() returns int language plpgsql as $$
declare i int := 0; x int;
begin
  while x < 5 loop
    i := i + 1;
  end loop;
  if x then
    return -1;
  end if;
  return i;
end $$;
select rp_while_null();
create function rp_perform_call() returns text language plpgsql as $$
begin
  perform rp_recursive(3);
  perform * from rp_srf(2);
  return 'performed ' || found;
end $$;
select rp_perform_call();
create function rp_get_current_diag() returns text language plpgsql as $$
declare ctx text;
begin
  get diagnostics ctx = pg_context;
  return ctx;
end $$;
select rp_get_current_diag();
create function rp_exc_context() returns text language plpgsql as $$
declare ctx text;
begin
  perform 1 / 0;
  return 'no';
exception when others then
  get stacked diagnostics ctx = pg_exception_context;
  return ctx;
end $$;
select rp_exc_context();
create function rp_exc_in_loop() returns text language plpgsql as $$
declare s text := '';
begin
  for i in -2..2 loop
    begin
      s := s || (10 / i) || ' ';
    exception when division_by_zero then
      s := s || 'z ';
    end;
  end loop;
  return s;
end $$;
select rp_exc_in_loop();
create function rp_exc_var_restore() returns text language plpgsql as $$
declare x int := 1;
begin
  begin
    x := 2;
    perform 1 / 0;
  exception when others then
    return 'x is ' || x;
  end;
end $$;
select rp_exc_var_restore();
do $$ declare x int := 1 / 0; begin end $$;
create function rp_dynamic_srf(q text) returns setof text language plpgsql as $$
begin
  return query execute q;
end $$;
select * from rp_dynamic_srf('select name from rp_items where id < 3 order by id');
select * from rp_dynamic_srf('select id from rp_items');
create function rp_lookup(p_table regclass) returns bigint language plpgsql as $$
declare n bigint;
begin
  execute 'select count(*) from ' || p_table into n;
  return n;
end $$;
select rp_lookup('rp_items'), rp_lookup('rp_cont');
select rp_lookup('rp_nope');
create function rp_many_returns(x int) returns text language plpgsql as $$
begin
  if x > 0 then
    return 'positive';
  end if;
  case when x < 0 then return 'negative'; else null; end case;
  return 'zero';
end $$;
select rp_many_returns(1), rp_many_returns(-1), rp_many_returns(0);
create function rp_bool_expr(x int) returns boolean language plpgsql as $$
begin
  return x > 2 and x < 10;
end $$;
select id, rp_bool_expr(qty) from rp_items order by id;
create function rp_if_null(x int) returns text language plpgsql as $$
begin
  if x > 0 then return 'pos';
  elseif x < 0 then return 'neg';
  elsif x = 0 then return 'zero';
  else return 'null';
  end if;
end $$;
select rp_if_null(1), rp_if_null(-1), rp_if_null(0), rp_if_null(null);
-- more user-code shapes: arrays built in loops, VARIADIC, defaults, #variable_conflict,
-- ORDINALITY, calls per row, %% in RAISE, nested function errors
create function rp_build_array(n int) returns int[] language plpgsql as $$
declare a int[] := '{}';
begin
  for i in 1..n loop
    a := a || i * i;
    a := array_append(a, -i);
  end loop;
  return a;
end $$;
select rp_build_array(3), array_length(rp_build_array(5), 1);
create function rp_variadic(sep text, variadic parts text[]) returns text language plpgsql as $$
begin
  return array_to_string(parts, sep);
end $$;
select rp_variadic('-', 'a', 'b', 'c'), rp_variadic(',', variadic array['x', 'y']);
create function rp_defaults(a int, b int default 10, c text default 'z') returns text
language plpgsql as $$
begin
  return a || ':' || b || ':' || c;
end $$;
select rp_defaults(1), rp_defaults(1, 2), rp_defaults(1, c => 'q'), rp_defaults(a => 5, b => 6);
create function rp_use_column(id int) returns text language plpgsql as $$
#variable_conflict use_column
begin
  return (select string_agg(name, ',' order by name) from rp_items where rp_items.id = id);
end $$;
select rp_use_column(1);
create function rp_use_variable(id int) returns text language plpgsql as $$
#variable_conflict use_variable
begin
  return (select name from rp_items where rp_items.id = id);
end $$;
select rp_use_variable(3);
select t.*, o from rp_srf(2) with ordinality as o(v, n), lateral (select 1) t(o);
select id, rp_trap(id - 1) from rp_items order by id;
select id from rp_items where rp_bool_expr(qty) order by id;
do $$ begin raise exception '100%% sure: %', 'yes'; end $$;
create function rp_inner_fail(x int) returns int language plpgsql as $$
begin
  if x < 0 then
    raise exception 'negative input %', x using errcode = '22023', hint = 'use a positive';
  end if;
  return x;
end $$;
create function rp_outer_catch(x int) returns text language plpgsql as $$
declare st text; msg text; hint text;
begin
  return rp_inner_fail(x)::text;
exception when invalid_parameter_value then
  get stacked diagnostics st = returned_sqlstate, msg = message_text, hint = pg_exception_hint;
  return st || ' ' || msg || ' (' || hint || ')';
end $$;
select rp_outer_catch(5), rp_outer_catch(-5);
select rp_inner_fail(-1);
create function rp_while_exit() returns int language plpgsql as $$
declare i int := 0;
begin
  while true loop
    i := i + 1;
    exit when i >= 7;
  end loop;
  loop
    i := i * 2;
    if i > 100 then
      exit;
    end if;
  end loop;
  return i;
end $$;
select rp_while_exit();
create function rp_quote_fns(v text) returns text language plpgsql as $$
begin
  return quote_literal(v) || ' ' || quote_nullable(null::text) || ' ' || quote_ident(v)
    || ' ' || format('%L %I %s', v, v, v);
end $$;
select rp_quote_fns('it''s A');
create function rp_open_execute(k int) returns setof text language plpgsql as $$
declare c refcursor; r record;
begin
  open c for execute format('select id, name from %I where id > $1 order by id', 'rp_items')
    using k;
  loop
    fetch c into r;
    exit when not found;
    return next r.id || r.name;
  end loop;
  close c;
end $$;
select * from rp_open_execute(2);
create function rp_case_in_loop() returns text language plpgsql as $$
declare s text := '';
begin
  for i in 1..4 loop
    case i % 3
      when 0 then s := s || 'fizz';
      when 1 then s := s || i;
      else s := s || '.';
    end case;
  end loop;
  return s;
end $$;
select rp_case_in_loop();
create function rp_trigger_error_rollback() returns text language plpgsql as $$
begin
  insert into rp_trg(id, val) values (50, 'bad');
  return 'inserted';
exception when check_violation then
  return 'rolled back: ' || sqlerrm || ', rows with id 50: ' ||
    (select count(*) from rp_trg where id = 50);
end $$;
select rp_trigger_error_rollback();
create function rp_multi_dim() returns text language plpgsql as $$
declare m int[][] := array[[1, 2], [3, 4]]; s int := 0; x int;
begin
  foreach x in array m loop
    s := s + x;
  end loop;
  return s || ' ' || array_dims(m) || ' ' || m[2][1];
end $$;
select rp_multi_dim();
create function rp_json_build(k int) returns jsonb language plpgsql as $$
declare j jsonb := '{}';
begin
  for r in 1..k loop
    j := j || jsonb_build_object('k' || r, r * 10);
  end loop;
  j['nested'] := '{"a": 1}';
  return j;
end $$;
select rp_json_build(2);
create function rp_returns_table_join() returns table (item text, total bigint)
language plpgsql as $$
begin
  return query
    select i.name, sum(c.v)::bigint
    from rp_items i join rp_cont c on c.idx = i.id
    group by i.name;
end $$;
select * from rp_returns_table_join() order by item;
create function rp_get_diag_in_handler() returns text language plpgsql as $$
declare n int;
begin
  update rp_items set qty = qty where id < 3;
  get diagnostics n = row_count;
  begin
    perform 1 / 0;
  exception when others then
    return 'rows before error: ' || n || ', ' || sqlstate;
  end;
end $$;
select rp_get_diag_in_handler();
create function rp_interval_loop() returns text language plpgsql as $$
declare d date := date '2024-01-30'; s text := '';
begin
  for i in 0..2 loop
    s := s || to_char(d + (i || ' month')::interval, 'YYYY-MM-DD') || ' ';
  end loop;
  return s;
end $$;
select rp_interval_loop();
create function rp_exception_sqlstate_class(x text) returns text language plpgsql as $$
begin
  perform x::int;
  return 'ok';
exception
  when sqlstate '22P02' then return 'bad text';
  when data_exception then return 'data';
end $$;
select rp_exception_sqlstate_class('12'), rp_exception_sqlstate_class('x'),
  rp_exception_sqlstate_class('99999999999');
create function rp_nested_functions(n int) returns int language plpgsql as $$
begin
  return rp_recursive(n) + rp_poly_add(n, n) + coalesce(rp_return_from_while(), 0);
end $$;
select rp_nested_functions(4);
create function rp_strict_fn(a int) returns int language plpgsql strict as $$
begin
  return coalesce(a, -1) + 1;
end $$;
select rp_strict_fn(null), rp_strict_fn(1);
create function rp_setof_in_where() returns setof int language plpgsql as $$
begin
  return query select id from rp_items where qty > 4;
end $$;
select name from rp_items where id in (select rp_setof_in_where()) order by name;
select count(*), sum(x) from rp_setof_in_where() x;
