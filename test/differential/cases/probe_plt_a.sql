-- setup
create table pt_acct (id int primary key, owner text, bal numeric default 0);
insert into pt_acct values (1, 'ann', 100), (2, 'bob', 50), (3, 'cy', 0);
create table pt_audit (seq serial, what text);
-- test
create function pt_diag(x int) returns text language plpgsql as $$
declare
  st text; msg text; det text; hnt text; ctx text; tbl text; col text; cons text; sch text;
begin
  if x = 1 then
    perform 1 / 0;
  elsif x = 2 then
    raise exception 'custom %', x using errcode = '22012', detail = 'dd', hint = 'hh';
  elsif x = 3 then
    insert into pt_acct values (1, 'dup');
  elsif x = 4 then
    raise exception using message = 'only msg', errcode = 'unique_violation';
  elsif x = 5 then
    raise sqlstate 'P1234' using message = 'odd state';
  elsif x = 6 then
    raise division_by_zero;
  elsif x = 7 then
    insert into pt_acct (id, owner) values (null, 'x');
  end if;
  return 'none';
exception when others then
  get stacked diagnostics st = returned_sqlstate, msg = message_text, det = pg_exception_detail,
    hnt = pg_exception_hint, tbl = table_name, col = column_name, cons = constraint_name,
    sch = schema_name;
  return st || '|' || msg || '|' || coalesce(det, '') || '|' || coalesce(hnt, '') || '|'
    || coalesce(tbl, '') || '|' || coalesce(col, '') || '|' || coalesce(cons, '') || '|' || coalesce(sch,'');
end $$;
select x, pt_diag(x) from generate_series(1, 7) x order by x;
create function pt_sqlerrm(x int) returns text language plpgsql as $$
begin
  perform x / 0;
  return 'x';
exception
  when division_by_zero or unique_violation then return 'caught ' || sqlstate || ' ' || sqlerrm;
end $$;
select pt_sqlerrm(3);
create function pt_raise_opts() returns int language plpgsql as $$
begin
  raise exception 'E1' using errcode = 'check_violation', column = 'c1', constraint = 'k1',
    datatype = 'int4', table = 't1', schema = 's1';
end $$;
select pt_raise_opts();
do $$ begin raise exception 'x' using foo = 'bar'; end $$;
do $$ begin raise exception 'x' using message = 'y'; end $$;
do $$ begin raise 'too % many', 1, 2; end $$;
do $$ begin raise 'too % few %', 1; end $$;
do $$ begin raise exception '%% literal %', 5; end $$;
create function pt_found() returns text language plpgsql as $$
declare n int; r text := '';
begin
  update pt_acct set bal = bal where id > 100;
  r := r || found::text;
  get diagnostics n = row_count;
  r := r || n;
  update pt_acct set bal = bal where id < 3;
  get diagnostics n = row_count;
  r := r || found::text || n;
  perform * from pt_acct where id = 99;
  r := r || found::text;
  for i in 1..0 loop end loop;
  r := r || found::text;
  for i in 1..2 loop end loop;
  r := r || found::text;
  execute 'update pt_acct set bal = bal';
  get diagnostics n = row_count;
  r := r || found::text || n;
  return r;
end $$;
select pt_found();
create function pt_exec_using(k int, nm text) returns text language plpgsql as $$
declare o text; b numeric; c int;
begin
  execute 'select owner, bal from pt_acct where id = $1' into o, b using k;
  execute format('select count(*) from %I where owner <> %L', 'pt_acct', nm) into c;
  return o || b || c;
end $$;
select pt_exec_using(1, 'bob');
create function pt_exec_strict(k int) returns text language plpgsql as $$
declare o text;
begin
  execute 'select owner from pt_acct where id > $1' into strict o using k;
  return o;
end $$;
select pt_exec_strict(0);
select pt_exec_strict(2);
select pt_exec_strict(5);
create function pt_strict(k int) returns text language plpgsql as $$
declare o text;
begin
  select owner into strict o from pt_acct where id > k;
  return o;
end $$;
select pt_strict(0);
select pt_strict(5);
select pt_strict(2);
create function pt_types() returns text language plpgsql as $$
declare
  r pt_acct%rowtype;
  o pt_acct.owner%type;
  b r.bal%type;
  rec record;
begin
  select * into r from pt_acct where id = 1;
  o := r.owner;
  b := r.bal * 2;
  select id, owner into rec from pt_acct where id = 2;
  return o || b || rec.owner || rec.id || r::text;
end $$;
select pt_types();
create function pt_rowtype_ret(k int) returns pt_acct language plpgsql as $$
declare r pt_acct;
begin
  select * into r from pt_acct where id = k;
  return r;
end $$;
select * from pt_rowtype_ret(2);
select pt_rowtype_ret(3);
select (pt_rowtype_ret(1)).owner;
create function pt_setof_next() returns setof pt_acct language plpgsql as $$
declare r pt_acct;
begin
  for r in select * from pt_acct order by id desc loop
    r.bal := r.bal + 1;
    return next r;
  end loop;
  return query select * from pt_acct where id = 1;
  return;
end $$;
select * from pt_setof_next();
create function pt_out_multi(a int, out s int, out p int) returns setof record language plpgsql as $$
begin
  for i in 1..a loop
    s := i + i; p := i * i;
    return next;
  end loop;
end $$;
select * from pt_out_multi(3);
create function pt_table_fn(n int) returns table (k int, sq int) language plpgsql as $$
begin
  return query select g, g*g from generate_series(1, n) g;
  return query execute 'select $1, $1 * 100' using n;
end $$;
select * from pt_table_fn(2);
create function pt_inout2(inout a int, inout b text) language plpgsql as $$
begin
  a := a + 1; b := b || '!';
end $$;
select * from pt_inout2(1, 'hi');
select pt_inout2(5, 'x');
create function pt_loop_labels() returns text language plpgsql as $$
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
select pt_loop_labels();
create function pt_foreach() returns text language plpgsql as $$
declare r text := ''; x int; a int[];
begin
  foreach x in array array[[1,2],[3,4]] loop r := r || x; end loop;
  foreach a slice 1 in array array[[1,2],[3,4]] loop r := r || a::text; end loop;
  return r;
end $$;
select pt_foreach();
create function pt_loop_query() returns text language plpgsql as $$
declare r record; s text := ''; n int;
begin
  for r in select id, owner from pt_acct order by id loop
    s := s || r.owner;
  end loop;
  for r in execute 'select id from pt_acct where id > $1 order by id' using 1 loop
    s := s || r.id;
  end loop;
  for n in select id from pt_acct order by id loop s := s || n; end loop;
  while n > 0 loop n := n - 1; end loop;
  return s || n;
end $$;
select pt_loop_query();
create function pt_nested_exc() returns text language plpgsql as $$
declare r text := '';
begin
  begin
    insert into pt_audit (what) values ('inner');
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
  return r || (select count(*) from pt_audit where what = 'inner');
end $$;
select pt_nested_exc();
create function pt_context() returns text language plpgsql as $$
declare c text;
begin
  get diagnostics c = pg_context;
  return c;
end $$;
select pt_context();
create function pt_assign_types() returns text language plpgsql as $$
declare a int := 3.7; b numeric(5,2) := 1.005; c varchar(3) := 'abc'; d text;
begin
  d := a || ' ' || b || ' ' || c;
  return d;
end $$;
select pt_assign_types();
create function pt_varchar_over() returns text language plpgsql as $$
declare c varchar(3);
begin c := 'abcdef'; return c; end $$;
select pt_varchar_over();
create function pt_case_search(x int) returns text language plpgsql as $$
begin
  case
    when x < 0 then return 'neg';
    when x > 0 then return 'pos';
  end case;
end $$;
select pt_case_search(1), pt_case_search(-1);
select pt_case_search(0);
create function pt_return_void() returns void language plpgsql as $$ begin perform 1; end $$;
select pt_return_void();
select * from pt_return_void();
create function pt_getdiag_rowcount_select() returns int language plpgsql as $$
declare n int;
begin
  perform * from pt_acct;
  get diagnostics n = row_count;
  return n;
end $$;
select pt_getdiag_rowcount_select();
create function pt_default_args(a int, b int default 10, c text default 'z') returns text
language plpgsql as $$ begin return a + b || c; end $$;
select pt_default_args(1), pt_default_args(1, 2), pt_default_args(1, c => 'q');
create function pt_variadic(variadic xs int[]) returns int language plpgsql as $$
declare s int := 0; x int;
begin foreach x in array xs loop s := s + x; end loop; return s; end $$;
select pt_variadic(1, 2, 3), pt_variadic(variadic array[4, 5]);
create function pt_poly(x anyelement) returns anyelement language plpgsql as $$
begin return x; end $$;
select pt_poly(1), pt_poly('a'::text), pt_poly(2.5);
create function pt_alias(int) returns int language plpgsql as $$
declare v alias for $1;
begin return v * 2 + $1; end $$;
select pt_alias(4);
create function pt_const() returns int language plpgsql as $$
declare c constant int := 5;
begin c := 6; return c; end $$;
create function pt_notnull_decl() returns int language plpgsql as $$
declare c int not null := 1;
begin c := null; return c; end $$;
select pt_notnull_decl();
