-- Text, regular-expression and array functions beyond functions.sql and types_text.sql:
-- regexp flags and set-returning forms, PG 15's regexp_count/instr/substr/like, SIMILAR TO,
-- LIKE ESCAPE, format(), encoding, string_agg, and arrays in several dimensions.
-- setup
create table sa_text (id int primary key, s text, p text);
insert into sa_text values
  (1, 'The quick brown fox', 'qu(i)ck'), (2, 'foo123bar456baz', '[0-9]+'), (3, 'a.b.c', '\.'),
  (4, 'MiXeD CaSe', '[a-z]+'), (5, '', '^$'), (6, null, 'x'), (7, 'aaa', null),
  (8, 'tab	and spaces  here', '\s+');
create table sa_arr (id int primary key, a int[], t text[]);
insert into sa_arr values
  (1, '{1,2,3,2}', '{x,y}'), (2, '{{1,2,3},{4,5,6}}', '{{a,b},{c,d}}'), (3, '[0:2]={7,8,9}', '{}'),
  (4, '{}', null), (5, null, '{"with space","q\"uote","back\\slash",NULL,"NULL",""}'),
  (6, '{NULL,NULL}', '{a}');

-- test
-- regexp_match: capture groups, no match, flags, nulls
select regexp_match('foobarbequebaz', '(bar)(beque)'), regexp_match('foobarbequebaz', 'bar(x)?');
select regexp_match('abc', '(a)|(z)'), regexp_match('ABC', 'b', 'i'), regexp_match(null, 'a');
select id, regexp_match(s, p) from sa_text order by id;
select (regexp_match('key=value', '(\w+)=(\w+)'))[2], pg_typeof(regexp_match('a', 'a'));
select regexp_match('abc', 'b', 'g');
select regexp_match('abc', '(?:a)(b)'), regexp_match('aXbX', '(?<x>b)');
-- regexp_matches: set-returning, g flag, groups, empty matches
select regexp_matches('foobarbequebazilbarfbonk', '(b[^b]+)(b[^b]+)', 'g');
select regexp_matches('abcabc', 'b');
select regexp_matches('abc', 'z', 'g');
select regexp_matches('aBcAbC', 'b', 'gi');
select regexp_matches('abc', '', 'g');
select regexp_matches('a1b2', '(\d)?', 'g');
select id, regexp_matches(s, '[aeiou]', 'g') from sa_text where id in (1, 4) order by id;
select count(*) from sa_text, regexp_matches(s, '[0-9]', 'g') m;
select m[1], m[2] from regexp_matches('k1=v1;k2=v2', '(\w+)=(\w+)', 'g') as m;
select regexp_matches('a b', 'a # comment
  \s b', 'x');
select regexp_matches(E'line1\nline2', '^line\d$', 'gn');
select regexp_matches(E'line1\nline2', '^line\d$', 'g');
select regexp_matches(E'a\nb', 'a.b'), regexp_matches(E'a\nb', 'a.b', 's');
select regexp_matches(E'a\nb', 'a.b', 'n');
select regexp_matches('abc', 'b', 'q');
select regexp_matches('a+b', 'a+b', 'q');
select regexp_matches('abc', 'b', 'z');
-- regexp_replace: flags, back references, start position and N (PG 15)
select regexp_replace('foobarbaz', 'b..', 'X'), regexp_replace('foobarbaz', 'b..', 'X', 'g');
select regexp_replace('abc', 'b', '[\&]'), regexp_replace('abc', '(b)', '<\1\1>'), regexp_replace('abc', 'b', '\\');
select regexp_replace('hello world', '(\w+) (\w+)', '\2 \1'), regexp_replace('abc', 'b', '\0'), regexp_replace('abc', 'b', '\9');
select regexp_replace('ABCabc', 'b', '-', 'gi'), regexp_replace('aaa', 'a', 'b', 'g'), regexp_replace('aaa', '', '-', 'g');
select regexp_replace('abcabcabc', 'b', 'X', 4), regexp_replace('abcabcabc', 'b', 'X', 1, 2), regexp_replace('abcabcabc', 'b', 'X', 1, 0);
select regexp_replace('abcabcabc', 'B', 'X', 1, 3, 'i'), regexp_replace('abc', 'b', 'X', 10);
select regexp_replace('abc', 'b', 'X', 0);
select regexp_replace('abc', 'b', 'X', 1, -1);
select id, regexp_replace(s, p, '#', 'g') from sa_text order by id;
select regexp_replace('a.b.c', '.', '-', 'g'), regexp_replace('a.b.c', '\.', '-', 'g'), regexp_replace('a.b', '[.]', '\&\&');
-- regexp_split_to_table / _to_array
select regexp_split_to_table('hello world  foo', '\s+');
select regexp_split_to_table('abc', '');
select regexp_split_to_table('', ',');
select regexp_split_to_array('abc', ''), regexp_split_to_array('', ','), regexp_split_to_array('a,b,', ',');
select regexp_split_to_array('aXbxc', 'x', 'i'), regexp_split_to_array('a1b2c', '(\d)'), regexp_split_to_array(',a,', ',');
select regexp_split_to_array('abc', 'b', 'g');
select s, regexp_split_to_array(s, '\.') from sa_text where id = 3;
select x, ordinality from regexp_split_to_table('c,b,a', ',') with ordinality as x order by ordinality;
-- regexp_count, regexp_instr, regexp_substr, regexp_like
select regexp_count('ABCABCAXYaxy', 'A.'), regexp_count('ABCABCAXYaxy', 'A.', 1, 'i'), regexp_count('ABCABCAXYaxy', 'A.', 5);
select regexp_count('aaaa', 'aa'), regexp_count('abc', ''), regexp_count('', 'a'), regexp_count('abc', 'a', 4);
select regexp_count('abc', 'a', 0);
select regexp_instr('number of your street, town zip, FR', '[^,]+', 1, 2), regexp_instr('ABCDEFGHI', '(c..)(...)', 1, 1, 0, 'i', 2);
select regexp_instr('abcabc', 'b', 1, 1, 1), regexp_instr('abcabc', 'z'), regexp_instr('abcabc', 'b', 3), regexp_instr('abc', '(b)(z)?', 1, 1, 0, '', 2);
select regexp_instr('abc', 'b', 1, 1, 2);
select regexp_instr('abc', 'b', 1, 0);
select regexp_substr('number of your street, town zip, FR', '[^,]+', 1, 2), regexp_substr('ABCDEFGHI', '(c..)(...)', 1, 1, 'i', 2);
select regexp_substr('abc', 'z'), regexp_substr('abcabc', 'b.', 3), regexp_substr('abc', '(b)(z)?', 1, 1, '', 2), regexp_substr('abc', 'b', 1, 1, '', 3);
select regexp_like('Hello World', 'world'), regexp_like('Hello World', 'world', 'i'), regexp_like('abc', '^a.c$'), regexp_like(null, 'a');
select regexp_like('abc', 'b', 'g');
select id, regexp_count(s, '[a-z]'), regexp_instr(s, p), regexp_substr(s, p), regexp_like(s, p) from sa_text order by id;
-- invalid regular expressions and flags
select regexp_match('abc', '(');
select regexp_replace('abc', '[b', 'x');
select regexp_count('abc', 'a**');
select regexp_split_to_table('abc', '(?<=a)b');
select 'abc' ~ '\';
select 'abc' ~ 'a{2,1}';
select 'abc' ~ 'a{256}';
select 'abc' ~ 'a(?i)b';
select 'abc' ~ '(?P<x>a)';
select regexp_like('abc', 'a', 'z');
-- ~ ~* !~ !~* and regex classes
select 'Tessera' ~ '^T.*a$', 'Tessera' ~* 'SSE', 'Tessera' !~ 'x', 'Tessera' !~* 'TESS';
select 'abc123' ~ '^[[:alpha:]]+[[:digit:]]+$', 'a_b' ~ '^\w+$', 'a b' ~ '\S\s\S', 'x' ~ '[[:upper:]]';
select 'foo' ~ '\mfoo\M', 'foobar' ~ '\yfoo\y', 'aaa' ~ '^a{3}$', 'ab' ~ '^(a|b)+$', 'abab' ~ '^(ab)\1$';
select id, s ~ p, s ~* p, s !~ p from sa_text order by id;
select 'abc' ~ '(?i)ABC', 'abc' ~ '***=a.c', 'a.c' ~ '***=a.c', 'a{,2}' ~ 'a{,2}', 'x}' ~ 'x}', 'abc' ~ '(?#note)b';
-- SIMILAR TO and substring(... similar ...)
select 'abc' similar to 'abc', 'abc' similar to 'a', 'abc' similar to '%(b|d)%', 'abc' similar to '(a|b)*c';
select 'aaa' similar to 'a{2,3}', 'ab' similar to 'a_', 'a+' similar to 'a+', 'aa' similar to 'a+', 'x' similar to '[a-z]';
select 'a%c' similar to 'a#%c' escape '#', 'abc' similar to 'a#%c' escape '#', 'abc' not similar to 'a.c', 'a.c' similar to 'a.c';
select null similar to 'a', 'a' similar to null, 'abc' similar to '%' escape '';
select 'abc' similar to 'a' escape 'xy';
select substring('foobar' similar '%#"o_b#"%' escape '#'), substring('foobar' from '%#"o_b#"%' for '#');
select substring('foobar' similar '#"f%#"' escape '#'), substring('foobar' similar 'x#"%#"' escape '#');
-- substring with POSIX patterns
select substring('foobar' from 'o.b'), substring('foobar' from 'o(.)b'), substring('foobar' from 'z'), substring('Thomas' from '...$');
select substring('abc' from '(x)?b'), substring(null from 'a'), substring('abc' from null);
-- LIKE / ILIKE with ESCAPE
select 'a_c' like 'a\_c', 'abc' like 'a\_c', 'a_c' like 'a!_c' escape '!', 'a!c' like 'a!!c' escape '!', '100%' like '100!%' escape '!';
select 'abc' like 'abc' escape '', 'a\c' like 'a\c' escape '', 'ABC' ilike 'a_c', 'ABC' not ilike 'a%', 'abc' ilike 'A%' escape '#';
select 'abc' like 'a%' escape 'ab';
select 'abc' like 'ab\';
select 'ab' like 'ab\\', 'ab\' like 'ab\\', 'ab' like 'a%%%b', 'a' like '%_%', '' like '_';
select id, s like '%a%', s ilike '%A%', s not like '%e%' from sa_text order by id;
select 'abc' ~~ 'a%', 'abc' ~~* 'A%', 'abc' !~~ 'b%', 'abc' !~~* 'B%';
-- format()
select format('Hello %s, %s', 'World', 42), format('%s', 1.50), format('%s %s', null, 'x'), format(null);
select format('%I', 'simple'), format('%I', 'With Space'), format('%I', 'select'), format('%I', 'a"b'), format('%L', 'O''Reilly'), format('%L', E'back\\slash');
select format('%1$s %1$s %2$s', 'a', 'b'), format('%2$s, %s', 'a', 'b', 'c'), format('%3$s|%1$s', 'x', 'y', 'z');
select format('|%10s|', 'right'), format('|%-10s|', 'left'), format('|%3s|', 'toolong'), format('|%*s|', 6, 'st'), format('|%-*s|', 6, 'st');
select format('|%*s|', -6, 'st'), format('|%1$*2$s|', 'ab', 5), format('|%2$-5s|%1$5s|', 'a', 'b');
select format('%s', array['a', 'b']), format('%L', array['a', 'b']), format('%L', 42), format('%I', 42);
select format('%s %s', 'only one');
select format('%z', 1);
select format('%I', null);
select format('%0$s', 'a');
select format('abc %', 'x');
select format('%s', variadic array['x', 'y']), format('%2$s', variadic array['x', 'y']);
-- concat, concat_ws with NULLs
select concat(null), concat(null, null) is null, concat('a', null, 'b', 1.5, false);
select concat_ws(',', null, null), concat_ws(null, 'a', 'b'), concat_ws('', 'a', null, 'b'), concat_ws(', ', 'x', array[1, 2]);
select concat(variadic array['a', 'b', null]), concat_ws('-', variadic array['a', null, 'b']);
-- split_part, translate, overlay, position, strpos
select split_part('a,b,c', ',', -1), split_part('a,b,c', ',', -3), split_part('a,b,c', ',', -4), split_part('a,b,c', '', 1), split_part('a,b,c', '', -1), split_part('', ',', 1);
select split_part('abc~@~def~@~ghi', '~@~', 2), split_part('a,b', ',', 3), split_part('abc', ',', 1), split_part('abc', ',', 2);
select translate('12345', '143', 'ax'), translate('abc', '', 'x'), translate('aaa', 'a', ''), translate('hello', 'lo', 'LOX'), translate(null, 'a', 'b');
select overlay('Txxxxas' placing 'hom' from 2 for 4), overlay('abc' placing 'X' from 5), overlay('abc' placing '' from 2 for 1), overlay('abc' placing 'XY' from 1 for 0);
select overlay('abc' placing 'X' from 0);
select overlay('abc' placing 'X' from 2 for -1);
select position('b' in 'abcb'), position('' in ''), position('z' in 'abc'), strpos('high', 'ig'), strpos('', ''), strpos('abc', null);
select position('ç' in 'français'), strpos('日本語テキスト', 'テ'), length('日本語'), octet_length('日本語');
-- left, right, lpad, rpad, initcap, repeat, reverse, starts_with
select left('abcde', 2), left('abcde', -2), left('abcde', 0), left('abcde', -10), right('abcde', 2), right('abcde', -2), right('abcde', 10), right('abcde', -10);
select lpad('hi', 5, 'xy'), rpad('hi', 5, 'xy'), lpad('hello', 2), rpad('hello', 2), lpad('hi', 5, ''), rpad('hi', -1), lpad('日本', 4, '語');
select initcap('hi THOMAS'), initcap('o''neil mc-donald 3rd'), initcap('ÉCOLE élève'), initcap(''), initcap('a1b c_d');
select repeat('-', 5), repeat('ab', 1), repeat('', 3), repeat(null, 3), reverse('abc'), reverse(''), reverse('héllo');
select starts_with('alphabet', 'alph'), starts_with('alphabet', ''), starts_with('', 'a'), starts_with('abc', null), 'alphabet' ^@ 'beta';
-- quoting
select quote_ident('simple'), quote_ident('Mixed'), quote_ident('with"quote'), quote_ident('table'), quote_ident(''), quote_ident('_x1'), quote_ident('1x');
select quote_literal('plain'), quote_literal(E'back\\slash'), quote_literal(E'it''s \\ here'), quote_literal(null), quote_literal(1.5), quote_literal(array[1, 2]);
select quote_nullable('x'), quote_nullable(null), quote_nullable(42), quote_nullable(E'a\\b'), quote_literal(true), quote_nullable(null::int);
-- md5, sha2, encode/decode, to_hex, ascii/chr
select md5('The quick brown fox'), md5(''::bytea), sha224('abc'::bytea), sha384(''::bytea);
select sha256(''::bytea), sha512('abc'::bytea);
select encode('\x00ff10'::bytea, 'hex'), encode('\x00ff10'::bytea, 'base64'), encode(E'a\\\\b\\000\\377c'::bytea, 'escape'), encode(''::bytea, 'base64');
select encode(convert_to(repeat('x', 60), 'UTF8'), 'base64');
select decode('AP8Q', 'base64'), decode('00FF10', 'hex'), decode('a\\b\000c', 'escape'), decode('', 'hex'), decode('YQ==', 'base64'), decode('Y Q = =', 'base64');
select decode('abc', 'hex');
select decode('zz', 'hex');
select decode('YQ=', 'base64');
select decode('Y@Q=', 'base64');
select decode('aa', 'rot13');
select encode('a'::bytea, 'rot13');
select decode('a\9', 'escape');
select to_hex(0), to_hex(255), to_hex(-1), to_hex(2147483647), to_hex(9223372036854775807), to_hex(-9223372036854775808), to_hex(256::int8);
select ascii('abc'), ascii('€'), chr(8364), chr(127), chr(1114111) = U&'\+10FFFF';
select chr(-1);
select chr(1114112);
select chr(55296);
-- string_agg with ORDER BY and DISTINCT
select string_agg(s, ', ' order by s desc nulls last) from sa_text;
select string_agg(distinct left(s, 1), '' order by left(s, 1)) from sa_text where s <> '';
select string_agg(s, null order by id) from sa_text where id < 4;
select string_agg(s, '|' order by id) filter (where id > 2) from sa_text;
select string_agg(s, ',') from sa_text where false;
select string_agg(convert_to(s, 'UTF8'), '\x2c'::bytea order by id) from sa_text where id < 4;
select id % 2 as k, string_agg(s, ';' order by length(s), s) from sa_text group by id % 2 order by k;
-- array literals and constructors
select '{1,2,{3}}'::int[];
select '{{1},{2,3}}'::int[];
select '{1,2}}'::int[];
select '{"a b",NULL,"NULL",null,"",  spaced  }'::text[];
select '{ 1 , 2 }'::int[], '{{1,2},{3,4}}'::int[], '[2:3]={5,6}'::int[], '[1:2][0:0]={{1},{2}}'::int[];
select '[1:3]={1,2}'::int[];
select '{a,b'::text[];
select '{1,x}'::int[];
select array[[1, 2], [3, 4]], array[array[1], array[2]], array[]::text[][], array[[]]::int[];
select array[[1, 2], [3]];
select array[1, 'x'];
select array['a', null, 'NULL', 'b c', 'd"e', 'f\g', '{}', ',', '', ' '];
select array[E'tab\there', 'x y'], array['a']::varchar[], array[1.0, 2.50]::numeric[], '{1.5,NaN}'::float8[];
select array[array['a', 'b'], array['c', 'd']], '{{"x,y",z}}'::text[], array[array[null::int]];
-- append, prepend, cat, position, remove, replace
select array_append('{1,2}'::int[], null), array_append(null::int[], 1), array_prepend(null::int, '{1}'), array_cat(null::int[], '{1}'), array_cat('{}'::int[], '{}');
select array_cat('{{1,2}}'::int[], '{{3,4}}'), array_cat('{1,2}'::int[], '{{3,4}}'), array_cat('{{1,2}}'::int[], '{3,4}');
select array_cat('{{1,2}}'::int[], '{3}');
select array_append('{{1,2}}'::int[], 3);
select array[1, 2] || '{{3,4}}'::int[], '{1}'::int[] || null::int, null::int[] || '{1}'::int[], '{}'::int[] || 5;
select array_position('{a,b,c,b}'::text[], 'b'), array_position('{a,b,c,b}'::text[], 'b', 3), array_position('{1,null,3}'::int[], null), array_position('{1,2}'::int[], 3);
select array_position('[0:2]={5,6,7}'::int[], 6), array_positions('[0:2]={5,6,5}'::int[], 5), array_positions('{1,null,null}'::int[], null), array_positions('{}'::int[], 1);
select array_position('{{1,2}}'::int[], 1);
select array_remove('{1,2,1,null}'::int[], 1), array_remove('{1,null,2,null}'::int[], null), array_remove('{}'::int[], 1), array_remove(null::int[], 1);
select array_remove('{{1,2},{3,4}}'::int[], 2);
select array_remove('{{1,2},{3,4}}'::int[], 5);
select array_replace('{1,2,1,null}'::int[], 1, 9), array_replace('{1,null,2}'::int[], null, 0), array_replace('{{1,2},{2,1}}'::int[], 2, 7), array_replace('{a,b}'::text[], 'b', null);
-- dimensions and bounds
select id, array_length(a, 1), array_length(a, 2), array_lower(a, 1), array_upper(a, 1), array_upper(a, 2), cardinality(a), array_ndims(a), array_dims(a) from sa_arr order by id;
select array_length(array[1, 2], 0), array_length(array[1, 2], 3), array_lower('{}'::int[], 1), array_dims('{}'::int[]), array_ndims('{}'::int[]);
select array_dims('[-2:0][3:4]={{1,2},{3,4},{5,6}}'::int[]), array_lower('[-2:0]={1,2,3}'::int[], 1), '[-2:0]={1,2,3}'::int[];
select generate_subscripts('{{1,2},{3,4}}'::int[], 2), generate_subscripts('[3:4]={1,2}'::int[], 1, true);
-- slicing and subscripts
select a[2:3], a[:2], a[3:], a[2:2], a[5:9], a[3:2], a[0:1] from sa_arr where id = 1;
select a[1:1], a[2], a[2][3], a[1:2][2:3], a[:][2:], a[1] from sa_arr where id = 2;
select a[0], a[0:1], a[1:], a[:1], a[-1:0] from sa_arr where id = 3;
select (array[1, 2, 3])[2], ('{a,b,c}'::text[])[2:], (array[[1, 2], [3, 4]])[2][1], (array[1, 2])[null];
select t[2][1], t[1:1][1:2], t[3] from sa_arr where id = 2;
select ('{1,2,3}'::int[])[1][1], ('{1,2,3}'::int[])[1:2][1:1];
select ('{1,2}'::int[])['1'], ('{1,2}'::int[])[1.6];
select ('{1,2}'::int[])['x'];
-- unnest
select * from unnest(array[1, 2], array['a', 'b', 'c'], array[true]) as u(i, s, b);
select * from unnest(array['x', 'y'], array[10, 20]) with ordinality as u(s, n, o);
select x, o from unnest('{{1,2},{3,4}}'::int[]) with ordinality as t(x, o);
select unnest('{a,NULL,""}'::text[]) as v;
select unnest(array[1, 2]) as a, unnest(array[1, 2, 3]) as b;
select id, unnest(a) from sa_arr where id in (1, 3) order by id, 2;
select count(*) from sa_arr, unnest(a) x;
select u.* from sa_arr, unnest(a, t) as u(n, s) where id = 2;
select unnest(null::int[]), unnest('{}'::int[]);
-- string_to_array, array_to_string with NULLs
select string_to_array('a,b,c', null), string_to_array('abc', ''), string_to_array(null, ','), string_to_array('a,*,c', ',', '*'), string_to_array('a,b', ',', null);
select string_to_array('a||b', '|'), string_to_array('xx', 'x'), string_to_array(',', ','), string_to_array('a', 'a', 'a');
select array_to_string('{a,null,c}'::text[], '-'), array_to_string('{a,null,c}'::text[], '-', null), array_to_string('{a,null,c}'::text[], null), array_to_string('{}'::int[], ',');
select array_to_string('{{1,2},{3,4}}'::int[], ','), array_to_string(array[1.5, 2], '/'), array_to_string(array[true, false], ''), array_to_string(null::int[], ',');
select string_to_table('a b c', ' '), string_to_table('a,-,c', ',', '-');
select string_to_table('abc', null);
-- ANY / ALL
select 2 = any('{1,2}'::int[]), 2 = all('{2,2}'::int[]), 3 > any('{4,5}'::int[]), 3 < all('{}'::int[]), 3 = any(null::int[]), 3 = all(null::int[]);
select 1 = all('{1,null}'::int[]), 2 = all('{1,null}'::int[]), 2 <> any('{2,null}'::int[]), 'b' like any('{a%,b%}'), 'b' like all('{a%,b%}'), 'B' ilike any(array['b']);
select 2 = any('{{1,2},{3,4}}'::int[]), 'abc' ~ any(array['^a', '^z']), 'abc' ~ all(array['^a', 'c$']);
select id, 2 = any(a), 2 <> all(a), null::int = any(a) from sa_arr order by id;
select 1 = any(array[1, 2]::bigint[]), 1.5 = any(array[1, 2]), 'x' = any('{x}'), 'x' = any(array['x'::char(3)]);
select 1 = any(1);
-- comparison, containment and overlap
select '{1,2}'::int[] = '{1,2}', '{1,2}'::int[] = '[0:1]={1,2}', '{{1,2}}'::int[] = '{1,2}', '{1,null}'::int[] = '{1,null}', '{1,null}'::int[] < '{1,2}';
select '{1,2}'::int[] <> '{1,3}', '{1,2}'::int[] >= '{1}', '{2}'::int[] > '{1,9}', '{}'::int[] = '{}', '{{1,2}}'::int[] < '{1,3}', '{1,2}'::int[] > '{{1,2}}';
select '{a,b}'::text[] < '{a,c}', '{a}'::text[] < '{B}', '{1,2}'::int[] < '{1,2,3}';
select '{1,2,2}'::int[] @> '{2,2,2}', '{1,2}'::int[] @> '{}', '{}'::int[] @> '{}', '{1,null}'::int[] @> '{null}', '{1}'::int[] @> '{1,null}';
select '{{1,2},{3,4}}'::int[] @> '{4,1}', '{1,4}'::int[] <@ '{{1,2},{3,4}}', '{1,2}'::int[] && '{}', '{null}'::int[] && '{null}', '{a}'::text[] && '{a,b}';
select '{1}'::int[] @> '{1}'::bigint[];
select id, a @> '{2}', a <@ '{1,2,3,4,5,6}', a && '{5,9}' from sa_arr order by id;
select max(a), min(a) from sa_arr;
select a from sa_arr where a is not null order by a, id;
select distinct t from sa_arr where t is not null order by t;
-- array output of text: quotes, backslashes, NULL
select t from sa_arr where id = 5;
select t::text, array_to_string(t, '|', '<null>'), t[2], t[3], t[4] is null, t[5] from sa_arr where id = 5;
select array['a"b', 'c\d']::text, array[E'new\nline'], array['NULL'], array[null::text], array['null'];
select array[' lead', 'trail ', 'mid dle', 'x{y', 'x}y', 'a;b'];
select array['é', 'ß', '日本'], array[''::text], array[[['a']]];
select array_agg(s order by id) from sa_text;
select array_agg(a[1:2] order by id) from sa_arr where id in (1, 6);
select concat();
select array_agg(a order by id) from sa_arr where id in (1, 2);
-- misc array functions
select array_fill(0, array[2, 3]), array_fill(1, array[2], array[0]), array_fill(null::int, array[2]);
select array_fill(1, array[2], array[1, 2]);
select trim_array('{1,2,3}'::int[], 0), trim_array('{{1,2},{3,4},{5,6}}'::int[], 1);
select trim_array('{1,2,3}'::int[], 4);
select array_length(array_agg(x), 1) from generate_series(1, 1000) x;
select cardinality('{{1,2},{3,4}}'::int[]), cardinality(null::int[]), array_ndims('{{{1}}}'::int[]);
-- more text and array shapes
select format('|%5s|%-5s|', '日本', 'é'), format('%-s|', 'x'), format('%1$s %s', 'a', 'b'), format('%s%%%s', 1, 2);
select format('%I', 'ÉCOLE'), format('%I', 'école'), format('%I', 'a$b'), format('%I', '$a'), quote_ident('a$b'), quote_ident('user');
select format('%L', 'a''b\c'), format('%L', 1.0::float8), format('%s', 1.0::float8), format('%s', true), format('%L', true), format('%s', '{1}'::int[]);
select format('%s', row(1, 'a')), format('%L', row(1, 'a')::text), format('%s', now() = now());
select concat('a', 1::int8, 2.5::float4, date '2020-01-02', '\x01'::bytea, '{1}'::int[], null::text, interval '1 day');
select lpad('abc', 5, '日'), rpad('日本語', 4, 'ab'), lpad('', 3, 'z'), lpad(null, 3), lpad('a', null), rpad('x', 3, null);
select translate('日本語', '本', 'X'), reverse('日本語'), left('日本語', 2), right('日本語', -1), split_part('日,本,語', ',', -2), strpos('日本語', '語');
select initcap('hello-world_foo bar.baz'), initcap('123abc'), initcap('ÀBC déf'), upper('ǆ'), lower('ΑΣ');
select repeat('ab', 100000) = repeat('ab', 100000), length(repeat('é', 3));
select replace('aaa', 'aa', 'b'), replace('abc', '', 'x'), replace('', 'a', 'b'), replace('abc', 'b', null);
select btrim('  x  '), btrim('xyx', ''), ltrim(''), rtrim('abc', 'cba'), trim(both 'ab' from 'abcba');
select substr('日本語', 2), substr('abc', 2, 1000), substring('abc' from 0), substring('abc' for 2), substring('abcdef' from 2 for 2);
select octet_length('é'::char(3)), length('ab '::char(5)), char_length('é'), bit_length('é'), length('é'::bytea);
select to_hex(-2147483648), to_hex(16::int8), to_hex(0::int8);
select md5('é'), sha256('é'::bytea), encode(sha224(''), 'hex'), encode(sha512(''), 'base64');
select encode(decode('Zm9vYmFy', 'base64'), 'escape'), encode('\x5c00ff'::bytea, 'escape'), decode('\\\\x', 'escape');
select encode(convert_to(repeat('é', 50), 'UTF8'), 'base64');
select ascii(null), chr(null), ascii('日'), chr(26085);
select string_agg(x::text, ',' order by x desc) from generate_series(1, 5) x;
select string_agg(distinct x, ',') from (values ('b'), ('a'), ('b')) v(x);
select string_agg(x, ',') over (order by x) from (values ('b'), ('a'), ('c')) v(x);
select array_to_string(array[[1,2],[3,null]], ',', '?'), array_to_string(array['a', null], ',', ''), array_to_string(array[null::text], ',');
select string_to_array('1,2,3', ',')::int[], string_to_array('a b', ' ', 'b'), string_to_array('abc', null, 'b');
select array_dims(array[[1,2,3]]), array_dims(array_fill(1, array[2,2], array[-1, 5])), array_upper(array_fill(1, array[2,2], array[-1, 5]), 2);
select (array_fill(1, array[2,2], array[-1, 5]))[-1][5], (array_fill(1, array[2,2], array[-1, 5]))[0:0][6:6];
select array_fill(1, array[2, 2], array[-1, 5])::text, '[1:1][1:2]={{1,2}}'::int[]::text, array[[1,2]]::text;
select '{}'::int[] = '{}'::text[]::int[], array_length(array[]::int[], 1) is null;
select array[1,2] @> array[1,1,1], array['a','b'] && array['B'], array[null::int] @> '{}', array[[1,2]] <@ array[1,2];
select array_positions(array['a','b','a'], 'a'), array_position(array[1.0, 2.00], 2), array_position(array['x'], 'x', 2);
select array_replace(array[[1,2],[3,1]], 1, null), array_remove(array[1.0, 1.00, 2], 1);
select array_remove('[0:2]={5,6,5}'::int[], 5), array_remove('[0:2]={5,6,5}'::int[], 9), array_replace('[0:1]={5,6}'::int[], 5, 7);
select (array[1,2,3])[2:1], (array[1,2,3])[-5:10], (array[[1,2],[3,4]])[2:2], (array[[1,2],[3,4]])[1][1:2];
select (array[[1,2],[3,4]])[3][1], (array[[1,2],[3,4]])[1:5], ('{}'::int[])[1], ('{}'::int[])[1:2];
select ('{1,2,3}'::int[])[1:2][1:1][1:1];
select (array[1,2,3])[1:2][1:2][1:2][1:2][1:2][1:2][1:2];
select a, b from unnest(array[1,2,3], array['x']) with ordinality as t(a, b) order by a;
select * from unnest(array[[1,2],[3,4]], array['a']) as t(a, b);
select unnest(array['a','b']) || 'x', generate_subscripts(array[5,6], 1);
select array(select unnest(array[3,1,2]) order by 1), array(select array[1,2]), array(select null::int);
select array(select array[1,2] union all select array[3]);
select array_agg(x) from (values (array[1,2]), (array[3,4])) v(x);
select array_agg(x order by x) from (values (null::int), (1)) v(x);
select array_agg(distinct x) from (values (2), (2), (1)) v(x);
select array_agg(distinct x order by x) from (values (2), (null), (1)) v(x);
select array_ndims(array[[[1]]]), array_length(array[[[1,2]]], 3), cardinality(array[[[1,2],[3,4]]]);
select 'a' = any(array['a', null]::text[]), 'x' like all(array['x%', null]), 1 = all(array[]::int[]), null::int <> all(array[]::int[]);
select 1 in (1, null), 2 in (1, null), 2 not in (1, null), null in (1), 1 = any(array[array[1]]);
select array[1,2]::text, array[1,2]::varchar[], array['1','2']::int4[]::int8[], array[1,2]::float8[];
select array['a','b']::char(2)[], array['abc']::varchar(2)[], array[1.234]::numeric(3,1)[];
select '{"\\"}'::text[], '{"\\\\"}'::text[], '{a\,b}'::text[], '{"a\"b"}'::text[], E'{"\\t"}'::text[];
select '{ "a" , b , "" }'::text[], '{{"a"},{b}}'::text[], '{NULL, "NULL", nUlL}'::text[];
select '{1, 2}'::int[], '{  }'::int[];
select '{{}}'::int[];
select '{{1,2},{3,4}}'::int[][], '{{1,2},{3,4}}'::int[][][];
select array[1,2] < array[1,2,0], array[[1,2],[3,4]] = array[1,2,3,4], array[1] <> array[1], array[null::int] = array[null::int];
select greatest(array[1,2], array[1,3]), least(array['b'], array['a','z']);
-- match extent: the longest match for a greedy RE, the shortest for a non-greedy one
select regexp_match('abcd', 'a|ab'), regexp_match('aaa', 'a*?|a'), regexp_match('<a><b>', '<(.*?)>(.*)'), regexp_match('abcabc', '(a.*?)(b.*)');
select regexp_replace('Mr Mrs Ms', 'Mr|Mrs', 'X', 'g'), regexp_replace('abbb', 'a+b*?', 'X'), regexp_replace('12.5', '[0-9]+|[0-9]+\.[0-9]+', 'N', 'g');
select regexp_matches('aabab', 'ab|a', 'g'), regexp_count('aaaa', 'a|aa'), regexp_substr('<x><y>', '<.*?>', 1, 2), regexp_instr('foofoobar', 'foo|foobar', 1, 2, 1);
select regexp_split_to_array('a1b22c', '\d|\d\d'), substring('foobar' from 'o|oob'), 'abc' ~ 'a|ab';
-- LIKE, SIMILAR, regex flags, aggregates over arrays, encodings
select 'ab' like 'a_', 'aé' like 'a_', '日本' like '__', 'a%b' like 'a\%b', 'a\b' like 'a\\b', 'abc' like '%%c', '_' like '\_';
select 'ABC' ilike '%b%', 'abc' not ilike 'ABC', 'a_c' ilike 'A\_C';
select 'x' like 'x' escape 'x';
select 'xx' like 'xx' escape 'x', 'x%' like 'xx%' escape 'x';
select 'abc' like null, null like 'a', 'abc' like 'a%' escape null;
select 'a' similar to '(a|b)+', 'ab' similar to 'a|b', 'b' similar to 'a|b', 'aaa' similar to 'a*', '' similar to 'a*', 'abc' similar to '[a-c]{3}', 'a.c' similar to 'a.c';
select 'a^b' similar to 'a^b', 'a$' similar to 'a$', 'ab' similar to '(ab)?', 'abab' similar to '(ab)+', 'x' similar to '_';
select 'Hello' ~ '^[A-Z][a-z]+$', 'hello' ~* '^[A-Z]+$', 'héllo' ~ '^\w+$', 'ab12' ~ '^[[:alnum:]]+$', 'a-b' ~ '[[:punct:]]';
select regexp_replace('Hello World', '([[:upper:]])', '_\1', 'g'), regexp_replace('aaa', 'a', 'b', 2), regexp_replace(E'a\nb\nc', '^', '> ', 'gn');
select regexp_replace(E'a\nb', '$', ';', 'g'), regexp_replace(E'a\nb', '$', ';', 'gn'), regexp_replace('abc', '(?=b)', '|', 'g');
select regexp_matches('The Cat sat', '\m\w', 'g');
select regexp_matches('ab ab', '\yab\y', 'g'), regexp_match('ab', 'a\Mb'), regexp_match('a b', 'a\Y ');
select regexp_split_to_table('a, b ,c', '\s*,\s*');
select regexp_split_to_array('one  two', ' '), regexp_split_to_array('ab', '(?=b)'), regexp_split_to_array('aaa', 'a*');
select regexp_count('abcABC', '[a-c]', 1, 'i'), regexp_instr('abc', '', 2), regexp_substr('abc', '', 2), regexp_count('日本語日本', '日本');
select regexp_instr('日本語', '語'), regexp_instr('ab日本', '日', 1, 1, 1), regexp_substr('ab日本', '.', 3);
select regexp_like('ABC', '^abc$', 'ic'), regexp_like('ABC', '^abc$', 'ci'), regexp_like(E'a\nb', '^b$', 'n'), regexp_like(E'a\nb', 'a.b', 'p'), regexp_like(E'a\nb', '^b', 'w');
select regexp_like(E'a\nb', 'a[^x]b', 'p'), regexp_like(E'a\nb', 'a[^x]b', 'w'), regexp_like(E'a\nb', '^b', 'p');
select array_to_string(regexp_split_to_array('a.b.c', '.', 'q'), '|'), regexp_replace('a.b', '.', '!', 'gq');
select split_part('a--b--c', '--', 2), split_part('abc', 'abc', 1), split_part('abc', 'abc', 2), split_part('abcabc', 'abc', -1);
select overlay('日本語' placing 'X' from 2 for 1), overlay('abc' placing 'XYZ' from 3), position('語' in '日本語');
select left(null, 1), right('abc', null), lpad('abc', 2147483647 / 1000000), repeat('x', 3) || repeat('y', 2);
select format('%s-%s-%s', 'a', 'b', 'c'), format('%3$s-%2$s-%1$s', 'a', 'b', 'c'), format('%-3s|%3s|', 1, 2), format('[%*s]', 3, 'ab');
select format('%s', E'\n'), format('%I', E'a\nb'), format('%L', E'a\nb'), quote_ident(E'a\nb'), quote_literal(E'\\');
select concat_ws(',', 'a', '', null, 'b'), concat('', null, '');
select string_to_array('a,b,c', ',', 'b'), string_to_array('', '', ''), string_to_array('abc', 'abc'), string_to_array('a', '');
select array_to_string(array['a', 'b'], null), array_to_string(array[]::text[], ',', '*'), array_to_string(array[null, null]::text[], ',', '');
select cardinality(string_to_array('a,b,,', ',')), array_length(string_to_array('a,b,,', ','), 1);
select 'a' = any('{a,b}'::text[]), 'a' < all('{b,c}'), 3 between 1 and 5, 'b' <> any(array['b', null]);
select array[1,2,3] @> array[]::int[], '{}'::int[] <@ '{}'::int[], '{}'::int[] && '{}'::int[], array[1, null] && array[null, 1];
select array[1,2] || array[[3,4]];
select array[[1,2]] || array[[3,4],[5,6]], array[[1,2]] || array[3];
select array_cat(array[[1]], array[[[2]]]);
select (array['a','b','c'])[1:2] || 'z';
select (array['a','b','c'])[1:2] || 'z'::text, array_length((array[[1,2,3],[4,5,6]])[1:2][2:3], 2);
select array_upper(array[[1,2],[3,4]], 1), array_upper('{}'::int[], 1), array_lower(array[1], 2), array_length(null::int[], 1);
select unnest(array[[1,2],[3,4]]) * 10 as v;
select t.*, u.* from unnest(array[1,2]) with ordinality t(a, n), unnest(array['x','y']) with ordinality u(b, m) where n = m;
select * from unnest('{}'::int[], array[1]) as t(a, b);
select * from unnest(array[null::text, 'x']) with ordinality;
select string_agg(x, ',' order by x) from unnest(array['b', null, 'a']) x;
select string_agg(x, ',') from unnest(array[null::text, null]) x;
select string_agg(x || '', '' order by x desc) from unnest(array['a', 'b']) x;
select array_agg(x order by x desc nulls first) from unnest(array[2, null, 1]) x;
select array_agg(distinct x) from unnest(array['b', 'a', null, 'b']) x;
select string_agg(distinct x, '|') from unnest(array['b', 'a', null, 'b']) x;
select count(distinct x), array_agg(distinct x order by x) from unnest(array[3, 1, 3]) x;
select encode('\x00'::bytea, 'escape'), encode('\x5c'::bytea, 'escape'), encode('\x7f80'::bytea, 'escape'), decode('\000', 'escape'), decode('\\', 'escape');
select decode('\', 'escape');
select encode(decode('MTIz', 'base64'), 'hex'), decode('MT Iz', 'base64'), decode(E'MT\nIz', 'base64'), decode('MT==', 'base64');
select encode('\x01'::bytea, 'HEX'), decode('0A', 'Hex'), encode('a'::bytea, 'Base64');
select md5(null), sha256(null), to_hex(null::int), encode(null, 'hex'), decode(null, 'hex'), decode('00', null);
select quote_nullable(''), quote_literal(''), quote_ident('a.b'), quote_ident('ABC'), quote_ident('abc1_$');
select initcap('ǆemal'), initcap('o''reilly'), initcap('e.e. cummings'), initcap('the_cat'), initcap('x-ray vision');
select reverse(null), starts_with('abc', 'abcd'), 'abc' ^@ 'ab', 'abc' ^@ '';
-- array I/O of other element types, lower bounds other than 1
select array['\x01'::bytea, '\x'::bytea], array['{"a": 1}'::jsonb, '[1, "x"]'], array['2024-01-02 03:04:05'::timestamp], array[interval '1 day 2 hours'];
select array['a'::name, 'B C'], array[1::oid], array['1.5'::float4, 'Infinity', '-0'], array['NaN'::numeric];
select array[row(1, 'a b')], array[row(null, '')], array[array['x']]::text, '{"a\\b"}'::text[]::text;
select '{1,2,3}'::int2[], '{true,f,yes,0}'::bool[], '{a,B}'::char[], '{"2024-01-02"}'::date[], '{1e3}'::numeric[];
select '{"[1,2]"}'::int4range[], '{{a}}'::varchar(1)[][];
select '{1,2}'::int[] = '{1,2}'::int8[];
select array[1,2]::int8[] = array[1,2];
select array[1.0, 2] = array[1, 2.00], array['a ']::char(2)[] = array['a']::char(2)[];
select '{" a ", "b"}'::text[], '{"", " ", "  x"}'::text[], '{\ a}'::text[], '{a\ }'::text[];
select '{ab"c}'::text[];
select '{a{b}'::text[];
select '{"a"b}'::text[];
select '{}x'::text[];
select ' {1} '::int[];
select '{1} x'::int[];
select '[1:2]={1,2}'::int[] = '{1,2}'::int[], '[2:3]={1,2}'::int[] > '{1,2}'::int[], array_dims('[5:5]={1}'::int[] || 2);
select array_prepend(0, '[5:6]={1,2}'::int[]), array_append('[5:6]={1,2}'::int[], 3), '[5:6]={1,2}'::int[] || '[1:1]={3}'::int[];
select array_cat('[5:6]={1,2}'::int[], '[8:9]={3,4}'::int[]);
select array_dims(array_cat('{{1}}'::int[], '[3:3][4:4]={{2}}'::int[]));
select ('[5:6]={1,2}'::int[])[5], ('[5:6]={1,2}'::int[])[1], ('[5:6]={1,2}'::int[])[:5], array_lower(('[5:6]={1,2}'::int[])[5:6], 1);
select array_position('[5:6]={1,2}'::int[], 2, 6), array_positions('[5:7]={1,2,1}'::int[], 1);
select array_position('[5:6]={1,2}'::int[], 2, 1);
select array_to_string('[5:6]={1,2}'::int[], ','), unnest('[5:6]={1,2}'::int[]), cardinality('[5:6]={1,2}'::int[]);
select string_to_array(E'a\tb', E'\t'), array_to_string(array['a,b', 'c'], ','), array[E'\t', E'\\', '"'];
select array_cat('[0:0]={1}'::int[], '[3:3][0:0]={{2}}'::int[]), array_cat('[3:3][0:0]={{2}}'::int[], '[0:0]={1}'::int[]);
select array_cat('[3:3]={1}'::int[], '{{2}}'::int[]);
select array_cat('{1}'::int[], '{{{2}}}'::int[]);
-- case-insensitive matching folds ASCII letters only (C locale)
select 'É' ~* 'é', 'É' ~* '[é]', 'É' ilike 'é', 'K' ~* 'k', 'abc' ~* '^[A-C]+$', 'XyZ' ~* '^[[:lower:]]+$', 'a' ~* '[^A]', 'Q' ~* '[a-z]', '[' ~* '[Z-a]';
select 'a.C' ~* '***=A.c', regexp_replace('aBc', 'b', 'x', 'gi'), regexp_match('ABab', '(a)(b)', 'i'), regexp_count('ÀàAa', 'a', 1, 'i'), regexp_like('STRASSE', 'straße', 'i');
