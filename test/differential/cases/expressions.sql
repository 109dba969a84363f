-- Conditional and comparison expressions, pattern matching, NULL semantics, and the
-- errors of casts and arithmetic (22P02, 22003, 22012, 42883, 42804, 42703, 42601).
-- setup
create table ex_items (id int primary key, name text, qty int, price numeric(8,2), cat text);
insert into ex_items values
  (1, 'apple', 10, 0.50, 'fruit'), (2, 'Banana', 0, 0.25, 'fruit'), (3, 'cherry', null, 3.00, 'fruit'),
  (4, 'daikon', 5, 1.75, 'veg'), (5, 'Eggplant', 2, null, 'veg'), (6, 'fig', 7, 2.10, null),
  (7, 'grape%', 1, 4.00, 'fruit'), (8, 'h_erb', 3, 0.99, 'herb'), (9, 'APPLE', 4, 0.55, 'fruit'), (10, '', 0, 0.00, '');

-- test
select id, case when qty > 5 then 'many' when qty > 0 then 'some' when qty = 0 then 'none' else 'unknown' end from ex_items;
select id, case cat when 'fruit' then 1 when 'veg' then 2 else 0 end, case when false then 1 end from ex_items;
select case when 1 = 1 then 1 else 1/0 end, case 2 when 1 then 'a' end;
select case when id > 0 then 'x' else 1 end from ex_items;
select case 1 when 1 then 1.5 else 2 end, pg_typeof(case when true then 1 else 2.5 end), case when null then 'n' else 'e' end;
select id, coalesce(qty, -1), coalesce(cat, name, 'none'), coalesce(null, null, 3), coalesce(price, 0) * 2 from ex_items;
select coalesce(1, 'a');
select nullif(qty, 0), nullif(cat, ''), nullif(1, 1), nullif('a', 'b'), nullif(null::int, 1) from ex_items where id in (1, 2, 10);
select greatest(1, 5, 3), least(1, 5, 3), greatest('b', 'a', 'c'), least(2.5, 1), greatest(null, 1, 2), least(null::int, null);
select greatest(qty, 3), least(price, 1.00), greatest(name, cat) from ex_items;
select greatest(1, 'x');
select 5 between 1 and 10, 5 between 10 and 1, 5 between symmetric 10 and 1, 5 not between 6 and 7, null between 1 and 2;
select 'b' between 'a' and 'c', 2.5 between 2 and 3, id from ex_items where qty between 2 and 5 order by id;
select id from ex_items where price not between symmetric 2 and 1 order by id;
select 3 in (1, 2, 3), 4 in (1, 2, 3), 4 not in (1, 2, 3), 4 not in (1, null), 1 in (1, null), null in (1, 2), 'a' in ('a', 'b');
select id from ex_items where cat in ('veg', 'herb') order by id;
select id from ex_items where cat not in ('fruit', 'veg') order by id;
select id from ex_items where id not in (select qty from ex_items where qty is not null) order by id;
select count(*) from ex_items where id not in (select qty from ex_items);
select 2 = any('{1,2,3}'), 2 > all('{1,0}'::int[]), 'a' like any(array['%a%', 'b']), 3 = some(array[3]);
select id, qty > any(select qty from ex_items where cat = 'veg') from ex_items where cat = 'fruit';
select id from ex_items where qty >= all(select qty from ex_items where qty is not null);
select name like 'a%', name like '%e', name ilike 'a%', name like '_pple', name not like '%a%' from ex_items;
select id from ex_items where name like '%\%' order by id;
select id from ex_items where name like 'h\_%' order by id;
select id from ex_items where name like 'h#_%' escape '#';
select 'abc' like 'ABC', 'abc' ilike 'ABC', 'a%c' like 'a\%c', 'abc' like 'a%c%', '' like '%', 'ab' like 'a';
select 'abc' ~ 'b', 'abc' ~ '^B', 'abc' ~* '^B', 'abc' !~ 'z', 'abc' !~* 'A', 'a.c' ~ 'a\.c';
select id from ex_items where name ~ '^[a-f]' order by id;
select id, name ~* 'apple' from ex_items where name ~* 'a.*e';
select 'abc' similar to 'a(b|c)c', 'abc' similar to 'a%', 'abd' not similar to 'ab[cd]';
select 'x' ~ '(';
select 'x' ~ ')';
select 'x' ~ '[a';
select 'x' ~ '*a';
select 'x' ~ 'a{3,1}';
select 'x' ~ 'a\';
select 1 is distinct from 2, 1 is distinct from 1, null is distinct from null, null is not distinct from null, 1 is distinct from null;
select id from ex_items where cat is distinct from 'fruit' order by id;
select id from ex_items where qty is not distinct from null;
select null = null, null <> null, null is null, 1 is not null, null::int + 1, 'a' || null, null and false;
select true is true, null is unknown, false is not false, null::bool is not true, (1 < 2) is true;
select row(1, 2) = row(1, 2), row(1, 2) < row(1, 3), row(1, null) = row(1, 2), (1, 'a') <> (1, 'b'), row(1, 2, 3) > row(1, 2, 2);
select id from ex_items where (qty, price) > (3, 1.00) order by id;
select id from ex_items where (cat, qty) in (('fruit', 10), ('veg', 2)) order by id;
select not (qty > 3), -qty, +qty, -(price), qty * -1 from ex_items where id = 1;
select 2 + 3 * 4, (2 + 3) * 4, 2 ^ 3 ^ 2, -2 ^ 2, 10 - 2 - 3, 100 / 10 / 5, 7 % 4 * 2;
select 1 < 2 = true, not true = false, 'a' || 'b' = 'ab';
select id, qty * price as total from ex_items where qty * price > 5 order by total desc;
select id, price from ex_items where price > 1 and (cat = 'veg' or cat is null) order by id;
-- errors of casts and operators
select 'abc'::int;
select '1.5'::int;
select 'x'::numeric;
select '2024-13-45'::timestamp;
select 'yes please'::bool;
select '{1,a}'::int[];
select '12'::int2 * 10000::int2;
select 100000::int4 * 100000::int4;
select 2147483647::int4 + 1::int4;
select 200::int2::int4 * 200::int2::int4, 200::int2 * 100::int2;
select 200::int2 * 200::int2;
select (-32768)::int2 / (-1)::int2;
select 1 / 0;
select 1.0 / 0.0;
select 5 % 0;
select 1::float4 / 0::float4;
select sqrt(-4);
select log(-1);
select power(0, -1);
select 100::numeric(3,1);
select 'text' + 1;
select 1 + '1';
select 1 + '1.5';
select 'a' || 1 + 2;
select upper(5);
select length(1, 2);
select nosuchfunc(1);
select * from nosuchtable;
select nosuchcol from ex_items;
select id from ex_items where name;
select id from ex_items where qty;
select qty from ex_items group by cat;
select count(*) from ex_items where count(*) > 1;
select id, sum(qty) from ex_items;
select 1 from;
select 1 +;
select 1 as "a", 2 as "A", 3 as a, 4 as "Mixed Case", 5 as "has space";
select id as "ID", name as n from ex_items where id = 1;
select ex_items.id, e.id from ex_items, ex_items e where ex_items.id = 1 and e.id = 2;
select id from ex_items, ex_items e;
select cast(qty as text) || '-' || cast(price as text) from ex_items where id in (1, 5);
select qty::text::int + 1, price::text, price::float8, price::int from ex_items where id in (1, 3, 4);
select '5'::int + '7', pg_typeof('5' || 7), 1 = 1.0, 1::int2 = 1::int8, '1'::text = '1';
-- an integer literal is typed by its value once negated: the smallest int4 is int4
select pg_typeof(-2147483648), -2147483648, pg_typeof(-2147483649), pg_typeof(2147483648);
select -2147483648 - 1;
-- no implicit path from text to an integer: regclass comparisons go through oid's operators
select 'pg_class'::regclass = 'pg_class'::regclass, 1259 = 'pg_class'::regclass;
select relname from pg_class where oid = 'pg_class'::regclass;
select 'abc'::text = 5;
select 'abc'::varchar = 5;
select pg_typeof('x'), pg_typeof(null), pg_typeof('x'::text), pg_typeof(1.5), pg_typeof(array['a']);
select pg_typeof(x) from (values ('a')) v(x);
