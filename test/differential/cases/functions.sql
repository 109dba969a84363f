-- Built-in string and math functions, formatting, generate_series, and deterministic uses of
-- the nondeterministic ones.
-- setup
create table fn_words (id int primary key, w text, n numeric(10,3));
insert into fn_words values
  (1, 'Hello World', 3.14159), (2, '  padded  ', -2.5), (3, 'a,b,,c', 1000000.125), (4, 'MiXeD cAsE', 0),
  (5, 'ünïcödé', 42.5), (6, '', -0.001), (7, null, null), (8, 'repeat repeat repeat', 7.777);

-- test
select w, length(w), char_length(w), octet_length(w), bit_length(w) from fn_words;
select upper(w), lower(w), initcap(w) from fn_words;
select substr(w, 2, 3), substr(w, 5), substring(w from 2 for 4), substring(w, 3), left(w, 3), right(w, 3), left(w, -2), right(w, -2) from fn_words;
select substr('abc', 0, 2), substr('abc', -1, 3), substr('abc', 2, 0);
select substr('abc', 1, -1);
select trim(w), ltrim(w), rtrim(w), btrim(w), '[' || trim(both ' ' from w) || ']' from fn_words where id in (1, 2, 6);
select trim(leading 'x' from 'xxabcxx'), trim(trailing 'x' from 'xxabcxx'), btrim('xyabcyx', 'xy'), ltrim('zzz1', 'z'), rtrim('1zz', 'z');
select lpad('ab', 5), lpad('ab', 5, '*-'), rpad('ab', 5, '.'), lpad('abcdef', 3), rpad('', 2, 'x'), lpad('x', 0);
select position('lo' in w), strpos(w, 'e'), position('' in 'abc') from fn_words;
select replace(w, 'e', 'E'), replace(w, 'repeat', ''), translate(w, 'lo', '01'), translate('abc', 'ab', 'x') from fn_words;
select reverse(w), repeat(left(w, 2), 2) from fn_words;
select split_part(w, ',', 1), split_part(w, ',', 3), split_part(w, ',', 4), split_part(w, ',', -1) from fn_words where id = 3;
select split_part('a.b.c', '.', 0);
select concat(w, '|', n), concat_ws('/', id, w, n), w || n from fn_words;
select format('%s and %s', 'x', 'y'), format('%I.%I', 'Tab', 'col'), format('%L', 'it''s'), format('%L', null), format('%5s|%-5s|', 'a', 'b');
select format('%2$s %1$s', 'world', 'hello'), format('%%'), format('%s', null), format('%s', array[1, 2]);
select format('%d', 1);
select quote_ident('abc'), quote_ident('Abc'), quote_ident('a b'), quote_literal('it''s'), quote_literal(42), quote_nullable(null);
select ascii('A'), ascii(''), chr(65), chr(233), ascii('é');
select chr(0);
select starts_with(w, 'He'), w ^@ 'MiX' from fn_words where id in (1, 4);
select regexp_replace('hello world', 'o', '0'), regexp_replace('hello world', 'o', '0', 'g'), regexp_replace('abc', '(a)(b)', '\2\1');
select regexp_replace('AbC', '[a-z]', '_', 'gi'), regexp_match('foo123bar45', '\d+'), regexp_match('abc', 'z');
select regexp_matches('a1b22c333', '\d+', 'g');
select regexp_split_to_array('a1b22c', '\d+'), regexp_split_to_table('x y  z', '\s+');
select regexp_count('abcabc', 'b'), regexp_instr('abcabc', 'c', 1, 2), regexp_substr('abc123', '\d+'), regexp_like('Abc', 'abc', 'i');
select string_to_table('a,b,c', ','), md5(''), to_hex(4095);
select overlay('abcdef' placing 'XY' from 3), overlay('abcdef' placing 'XYZ' from 2 for 1);
select encode(convert_to('é', 'UTF8'), 'hex'), length(convert_to('é', 'LATIN1'));
select 'abc' < 'abd' collate "C", upper('ß'), lower('İ') = 'i̇';
select to_char(n, '999G999D99'), to_char(n, 'FM999990.00'), to_char(n, '0000.0'), to_char(n, 'S9999.9') from fn_words;
select to_char(1234567.891, '9,999,999.99'), to_char(-5, '999PR'), to_char(0.5, '0.9'), to_char(12, 'RN');
select to_char(3, 'FM9th'), to_char(22, '99TH');
select to_char(1e10::float8, '9.99EEEE'), to_char(123, '00000'), to_char(12.345, '99.9'), to_char(-0.1, 'FM9.99');
select to_number('1,234.5', '9G999D9'), to_number('-12', 'S99'), to_number('$ 12.50', 'L99D99');
-- math
select abs(n), sign(n), ceil(n), floor(n), round(n), round(n, 1), trunc(n, 2), n % 2 from fn_words;
select mod(17, 5), mod(-17, 5), mod(17.5, 5), div(17.5, 5), 17 / 5, -17 / 5;
select sqrt(n) from fn_words where n > 0;
select sqrt(n) from fn_words where id = 2;
select exp(0), exp(1.0), ln(1), ln(exp(2.0)), log(10, 1000), log10(1000), log(2.0);
select power(10, 2), power(2.0, -1), power(1.5, 2.5), 10 ^ -2, power(-2, 3);
select round(1.005, 2), round(2.675::float8 * 100) / 100, round(-1.5), round(0.5::float8), round(1.5::float8), round(-0.5::float8);
select trunc(1234.5678, -2), round(1234.5678, -2), trunc(-0.9), ceil(-0.9), floor(0.9);
select pi(), sin(pi() / 2), cos(pi()), tan(0), asin(1), acos(1), atan(1), round(cot(1)::numeric, 10);
select sind(30), cosd(60), tand(45), asind(0.5), degrees(1), radians(90);
select sinh(0), cosh(0), tanh(0), asinh(0), acosh(1), atanh(0);
select greatest(1.5, 2, 0.5), least(-1, -1.5), abs(-0.0), sign(-0.0::float8), ceil(-0.5::float8), floor(-0.5::float8);
select 10::float8 / 4, 10 / 4, 10::numeric / 4, 10 / 4.0, 1::float8 / 3 * 3, 0.1::float8 + 0.2::float8;
select factorial(20), factorial(0);
select factorial(-1);
select gcd(1071, 462), lcm(21, 6), gcd(-12, 18), gcd(0, 5), lcm(0, 5);
select width_bucket(n, 0, 100, 4) from fn_words;
select random() >= 0 and random() < 1, setseed(0.5) is null, length(md5(random()::text)), pg_typeof(random());
select now() = now(), clock_timestamp() >= now() - interval '1 hour', statement_timestamp() = now(), transaction_timestamp() = now();
select length(gen_random_uuid()::text), gen_random_uuid() <> gen_random_uuid(), substr(gen_random_uuid()::text, 15, 1);
-- generate_series
select generate_series(1, 5);
select generate_series(5, 1, -2), generate_series(1, 0);
select * from generate_series(0, 1, 0.25) g;
select * from generate_series(10, 1) g;
select generate_series(1, 3) as a, generate_series(1, 2) as b;
select g, g * g as sq from generate_series(-2, 2) g;
select count(*), sum(g), min(g), max(g) from generate_series(1, 1000) g;
select * from generate_series(1, 10, 0);
select s.a, t.b from generate_series(1, 3) s(a), generate_series(1, 2) t(b);
select * from generate_series(1, 3) with ordinality as t(v, ord);
select generate_subscripts(array['a', 'b', 'c'], 1);
select string_agg(g::text, '' order by g desc) from generate_series(1, 9) g;
select * from generate_series(1, 3) a join generate_series(2, 4) b on a = b;
select pg_typeof(g) from generate_series(1::int8, 2::int8) g;
select sum(x), count(*) from (select generate_series(1, 100) as x) s where x % 7 = 0;
