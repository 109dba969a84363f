-- User-defined aggregates: CREATE AGGREGATE (modern and old style), state, final and combine
-- functions in SQL, PL/pgSQL or built in, strict-state rules, FILTER / DISTINCT / ORDER BY,
-- windows, catalogs, DROP / ALTER AGGREGATE and PostgreSQL's errors.
-- setup
create table ua_t (g int, x int, s text, n numeric);
insert into ua_t values (1, 1, 'a', 1.5), (1, 2, 'b', null), (1, null, 'c', 2.25),
  (2, 4, 'd', 3), (2, 4, null, 4.5), (3, null, 'f', null);
create function ua_add(int, int) returns int language sql immutable as 'select $1 + $2';
create function ua_add_strict(int, int) returns int language sql immutable strict
  as 'select $1 + $2';
create function ua_avg_step(state int[], v int) returns int[] language plpgsql immutable as $$
begin
  if v is null then return state; end if;
  return array[state[1] + v, state[2] + 1];
end $$;
create function ua_avg_final(state int[]) returns numeric language sql immutable
  as 'select case when $1[2] = 0 then null else $1[1]::numeric / $1[2] end';
create function ua_avg_combine(a int[], b int[]) returns int[] language sql immutable
  as 'select array[$1[1] + $2[1], $1[2] + $2[2]]';
create function ua_concat(text, text) returns text language sql immutable
  as $$select coalesce($1 || ',', '') || $2$$;
create aggregate ua_sum(int) (sfunc = int4pl, stype = int);
create aggregate ua_sum0(int) (sfunc = ua_add_strict, stype = int, initcond = '0');
create aggregate ua_sumsql(int) (sfunc = ua_add, stype = int, initcond = '0');
create aggregate ua_avg(int) (sfunc = ua_avg_step, stype = int[], initcond = '{0,0}',
  finalfunc = ua_avg_final, combinefunc = ua_avg_combine);
create aggregate ua_list(text) (sfunc = ua_concat, stype = text);
create aggregate ua_accum(anycompatible) (sfunc = array_append, stype = anycompatiblearray,
  initcond = '{}');
create aggregate ua_old (basetype = int4, sfunc = int4pl, stype = int4, initcond = '100');
create aggregate ua_max(int) (sfunc = int4larger, stype = int, combinefunc = int4larger,
  parallel = safe, sspace = 4);
create function ua_total(int, int) returns numeric language sql
  as 'select $1::numeric * 10';
create function ua_num(int) returns numeric language plpgsql immutable strict
  as 'begin return $1 * 1.5; end';
create aggregate ua_half(int) (sfunc = int4pl, stype = int, finalfunc = ua_num,
  combinefunc = int4pl);
create aggregate ua_extra2(int) (sfunc = ua_add_strict, stype = int, initcond = '0',
  finalfunc = ua_total, finalfunc_extra);
-- test
select ua_sum(x), ua_sum0(x), ua_sumsql(x), ua_avg(x), ua_old(x), ua_max(x) from ua_t;
select g, ua_sum(x), ua_sum0(x), ua_sumsql(x), ua_avg(x), ua_max(x) from ua_t group by g
  order by g;
select ua_list(s order by s desc) from ua_t;
select g, ua_list(s order by s) from ua_t group by g order by g;
select ua_accum(x order by x nulls first) from ua_t;
select ua_accum(s order by s) from ua_t where g = 1;
select ua_accum(distinct x order by x) from ua_t;
select ua_sum(distinct x) from ua_t;
select ua_sum(x) filter (where g < 2), ua_sum0(x) filter (where x > 100) from ua_t;
select g, x, ua_sum(x) over (order by g, x), ua_list(s) over (partition by g order by s)
  from ua_t order by g, x, s;
select g, ua_sum0(x) over w, ua_avg(x) over w from ua_t window w as (partition by g)
  order by g, x;
select ua_sum(x) from ua_t where false;
select ua_sum0(x), ua_sumsql(x), ua_avg(x), ua_list(s), ua_accum(x) from ua_t where false;
select ua_extra2(x) from ua_t;
select g, ua_half(x), ua_half(distinct x) from ua_t group by g order by g;
select n.nspname as "Schema", p.proname as "Name",
  pg_catalog.format_type(p.prorettype, null) as "Result data type",
  case when p.pronargs = 0 then cast('*' as pg_catalog.text)
    else pg_catalog.pg_get_function_arguments(p.oid) end as "Argument data types",
  pg_catalog.obj_description(p.oid, 'pg_proc') as "Description"
from pg_catalog.pg_proc p left join pg_catalog.pg_namespace n on n.oid = p.pronamespace
where p.prokind = 'a' and n.nspname <> 'pg_catalog' and n.nspname <> 'information_schema'
  and pg_catalog.pg_function_is_visible(p.oid)
order by 1, 2, 4;
create view ua_v as select g, ua_sum(x) as total, ua_list(s order by s) as names from ua_t
  group by g;
select * from ua_v order by g;
drop view ua_v;
select ua_sum(x) + 1, pg_typeof(ua_sum(x)), pg_typeof(ua_avg(x)), pg_typeof(ua_accum(x))
  from ua_t;
select g from ua_t group by g having ua_sum(x) > 2 order by g;
select (select ua_sum(x) from ua_t t2 where t2.g = t1.g) from ua_t t1 order by 1;
select ua_accum(n order by n) from ua_t;
select ua_accum(v) from (values (1), (2)) v(v);
select ua_accum(v) from (values (1.5), (2)) v(v);
select proname, prokind, pronargs, prorettype::regtype from pg_proc
  where proname like 'ua\_%' and prokind = 'a' order by proname;
select aggfnoid, aggkind, aggtransfn, aggfinalfn, aggcombinefn, aggfinalextra,
  aggtranstype::regtype, agginitval from pg_aggregate where aggfnoid::text like 'ua\_%'
  order by 1::text;
select ua_sum(*) from ua_t;
select ua_sum(x, x) from ua_t;
select ua_sum('a') from ua_t;
select * from ua_t where ua_sum(x) > 1;
-- errors at CREATE
create aggregate ua_bad(int) (sfunc = ua_nosuch, stype = int);
create aggregate ua_bad(int) (sfunc = int4pl, stype = text);
create aggregate ua_bad(int) (sfunc = int4pl);
create aggregate ua_bad(int) (stype = int);
create aggregate ua_bad(int8) (sfunc = int4pl, stype = int4);
create aggregate ua_bad(text) (sfunc = int4pl, stype = int, initcond = '0');
create aggregate ua_bad(int) (sfunc = int4pl, stype = int, finalfunc = ua_nosuch);
create aggregate ua_bad(int) (sfunc = int4pl, stype = int, combinefunc = ua_nosuch);
create aggregate ua_bad(int) (sfunc = int4pl, stype = int, initcond = 'x');
create aggregate ua_bad(int) (sfunc = ua_avg_step, stype = int[]);
create aggregate ua_bad(text) (sfunc = ua_add_strict, stype = int);
create aggregate ua_bad(int) (sfunc = array_append, stype = anyarray);
create aggregate ua_sum(int) (sfunc = int4pl, stype = int);
create aggregate ua_bad(int) (sfunc = int4pl, stype = int, bogus = 1);
select ua_bad(x) from ua_t;
-- replace, drop, alter
create or replace aggregate ua_sum(int) (sfunc = int4pl, stype = int8);
create or replace aggregate ua_sum(int) (sfunc = int4pl, stype = int, initcond = '1000');
select ua_sum(x) from ua_t;
create or replace aggregate ua_sum(int) (sfunc = int4pl, stype = int, finalfunc = ua_num);
create or replace aggregate ua_add(int, int) (sfunc = int4pl, stype = int);
drop aggregate ua_sum(text);
drop aggregate if exists ua_sum(text);
drop aggregate ua_add(int, int);
drop aggregate if exists ua_nosuch(int), ua_bad(int);
alter aggregate ua_sum(int) rename to ua_sum0;
alter aggregate ua_sum(int) rename to ua_sum2;
select ua_sum2(x) from ua_t;
create schema ua_s;
alter aggregate ua_sum2(int) set schema ua_s;
select ua_s.ua_sum2(x) from ua_t;
select ua_sum2(x) from ua_t;
alter aggregate ua_s.ua_sum2(int) set schema ua_nosuch;
drop aggregate ua_s.ua_sum2(int);
select ua_s.ua_sum2(x) from ua_t;
drop aggregate ua_old(int4), ua_max(int) cascade;
select ua_old(x) from ua_t;
begin;
create aggregate ua_tx(int) (sfunc = int4pl, stype = int);
select ua_tx(x) from ua_t;
rollback;
select ua_tx(x) from ua_t;
select g, x, ua_sum(x) over (order by g, x rows between 1 preceding and current row),
  ua_accum(x) over (order by g, x rows between current row and 1 following)
  from ua_t order by g, x;
select ua_sum0(x) over (), ua_sum(x) filter (where x > 1) over (partition by g) from ua_t
  order by 1, 2;
select ua_avg(x), ua_avg(x) filter (where g = 2), ua_list(s) filter (where s > 'b')
  from ua_t;
select ua_accum(s) from (select s from ua_t where s is not null order by s) q;
create aggregate ua_cnt(*) (sfunc = int8inc, stype = int8, initcond = '0');
select ua_cnt(*), g from ua_t group by g order by g;
select pg_get_function_arguments('ua_cnt()'::regprocedure);
drop aggregate ua_cnt(*);
create function ua_g(int, int) returns int language sql as 'select $1 + $2';
create aggregate ua_b7(int) (sfunc = ua_g, stype = int);
create aggregate ua_b8(int) (sfunc = ua_g, stype = int, combinefunc = ua_g);
drop function ua_g(int, int);
drop function ua_b7(int);
drop function if exists ua_b7(int);
drop function ua_g(int, int) cascade;
select count(*) from pg_aggregate where aggfnoid::text like 'ua\_b%';
select ua_b7(x) from ua_t;
create schema ua_gone;
create aggregate ua_gone.ua_in(int) (sfunc = int4pl, stype = int);
drop schema ua_gone cascade;
select count(*) from pg_aggregate where aggfnoid::text like '%ua\_in%';
create aggregate ua_ord(int order by int) (sfunc = int4pl, stype = int);
create aggregate ua_mov(int) (sfunc = int4pl, stype = int, msfunc = int4pl, minvfunc = int4mi,
  mstype = int);
create function ua_step(int, int) returns int language sql as 'select $1 + $2 * 2';
create aggregate ua_dbl(int) (sfunc = ua_step, stype = int, initcond = '0');
select ua_dbl(x) from ua_t;
create or replace function ua_step(int, int) returns int language sql
  as 'select $1 + $2 * 3';
select ua_dbl(x) from ua_t;
drop aggregate ua_dbl(int);
