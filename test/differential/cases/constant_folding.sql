-- Constant folding: PostgreSQL evaluates immutable calls of constants while planning, so their
-- errors fail the statement even where no row reaches them; AND / OR / CASE / COALESCE stop
-- folding where a constant decides (execute/constant-errors.ts).
-- setup
create table cf_t (x int);
create table cf_rows (x int);
insert into cf_rows values (1), (7);

-- test
select case when x > 5 then 1/0 end from cf_t;
select case when x > 5 then 1 else -836 % 0 end from cf_t;
select * from cf_t where x > 5 and 1/0 = 1;
select * from cf_t where x > 5 or 1/0 = 1;
select coalesce(x, 1/0) from cf_t;
select x from cf_t where false and 1/0 = 1;
select case when x > 5 then sqrt(-1) end from cf_t;
select (1/0) from cf_t where false;
select greatest(x, 1/0) from cf_t;
select x + 2147483647 + 1 from cf_t;
select 2147483647 + 1 from cf_t;
select case 1 when 2 then 1/0 else 0 end from cf_t;
select case when 1 = 2 then 1/0 else 0 end from cf_t;
select coalesce(1, 1/0) from cf_t;
select case when x > 1 then 1 when true then 2 else 1/0 end from cf_t;
select x from cf_t where x = 1/0;
select x from cf_t where x in (1, 2/0);
select nullif(x, 1/0) from cf_t;
select x is null or 1/0 = 1 from cf_t;
select case when (1::text)::int = 2 then 1/0 end from cf_t;
select array[x, 1/0] from cf_t;
select 1/0 from cf_t group by x;
select x from cf_t order by 1/0;
select ln(0) from cf_t;
select 'a' || 1/0 from cf_t;
select case when x > 5 then 1/0 else 0 end from cf_rows;
select x, case when x > 5 then 10 / x else 0 end from cf_rows order by x;
select x from cf_rows where x = 2147483647 + 0 or x = 1 order by x;
select case when x > 5 then 'a' || repeat('b', 2) end from cf_rows order by x;
select coalesce(null, null, 5 / 0) from cf_t;
select case when null then 1/0 else 2 end from cf_t;
select 1 from cf_t where false and 1/0 = 1;
select 'abc' @@ 'x'::tsquery from cf_t;
