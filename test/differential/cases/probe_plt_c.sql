-- setup
create table pc_t (a int, b text);
-- test
create procedure pc_ins(x int, y text default 'dflt') language plpgsql as $$
begin insert into pc_t values (x, y); end $$;
call pc_ins(1, 'one');
call pc_ins(2);
select * from pc_t order by a;
create procedure pc_inout(inout a int, inout b text) language plpgsql as $$
begin a := a * 2; b := b || '+'; end $$;
call pc_inout(5, 'x');
create procedure pc_out(a int, out doubled int) language plpgsql as $$
begin doubled := a * 2; end $$;
call pc_out(4, null);
create procedure pc_tx() language plpgsql as $$
begin
  for i in 10..13 loop
    insert into pc_t values (i, 'tx');
    if i % 2 = 0 then commit; else rollback; end if;
  end loop;
end $$;
call pc_tx();
select a from pc_t where b = 'tx' order by a;
begin;
call pc_tx();
rollback;
do $$ begin insert into pc_t values (20, 'do'); commit; insert into pc_t values (21, 'do'); rollback; end $$;
select a from pc_t where b = 'do' order by a;
create procedure pc_sql(x int) language sql as $$ insert into pc_t values (x, 'sql') $$;
call pc_sql(30);
select count(*) from pc_t where b = 'sql';
create function pc_fn_commit() returns int language plpgsql as $$ begin commit; return 1; end $$;
select pc_fn_commit();
select proname, prokind from pg_proc where proname like 'pc_%' order by proname;
drop procedure pc_ins;
call pc_ins(1);
create procedure pc_nested() language plpgsql as $$ begin call pc_sql(31); end $$;
call pc_nested();
select count(*) from pc_t where b = 'sql';
create procedure pc_callinout() language plpgsql as $$
declare a int := 3; b text := 'q';
begin
  call pc_inout(a, b);
  raise notice '% %', a, b;
  insert into pc_t values (a, b);
end $$;
call pc_callinout();
select * from pc_t where b = 'q+';
