-- Range types: int4range, int8range, numrange, tsrange, tstzrange, daterange: literals and
-- canonical forms, constructors, malformed input, accessors, operators, ordering, arrays,
-- columns and joins on overlap.
-- test
select '[1,5]'::int4range, '(1,5)'::int4range, '[3,3)'::int4range, '(,5]'::int4range, 'empty'::int4range, '  [ 1 , 9 ) '::int4range;
select '[1.5,2.5]'::numrange, '(,)'::numrange, '["2024-01-01 10:00","2024-01-02")'::tsrange, '[2024-01-01,2024-02-01]'::daterange;
select int4range(1, 5), int4range(1, 5, '[]'), int4range(null, 5), numrange(1.1, 2.2, '(]'), daterange('2024-01-01', '2024-01-10', '()');
select int4range(5, 1);
select int4range(1, 5, 'xx');
select '[5,1)'::int4range;
select '[1,5'::int4range;
select '1,5)'::int4range;
select '[1,5,6)'::int4range;
select '[1,5)x'::int4range;
select 'emptyx'::int4range;
select lower(int4range(1,5)), upper(int4range(1,5)), isempty(int4range(1,1)), lower_inc('(1,5]'::numrange), upper_inc('(1,5]'::numrange), lower_inf('(,5]'::numrange), upper_inf('(,5]'::numrange);
select int4range(1,10) @> 5, int4range(1,10) @> 10, 5 <@ int4range(1,10), int4range(1,10) @> int4range(2,3), int4range(2,3) <@ int4range(1,10);
select int4range(1,5) && int4range(4,8), int4range(1,5) && int4range(5,8), int4range(1,5) << int4range(5,8), int4range(6,9) >> int4range(1,5);
select int4range(1,5) &< int4range(3,8), int4range(4,9) &> int4range(1,5), int4range(1,5) -|- int4range(5,8), numrange(1,2) -|- numrange(2,3), numrange(1,2,'[]') -|- numrange(2,3);
select int4range(1,5) + int4range(5,8), int4range(1,5) * int4range(3,8), int4range(1,10) - int4range(5,8), int4range(1,10) - int4range(0,5), int4range(1,5) - int4range(1,5);
select int4range(1,3) + int4range(5,8);
select int4range(1,10) - int4range(3,5);
select range_merge(int4range(1,3), int4range(5,8));
select int4range(1,5) = int4range(1,5,'[)'), int4range(1,5) < int4range(1,6), 'empty'::int4range < int4range(1,2), int4range(null,2) < int4range(1,2);
select r from (values (int4range(5,9)), (int4range(1,3)), ('empty'::int4range), (int4range(null,2)), (int4range(1,null))) t(r) order by r;
select tstzrange('2024-01-01 00:00+00', '2024-01-02 00:00+00') @> '2024-01-01 12:00+00'::timestamptz;
select '2024-01-01 12:00+00'::timestamptz <@ tstzrange('2024-01-01 00:00+00', '2024-01-02 00:00+00', '(]');
select '["a b",c)'::text::int4range;
select numrange(1.0, 2.00) = numrange(1, 2), count(distinct r) from (values (numrange(1.0,2)), (numrange(1,2.00))) t(r);
select '{"[1,2)","[3,4)"}'::int4range[], array[int4range(1,2), int4range(3,5)];
select pg_typeof(int4range(1,2)), pg_typeof(lower(numrange(1,2))), int4range(1,2)::text;
create table rt (id int, during tsrange);
insert into rt values (1, '[2024-01-01 10:00, 2024-01-01 11:00)'), (2, '[2024-01-01 10:30, 2024-01-01 12:00)'), (3, null);
select a.id, b.id from rt a join rt b on a.during && b.during and a.id < b.id;
select id, upper(during) - lower(during) from rt order by id;
select int8range(1, 9223372036854775807, '[]');
select daterange('2024-01-01', 'infinity', '[]'), daterange('-infinity', '2024-01-01', '(]');
set timezone = 'America/New_York';
select tstzrange('2024-03-10 01:00', '2024-03-10 04:00'), '[2024-01-01 00:00+00,)'::tstzrange;
reset timezone;
select '["a\\b","c""d")'::text, numrange(1, 2) @> 1.5::numeric, numrange(1, 2) @> 2.0;
select int4range(1, 5) <> int4range(1, 6), int4range(1, 5) >= int4range(1, 5), max(upper(r)) from (values (int4range(1, 3)), (int4range(2, 9))) t(r);
select isempty(numrange(1, 1)), numrange(1, 1, '[]'), upper_inc(numrange(1, 1, '[]'));
select daterange('2024-01-01', '2024-01-05') * daterange('2024-01-03', '2024-01-09'), daterange('2024-01-01', '2024-01-05') - daterange('2024-01-03', '2024-01-09');
select int4range(1, 5, null);
select r, lower(r) from (values ('[1,2)'::int4range), (null)) t(r) order by 1;
