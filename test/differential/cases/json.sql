-- json and jsonb: input normalisation, output, operators, functions, aggregates, errors.
-- setup
create table js_docs (id int primary key, j json, b jsonb);
insert into js_docs values
  (1, '{"name": "alice", "age": 30, "tags": ["a", "b"], "addr": {"city": "Oslo", "zip": "0150"}}', '{"name": "alice", "age": 30, "tags": ["a", "b"], "addr": {"city": "Oslo", "zip": "0150"}}'),
  (2, '{"name": "bob", "age": 25.50, "tags": [], "active": true}', '{"name": "bob", "age": 25.50, "tags": [], "active": true}'),
  (3, '{"b": 1, "a": 2, "b": 3}', '{"b": 1, "a": 2, "b": 3}'),
  (4, '[1, "two", null, 4.0e0, {"x": [5]}]', '[1, "two", null, 4.0e0, {"x": [5]}]'),
  (5, '"just a string"', '"just a string"'),
  (6, 'null', 'null'),
  (7, null, null),
  (8, '{"name": "carol", "age": 41, "tags": ["c"], "addr": {"city": "Bergen"}}', '{"name": "carol", "age": 41, "tags": ["c"], "addr": {"city": "Bergen"}}');

-- test
select id, j, b from js_docs;
select '{"a":1,  "b" : [1,2]}'::json, '{"a":1,  "b" : [1,2]}'::jsonb, '  [ ]  '::jsonb, '{}'::jsonb;
select '{"z": 1, "a": 2, "aa": 3, "b": {"y": 1, "x": 2}}'::jsonb, '{"k": 1, "k": 2}'::jsonb, '{"k": 1, "k": 2}'::json;
select '1.50'::jsonb, '1e2'::jsonb, '-0'::jsonb, '1.0E-3'::jsonb, '12345678901234567890'::jsonb, '1e2'::json;
select '"\u00e9\n\t\"q\""'::jsonb, '"\u00e9"'::json, '"a\/b"'::jsonb;
select '{"a": }'::jsonb;
select '[1, 2'::json;
select 'tru'::jsonb;
select '"\u0000"'::jsonb;
select j -> 'name', j ->> 'name', b -> 'name', b ->> 'name', b -> 'age', b ->> 'age' from js_docs;
select b -> 'tags' -> 0, b -> 'tags' ->> 1, b -> 'addr' -> 'city', b #> '{addr,city}', b #>> '{addr,zip}', b #> '{tags,0}' from js_docs where id in (1, 2, 8);
select b -> 1, b -> -1, b ->> 4, b -> 4 -> 'x' -> 0, j -> 1 from js_docs where id = 4;
select b -> 'missing', b -> 0, b ->> 'name' is null from js_docs where id in (1, 5, 6);
select id, b ? 'name', b ? 'tags', b ?| array['active', 'addr'], b ?& array['name', 'age'] from js_docs where id <= 3;
select id from js_docs where b @> '{"tags": ["a"]}' order by id;
select id from js_docs where b @> '{"addr": {"city": "Bergen"}}';
select '{"a": 1, "b": 2}'::jsonb @> '{"a": 1}', '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}', '[1, 2, [3]]'::jsonb @> '[[3]]', '[1, 2]'::jsonb @> '1';
select '{"a": 1}'::jsonb || '{"b": 2}', '[1, 2]'::jsonb || '[3]', '{"a": 1}'::jsonb || '{"a": 9}', '[1]'::jsonb || '{"k": 1}';
select '{"a": 1, "b": 2}'::jsonb - 'a', '["a", "b", "c"]'::jsonb - 1, '["a", "b", "a"]'::jsonb - 'a', '{"a": 1, "b": 2, "c": 3}'::jsonb - array['a', 'c'];
select '{"a": {"b": {"c": 1}}}'::jsonb #- '{a,b,c}', '[1, [2, 3]]'::jsonb #- '{1,0}';
select '{"a": 1}'::jsonb = '{ "a" : 1 }'::jsonb, '[1, 2]'::jsonb = '[2, 1]'::jsonb, '1.0'::jsonb = '1'::jsonb, '{"a":1}'::jsonb < '{"b":0}'::jsonb;
select id, b from js_docs where b is not null order by b, id;
select jsonb_typeof(b), json_typeof(j) from js_docs;
select jsonb_array_length(b -> 'tags'), json_array_length(j -> 'tags') from js_docs where id in (1, 2, 8);
select jsonb_array_length('{"a": 1}'::jsonb);
select key, value from js_docs, jsonb_each(b) where id = 1;
select key, value from js_docs, jsonb_each_text(b) where id = 2;
select key, value from js_docs, json_each(j) where id = 3;
select jsonb_object_keys(b) from js_docs where id = 1;
select value from js_docs, jsonb_array_elements(b) where id = 4;
select value from js_docs, jsonb_array_elements_text(b) where id = 4;
select jsonb_array_elements('{"a": 1}'::jsonb);
select jsonb_build_object('a', 1, 'b', 'two', 'c', null, 'd', array[1, 2], 'e', true), json_build_object('x', 1.50);
select jsonb_build_array(1, 'a', null, 2.5, false), json_build_array(), jsonb_build_object();
select jsonb_build_object('a');
select to_jsonb(1.50::numeric), to_jsonb('text'::text), to_jsonb(array[1, 2]), to_jsonb(null::int), to_json('a"b'::text), to_jsonb(true);
select to_jsonb(r), row_to_json(r) from (select 1 as a, 'x' as b, null::int as c) r;
select jsonb_set(b, '{age}', '31'), jsonb_set(b, '{addr,zip}', '"9999"'), jsonb_set(b, '{new}', '1', false) from js_docs where id = 1;
select jsonb_set('[1, 2, 3]'::jsonb, '{1}', '"x"'), jsonb_set('[1, 2]'::jsonb, '{5}', '9'), jsonb_insert('[1, 2]'::jsonb, '{0}', '0'), jsonb_insert('{"a": [1]}'::jsonb, '{a,0}', '7', true);
select jsonb_strip_nulls('{"a": null, "b": {"c": null, "d": 1}, "e": [null]}'), json_strip_nulls('{"a": null, "b": 1}');
select jsonb_pretty('{"a": [1, {"b": 2}], "c": {}}');
select jsonb_path_query_array(b, '$.tags[*]'), jsonb_path_exists(b, '$.addr.city'), jsonb_path_query_first(b, '$.age') from js_docs where id in (1, 2);
select jsonb_path_query(b, '$[*] ? (@.type() == "number")') from js_docs where id = 4;
select b @? '$.tags[*] ? (@ == "a")', b @@ '$.age > 28' from js_docs where id in (1, 2, 8);
select b ->> 'name' as name, (b ->> 'age')::numeric + 1 as next_age from js_docs where b ? 'age' order by name;
select (b ->> 'age')::int from js_docs where id = 2;
select (b -> 'age')::numeric, (b -> 'active')::bool, ('"5"'::jsonb)::text, ('5'::jsonb)::int from js_docs where id = 2;
select ('"5"'::jsonb)::int;
select j::jsonb, b::json, b::text from js_docs where id = 3;
select jsonb_agg(id order by id), json_agg(id order by id desc), jsonb_agg(b -> 'name' order by id) from js_docs where id in (1, 2, 8);
select jsonb_object_agg(b ->> 'name', b -> 'age'), json_object_agg(id, b ->> 'name' order by id) from js_docs where id in (1, 2, 8);
select jsonb_agg(x) from (select 1 as x where false) s;
select jsonb_agg(r order by r.id) from (select id, b ->> 'name' as name from js_docs where id in (1, 2)) r;
select b ->> 'name', count(*) from js_docs group by b ->> 'name';
select count(*) from js_docs where b -> 'tags' = '[]'::jsonb;
select jsonb_extract_path(b, 'addr', 'city'), jsonb_extract_path_text(b, 'tags', '0'), json_extract_path_text(j, 'name') from js_docs where id = 1;
select jsonb_concat_check from (select '{"a": [1]}'::jsonb || '{"a": [2]}'::jsonb as jsonb_concat_check) s;
select b['name'], b['addr']['city'], b['tags'][1] from js_docs where id in (1, 8);
select '{"a": 1}'::jsonb ->> 'a' || 'x', '{"n": 2}'::jsonb -> 'n' = '2'::jsonb;
select jsonb_to_record_check.* from jsonb_to_record('{"a": 1, "b": "x", "c": [1]}') as jsonb_to_record_check(a int, b text, c jsonb);
select * from jsonb_to_recordset('[{"a": 1, "b": 2}, {"a": 3}]') as t(a int, b int);
select * from jsonb_populate_record(null::js_docs, '{"id": 99, "b": {"q": 1}}');
select jsonb_array_length(jsonb_path_query_array('{"a": [1, 2, 3, 4]}', '$.a[*] ? (@ > 2)'));
SELECT count(DISTINCT x) FROM (VALUES ('{"a": 1.0}'::jsonb), ('{"a": 1.00}'), ('{"a": 1}'), ('{"a": 2}')) v(x);
SELECT count(*) FROM (VALUES ('{"a": 1.0, "b": [1.50]}'::jsonb), ('{"a": 1.00, "b": [1.5]}'), ('{"a": 3}')) v(x) GROUP BY x ORDER BY 1;
SELECT count(DISTINCT x) FROM (VALUES ('[1.0, 2]'::jsonb), ('[1, 2.00]'), ('[2, 1]')) v(x);
SELECT count(DISTINCT x) FROM (VALUES ('1.0'::jsonb), ('1'), ('"1"')) v(x);
