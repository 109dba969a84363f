-- Character types, bytea, uuid, inet/cidr and arrays: input, output, length rules, casts.
-- setup
create table tt_chars (id int primary key, t text, v varchar(5), c char(5));
insert into tt_chars values (1, 'abc', 'abc', 'abc'), (2, 'abc  ', 'ab  ', 'ab  '), (3, '', '', ''), (4, null, null, null), (5, 'Ünï', 'ünï', 'ÜNÏ');
create table tt_arr (id int primary key, ia int[], ta text[], m int[][]);
insert into tt_arr values
  (1, '{1,2,3}', '{a,b,c}', '{{1,2},{3,4}}'),
  (2, '{}', '{}', '{}'),
  (3, '{NULL,5}', '{"x y",NULL,"q\"uote"}', null),
  (4, array[10, 20, 30, 40], array['p', 'Q'], array[[5,6],[7,8]]),
  (5, null, null, null);

-- test
-- text, varchar(n), char(n)
select t, v, c, length(t), length(v), length(c), octet_length(c) from tt_chars;
select c = 'ab', c = 'ab   ', v = 'ab', t = 'abc' from tt_chars where id = 2;
select c || '|', v || '|', c::text || '|', c::varchar || '|' from tt_chars where id = 2;
select 'abcdef'::varchar(3), 'abcdef'::char(3), 'ab'::char(4) || 'x', 'ab'::char(4)::text;
insert into tt_chars values (10, 'x', 'toolong', 'a');
insert into tt_chars values (11, 'x', 'a', 'toolong');
insert into tt_chars values (12, 'x', 'five ', 'abcde  ');
select id, v, length(v), c from tt_chars where id = 12;
select 'a'::char, 'ab'::char, pg_typeof('a'::char), pg_typeof('x'::varchar), pg_typeof('x'::bpchar);
select 'abc' < 'abd', 'Z' < 'a', 'a' < 'B', '' < ' ', 'abc' < 'abcd';
select max(t), min(t), max(c), min(v) from tt_chars;
select string_agg(t, ',' order by t) from tt_chars;
select t from tt_chars order by t nulls first;
select 'it''s', E'tab\there', E'line\nbreak', E'\\', 'back\slash', U&'\0041\00e9';
select $$dollar 'quoted'$$, $q$nested $$ inside$q$, length($$$$);
select 'a' 'b';
select 'A' || 1 || true || null::text, concat('A', 1, true, null), concat_ws('-', 'a', null, 'b');
select repeat('ab', 3), repeat('x', 0), repeat('x', -1);
select 'héllo' as accented, length('héllo'), octet_length('héllo'), upper('héllo'), lower('ÀÉÎ');
-- bytea
select '\x48656c6c6f'::bytea, 'Hello'::bytea, '\000\001abc'::bytea, ''::bytea;
select E'\\xDEADBEEF'::bytea, length('\xdeadbeef'::bytea), octet_length('abc'::bytea);
select '\xzz'::bytea;
select 'abc'::bytea || 'def'::bytea, substring('\x0102030405'::bytea from 2 for 3), get_byte('\x0a0b'::bytea, 1);
select encode('Hello'::bytea, 'hex'), encode('Hello'::bytea, 'base64'), encode('a\000b'::bytea, 'escape');
select decode('48656c6c6f', 'hex'), decode('SGVsbG8=', 'base64'), convert_from('\x48c3a9'::bytea, 'UTF8');
select md5('abc'), md5('abc'::bytea), sha256('abc'::bytea);
select set_byte('\x000000'::bytea, 1, 255), position('\x03'::bytea in '\x010203'::bytea);
select '\x01'::bytea < '\x02'::bytea, '\x0100'::bytea > '\x01'::bytea;
-- uuid
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid;
select '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}'::uuid, 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'::uuid;
select 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid < 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid;
select length(gen_random_uuid()::text), gen_random_uuid() = gen_random_uuid(), pg_typeof(gen_random_uuid());
select '00000000-0000-0000-0000-000000000000'::uuid::text;
-- inet / cidr
select '192.168.1.5'::inet, '192.168.1.5/24'::inet, '10.0.0.0/8'::cidr, '::1'::inet, '2001:DB8::1/64'::inet;
select '192.168.1.5/24'::cidr;
select '300.1.1.1'::inet;
select host('192.168.1.5/24'::inet), masklen('192.168.1.5/24'::inet), network('192.168.1.5/24'::inet), family('::1'::inet);
select broadcast('192.168.1.5/24'::inet), netmask('192.168.1.5/24'::inet), hostmask('10.0.0.0/8'::inet);
select '192.168.1.5'::inet << '192.168.1.0/24'::inet, '192.168.1.0/24'::inet >>= '192.168.1.0/24'::inet;
select '10.0.0.1'::inet < '10.0.0.2'::inet, '10.0.0.1'::inet + 255, '10.0.1.0'::inet - '10.0.0.0'::inet;
select text('10.1.2.3/32'::inet), abbrev('10.1.0.0/16'::cidr), set_masklen('10.1.2.3'::inet, 16);
-- arrays
select ia, ta, m from tt_arr;
select ia[1], ia[2], ia[0], ia[99], ta[2], m[2][1], m[1] from tt_arr;
select ia[2:3], ia[:2], ia[2:], m[1:1][2:2] from tt_arr where id in (1, 4);
select array_length(ia, 1), cardinality(ia), array_ndims(m), array_dims(m), array_upper(ia, 1), array_lower(ia, 1) from tt_arr;
select array[1, 2] || 3, 0 || array[1, 2], array[1, 2] || array[3, 4], array[[1, 2]] || array[3, 4];
select array_append(array[1, 2], 3), array_prepend(0, array[1]), array_cat(array['a'], array['b', 'c']);
select array_remove(array[1, 2, 1, 3], 1), array_replace(array[1, 2, 1], 1, 9), array_position(array['a', 'b', 'c'], 'b');
select array_positions(array[1, 2, 1, 1], 1), array_to_string(array[1, null, 3], ',', '*'), string_to_array('a,b,,c', ',', '');
select array_to_string(array['x', 'y'], ''), string_to_array('a b c', ' '), string_to_array('', ',');
select 3 = any(array[1, 2, 3]), 5 = all(array[5, 5]), 1 <> all(array[2, 3]), 1 = any('{}'::int[]), null = any(array[1]);
select 2 = any(array[1, null, 3]), 1 = any(array[1, null]), 2 < all(array[3, null]);
select array[1, 2] = array[1, 2], array[1, 2] < array[1, 3], array[1] < array[1, 0], '{}'::int[] < array[1];
select array[1, 2, 3] @> array[2, 1], array[1, 2] <@ array[1, 2, 3], array[1, 2] && array[2, 9], array[1] && array[2];
select id from tt_arr where 2 = any(ia) or 'p' = any(ta);
select id from tt_arr where ia @> '{20}' order by id;
select array[1.5, 2]::int[], array['1', '2']::int[], '{1,2}'::int[]::text[], '{{a,b},{c,d}}'::text[];
select '{1,2'::int[];
select '{{1,2},{3}}'::int[];
select array[]::int[], '{}'::text[], array_length('{}'::int[], 1), cardinality('{}'::int[]);
select array[null]::int[], '{null,"NULL",""}'::text[], array['a b', 'c,d', 'e"f', 'g\h', ''];
select array[true, false], array[1.50, 2.0], array['2024-01-02'::date], array[1::int8, 2];
select array(select g from generate_series(1, 5) g where g % 2 = 1), array(select 'x' where false);
select unnest(array[1, 2, 3]) as u;
select u, o from unnest(array['a', 'b', 'c']) with ordinality as t(u, o);
select * from unnest(array[1, 2], array['x', 'y', 'z']) as t(n, s);
select unnest(m) from tt_arr where id = 1;
select trim_array(array[1, 2, 3, 4], 2), array_fill(7, array[3]), array_fill('x'::text, array[2, 2]);
select id, array_agg(x order by x) from tt_arr, unnest(ia) x where x is not null group by id;
select ia[1] + ia[2] from tt_arr where id = 1;
update tt_arr set ia[2] = 99 where id = 1 returning ia;
update tt_arr set ia = ia || 100 where id = 2 returning ia;
select pg_typeof(ia), pg_typeof(ta[1]), pg_typeof(m[1:1]) from tt_arr where id = 1;
select 'x' || true, 'x'::text || false, false || 'y', 'x' || null::bool, concat('x', true);
