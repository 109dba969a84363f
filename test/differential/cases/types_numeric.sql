-- Numeric types: bool, int2/4/8, numeric(p,s), float4/8 — literals, arithmetic, output
-- format, rounding, overflow, casts and their errors.
-- setup
create table tn_nums (id int primary key, i2 int2, i4 int4, i8 int8, n numeric(10,2), f4 float4, f8 float8, b bool);
insert into tn_nums values
  (1, 1, 10, 100, 1.25, 1.5, 0.1, true),
  (2, -2, -20, -200, -2.50, -2.25, 1e300, false),
  (3, 32767, 2147483647, 9223372036854775807, 99999999.99, 3.4e38, 1.7976931348623157e308, null),
  (4, -32768, -2147483648, -9223372036854775808, -99999999.99, -1.5e-45, 5e-324, true),
  (5, null, null, null, null, null, null, null),
  (6, 0, 0, 0, 0, 0, -0.0, false);

-- test
-- bool
select true, false, 't'::bool, 'yes'::bool, 'off'::bool, '1'::bool, ' TRUE '::bool;
select 'maybe'::bool;
select true and null, false and null, true or null, false or null, not null::bool;
select true < false, true > false, true::int, 0::bool, 5::bool;
select b, count(*) from tn_nums group by b;
select bool_and(b), bool_or(b), every(b) from tn_nums;
select 'true'::bool::text, false::text;
-- integers
select 1::int2, 32767::int2, (-32768)::int2, -32767::int2;
select 32768::int2;
select 2147483647::int4 + 1;
select 2147483647::int8 + 1;
select -2147483648::int4;
select (-2147483648)::int4;
select 9223372036854775807::int8 + 1;
select -9223372036854775808::int8;
select 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7 % -3;
select 7 / 0;
select 7 % 0;
select 7::int8 / 0::int8;
select (-2147483648)::int4 / -1;
select (-9223372036854775808)::int8 / -1;
select abs((-2147483647)::int4), abs(-5::int2), @ -5;
select 2 ^ 10, 2 ^ 0.5, (-8) ^ 3, 2.0 ^ -2;
select (-8) ^ (1.0/3);
select 5 & 3, 5 | 3, 5 # 3, ~5, 1 << 10, 1024 >> 3;
select i2 + i2, i4 * 2, i8 - 1 from tn_nums where id in (1, 2, 6);
select i2 * i2 from tn_nums where id = 3;
select i4 + 1 from tn_nums where id = 3;
select i8 * 2 from tn_nums where id = 3;
select pg_typeof(1::int2 + 1::int2), pg_typeof(1::int2 + 1), pg_typeof(1 + 1::int8), pg_typeof(1 + 1.0);
select pg_typeof(2147483648), pg_typeof(9223372036854775808), pg_typeof(1e3), pg_typeof(1.5);
select '  42  '::int4, '+17'::int4, '-0'::int4;
select '4 2'::int4;
select '12abc'::int8;
select ''::int4;
select '99999999999'::int4;
select 3.5::int4, 2.5::int4, -2.5::int4, 4.5::int8, '3.5'::float8::int4, 2.5::float8::int4;
select 1e10::int4;
select 'NaN'::float8::int4;
select gcd(12, 18), lcm(4, 6), gcd(0, 0), factorial(10);
select div(7, 2), div(-7, 2), mod(-7, 2), sign(-3), sign(0.0);
-- numeric
select 1.50::numeric, 1.50::numeric(5,1), 1.55::numeric(5,1), 1.45::numeric(5,1), -1.55::numeric(5,1);
select 0.5::numeric(3,0), 1.5::numeric(3,0), 2.5::numeric(3,0), -0.5::numeric(3,0);
select 12345.678::numeric(5,2);
select 999.995::numeric(5,2);
select 999.994::numeric(5,2);
select 123.456::numeric(10,-1);
select n, n * 2, n / 3, n + 0.005 from tn_nums where id in (1, 2, 6);
select 1::numeric / 3, 2::numeric / 3, 10::numeric / 4, 1.0 / 7, 100000000::numeric / 3;
select 1 / 3.0, 1.000 / 3, 1::numeric(20,10) / 3;
select 0.1 + 0.2, 0.1::numeric * 3, 1.10 * 1.10, 123.4500;
select 1::numeric / 0;
select 0::numeric / 0;
select 1.5 % 0.4, -1.5 % 0.4, mod(10.5, 3);
select 'NaN'::numeric, 'NaN'::numeric + 1, 'Infinity'::numeric, '-inf'::numeric, 'NaN'::numeric = 'NaN'::numeric;
select round(2.5), round(-2.5), round(3.14159, 2), round(1234.5, -2), trunc(3.999, 1), trunc(-3.999);
select ceil(1.1), ceil(-1.1), floor(1.9), floor(-1.9), ceiling(2.0);
select scale(1.2300), trim_scale(1.2300), min_scale(1.2300), round(1.2300, 1);
select sqrt(2::numeric), sqrt(16::numeric), exp(1::numeric), ln(10::numeric), log(100::numeric), log(2, 8::numeric);
select power(2::numeric, 10), power(2.5, 2), 2::numeric ^ 64;
select sqrt(-1::numeric);
select ln(0::numeric);
select 1e-5::numeric, 1e20::numeric, 0.000001230::numeric, 1.0e-10 * 1e10;
select '1.5e3'::numeric, ' 12.5 '::numeric, '-.5'::numeric, '5.'::numeric;
select '1.2.3'::numeric;
select 99999999.99::numeric(10,2) + 1;
select (n + 1)::numeric(10,2) from tn_nums where id = 3;
select sum(n), avg(n), min(n), max(n) from tn_nums;
select numeric '12345678901234567890.123456789' * 10, 12345678901234567890::numeric + 1;
select width_bucket(5.35, 0.024, 10.06, 5), width_bucket(0, 1, 10, 3);
-- float
select 0.1::float8, 1.5::float4, 1e300::float8 * 10, 3.4e38::float4;
select 0.1::float4, 0.1::float4::float8, 1/3::float8, 2/3::float4, 100::float8 / 3;
select 1e15::float8, 1e16::float8, 1e-5::float8, 123456789012345678::float8, 1.5e-7::float4;
select 'Infinity'::float8, '-Infinity'::float8, 'NaN'::float8, 'inf'::float4, '-INF'::float8;
select 'Infinity'::float8 + 1, 'Infinity'::float8 - 'Infinity'::float8, 'NaN'::float8 > 1, 'NaN'::float8 = 'NaN'::float8;
select 1e308::float8 * 10;
select 1e-320::float8, 4.9e-324::float8, 2.2250738585072014e-308::float8;
select 1e-400::float8;
select 1e39::float4;
select 1::float8 / 0;
select 0.0::float8 / 0;
select -0.0::float8, 0.0::float8 = -0.0::float8, '-0'::float8;
select f8, f4 from tn_nums;
select f8 * 2, f4 / 2 from tn_nums where id in (1, 2);
select sqrt(2::float8), cbrt(27::float8), exp(1::float8), ln(2::float8), log(1000::float8), pi();
select sin(0::float8), cos(0::float8), atan2(1, 1), degrees(pi()), radians(180::float8);
select round(2.5::float8), round(3.5::float8), round(-2.5::float8), trunc(-2.7::float8), ceil(2.1::float8);
select power(2::float8, 0.5), power(-8::float8, 3), power(0::float8, 0);
select power(-8::float8, 1.0/3);
select sqrt(-1::float8);
select 1.5::float8::numeric, 0.1::float4::numeric, 'NaN'::float8::numeric, 1e20::float8::numeric;
select 1e300::float8::numeric(5,2);
select 12.345::float8::text, 1e100::float8::text, (1.0/3)::float4::text;
select 'abc'::float8;
select ' 1.5 '::float8, '1e-3'::float4, '.5'::float8;
select 1.0::float8 = 1::int4, 1::int8 < 1.5::float4, 2::int2 = 2.0;
select sum(f8), min(f8), max(f8) from tn_nums where id in (1, 6);
select id from tn_nums where f8 > 1 order by id;
select id, i4 from tn_nums order by i4 nulls first, id;
select id, f8 from tn_nums order by f8 desc nulls last, id;
-- casts between families
select 1::bool;
select 1::int4::bool::int4, '12'::int2 + '13'::int8, 65::int4::text, '7'::text::int4 * 2;
select cast(12.7 as int4), cast('  3.9 ' as numeric(3,1)), cast(5 as float4) / 2;
select 255::int4::bit(8), to_hex(255), to_hex(-1), to_hex(9223372036854775807);
select int4 '42', int8 '-9', float8 '2.5', numeric '1.5', bool 't';
