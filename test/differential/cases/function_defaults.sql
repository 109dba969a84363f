-- Parameter defaults of user functions: DEFAULT and = forms, calls with fewer arguments,
-- named and mixed notation, pg_get_function_arguments, ambiguity and definition errors;
-- CALL with defaults and named arguments; VARIADIC parameters of SQL and PL/pgSQL functions;
-- LANGUAGE sql procedures.
-- test
create function fd_add(a int, b int default 10) returns int language sql return a + b;
select fd_add(1), fd_add(1, 2), fd_add(a => 5), fd_add(1, b => 2), fd_add(b => 3, a => 4);
create function fd_greet(who text, greeting text = 'hello', punct text default '!')
  returns text language sql as $$ select greeting || ' ' || who || punct $$;
select fd_greet('ann'), fd_greet('bob', 'hi'), fd_greet('cy', punct => '?');
select fd_greet(who => 'dee', greeting => 'hey', punct => '.');
select fd_greet(punct => '...', who => 'eve');
select fd_greet();
select fd_greet(greeting => 'x');
select fd_greet('a', 'b', 'c', 'd');
select fd_add(1, a => 2);
select fd_add(c => 1);
select pg_get_function_arguments('fd_add'::regproc), pg_get_function_arguments('fd_greet'::regproc);
select pg_get_function_identity_arguments('fd_greet'::regproc);
select proname, pronargs, pronargdefaults from pg_proc where proname like 'fd\_%' order by proname;
create function fd_num(x numeric default 1, y numeric default 2.5) returns numeric
  language sql return x * y;
select fd_num(), fd_num(4), fd_num(y => 2);
select pg_get_function_arguments('fd_num'::regproc);
create function fd_ts(d date default date '2024-01-31', n int default 1) returns date
  language sql return d + n;
select fd_ts(), fd_ts(n => 2), fd_ts('2020-02-28');
select pg_get_function_arguments('fd_ts'::regproc);
create function fd_bad(a int default 1, b int) returns int language sql return a;
create function fd_bad2(a int default 'x') returns int language sql return a;
create function fd_amb(a int) returns int language sql return a;
create function fd_amb(a int, b int default 0) returns int language sql return a + b;
select fd_amb(1, 2);
select fd_amb(1);
create table fd_t (k int, v int);
insert into fd_t values (1, 10), (2, 20);
select k, fd_add(k), fd_add(k, v) from fd_t order by k;
select * from fd_add(7);
create function fd_plus(a int, b int default 100) returns int language plpgsql
  as $$ begin return a + b; end $$;
select fd_plus(1), fd_plus(1, 1), fd_plus(b => 5, a => 1);
select pg_get_function_arguments('fd_plus'::regproc);
drop function fd_add(int, int);
select fd_add(1);
create table fd_log (a int, b text);
create procedure fd_put(a int, b text default 'none') language plpgsql
  as $$ begin insert into fd_log values (a, b); end $$;
call fd_put(1);
call fd_put(2, 'two');
call fd_put(b => 'three', a => 3);
call fd_put(4, b => 'four');
call fd_put();
call fd_put(b => 'x');
select * from fd_log order by a;
select pg_get_function_arguments('fd_put'::regproc);
create function fv_sum(variadic xs int[]) returns int language sql
  return (select sum(x) from unnest(xs) x);
select fv_sum(1), fv_sum(1, 2, 3), fv_sum(variadic array[4, 5]);
select fv_sum();
select fv_sum(array[1, 2]);
select fv_sum(1, 'x');
create function fv_join(sep text, variadic parts text[]) returns text language sql
  return array_to_string(parts, sep);
select fv_join('-', 'a', 'b', 'c'), fv_join(',', 'x'), fv_join('+', variadic array['p', 'q']);
select pg_get_function_arguments('fv_join'::regproc), pg_get_function_identity_arguments('fv_join'::regproc);
select proname, provariadic::regtype, pronargs from pg_proc where proname like 'fv\_%' order by 1;
create function fv_bad(variadic xs int[], y int) returns int language sql return y;
create function fv_bad2(variadic xs int) returns int language sql return xs;
create function fv_cnt(variadic xs numeric[]) returns int language plpgsql
  as $$ begin return coalesce(array_length(xs, 1), 0); end $$;
select fv_cnt(1, 2.5, 3), fv_cnt(variadic array[1.0]);
select pg_get_function_arguments('fv_cnt'::regproc);
create function fv_two(a int, b int) returns text language sql return 'fixed';
create function fv_two(variadic xs int[]) returns text language sql return 'variadic';
select fv_two(1, 2), fv_two(1), fv_two(1, 2, 3);
create function fv_def(a int, b int default 5) returns text language sql return 'def';
create function fv_def(a int) returns text language sql return 'one';
select fv_def(1);
select proname, proargmodes, proallargtypes::regtype[] from pg_proc where proname like 'fv\_%' order by 1, 2;
create procedure fv_proc(variadic xs int[]) language plpgsql as $$ begin raise notice 'n=%', array_length(xs, 1); end $$;
call fv_proc(1, 2, 3);
create table sp_acct (id int primary key, bal numeric);
insert into sp_acct values (1, 100), (2, 50);
create procedure sp_transfer(src int, dst int, amount numeric default 10)
language sql as $$
  update sp_acct set bal = bal - amount where id = src;
  update sp_acct set bal = bal + $3 where id = dst;
  select 1;
$$;
call sp_transfer(1, 2, 25);
select * from sp_acct order by id;
call sp_transfer(2, 1);
call sp_transfer(dst => 2, src => 1, amount => 5);
select * from sp_acct order by id;
create table sp_msgs (m text);
create procedure sp_log(msg text) language sql as 'insert into sp_msgs values (msg)';
call sp_log('hello');
select * from sp_msgs;
select proname, prokind, l.lanname from pg_proc p join pg_language l on l.oid = p.prolang where proname like 'sp\_%' order by 1;
select pg_get_function_arguments('sp_transfer'::regproc);
select pg_get_functiondef('sp_log'::regproc);
select sp_transfer(1, 2, 3);
call sp_nosuch(1);
begin;
call sp_transfer(1, 2, 1000);
select * from sp_acct order by id;
rollback;
select * from sp_acct order by id;
