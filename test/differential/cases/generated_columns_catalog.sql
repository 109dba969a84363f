-- Generated columns in the catalogs: pg_attrdef rows with the generation expression,
-- atthasdef, information_schema.columns (psql's \d shows them from these).
-- test
create table gc (a int, b int generated always as (a * 2) stored, c text default 'x', d text generated always as (upper(c) || a) stored);
select attname, attgenerated, atthasdef from pg_attribute where attrelid = 'gc'::regclass and attnum > 0 order by attnum;
select adnum, pg_get_expr(adbin, adrelid) from pg_attrdef where adrelid = 'gc'::regclass order by adnum;
select column_name, is_generated, generation_expression, column_default from information_schema.columns where table_name = 'gc' order by ordinal_position;
drop table gc;
