-- CREATE INDEX … USING hash | gin | gist | brin | spgist: catalogs, validation, query results
-- setup
create table im_ev (id bigint, kind text, payload jsonb, tags int[], at timestamptz,
  ip cidr, code varchar(10), n int);
insert into im_ev values
  (1, 'PushEvent', '{"ref_type": "branch", "size": 1}', '{1,2}', '2024-01-01 10:00+00',
    '10.0.0.0/8', 'a1', 1),
  (2, 'CreateEvent', '{"ref_type": "repository", "size": 0}', '{2,3}', '2024-01-02 11:00+00',
    '10.1.0.0/16', 'b2', 2),
  (3, 'CreateEvent', '{"ref_type": "tag"}', '{}', '2024-01-03 12:00+00', '192.168.0.0/24',
    'c3', 3),
  (4, 'CreateEvent', '{"ref_type": "repository", "extra": [1, 2]}', null, null, null, null,
    null),
  (5, 'WatchEvent', null, '{5}', '2024-01-05 09:00+00', '172.16.0.0/12', 'a1', 5);
create index payload_index on im_ev using gin (payload jsonb_path_ops);
create index im_ev_payload_ops on im_ev using gin (payload jsonb_ops);
create index im_ev_tags_gin on im_ev using gin (tags);
create index im_ev_kind_hash on im_ev using hash (kind);
create index im_ev_code_hash on im_ev using hash (code varchar_ops);
create index im_ev_at_brin on im_ev using brin (at);
create index im_ev_ip_spgist on im_ev using spgist (ip);
create index im_ev_ip_gist on im_ev using gist (ip inet_ops);
create index im_ev_code_spgist on im_ev using spgist (code);
create index im_ev_multi_gin on im_ev using gin (payload, tags);
create index im_ev_part_gin on im_ev using gin (payload) where n > 1;
create index im_ev_expr_gin on im_ev using gin ((payload -> 'extra'));
create index im_ev_kind_pattern on im_ev (kind text_pattern_ops);
-- test
select indexname, indexdef from pg_indexes where tablename = 'im_ev' order by indexname;
select c.relname, c.relkind, a.amname from pg_class c join pg_am a on a.oid = c.relam
  where c.relname like 'im\_ev\_%' or c.relname = 'payload_index' order by c.relname;
select c.relname, i.indnatts, i.indisunique, i.indclass::text, i.indkey::text
  from pg_index i join pg_class c on c.oid = i.indexrelid
  where i.indrelid = 'im_ev'::regclass order by c.relname;
select c2.relname, pg_get_indexdef(i.indexrelid, 0, true)
  from pg_index i join pg_class c2 on c2.oid = i.indexrelid
  where i.indrelid = 'im_ev'::regclass order by c2.relname;
select c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod)
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  where c.relname in ('payload_index', 'im_ev_payload_ops', 'im_ev_tags_gin', 'im_ev_at_brin')
  order by c.relname, a.attnum;
select oid, amname, amtype from pg_am order by oid;
select amname from pg_am where amtype = 'i' order by amname;
select o.opcname, a.amname, o.opcintype::regtype::text, o.opcdefault
  from pg_opclass o join pg_am a on a.oid = o.opcmethod
  where o.opcname in ('jsonb_path_ops', 'jsonb_ops', 'array_ops', 'inet_ops', 'text_ops')
  order by 1, 2;
-- queries read the table as if the recorded indexes were absent
select id from im_ev where payload @> '{"ref_type": "repository"}' order by id;
select count(*) from im_ev where payload @> '{"ref_type": "repository"}';
select id from im_ev where payload ? 'extra' order by id;
select id from im_ev where tags @> '{2}' order by id;
select id from im_ev where tags && '{3,5}' order by id;
select id from im_ev where kind = 'CreateEvent' order by id;
select id from im_ev where code = 'a1' order by id;
select id from im_ev where at >= '2024-01-02' order by id;
select id from im_ev where ip <<= '10.0.0.0/8' order by id;
select kind, count(*) from im_ev group by kind order by kind;
select id from im_ev where kind > 'D' order by kind desc, id;
-- writes after the indexes exist
insert into im_ev values (6, 'CreateEvent', '{"ref_type": "repository"}', '{2}', now(),
  '10.2.0.0/16', 'd4', 6);
update im_ev set payload = '{"ref_type": "repository"}' where id = 1;
delete from im_ev where id = 2;
select id from im_ev where payload @> '{"ref_type": "repository"}' order by id;
select id from im_ev where kind = 'CreateEvent' order by id;
select id from im_ev where tags @> '{2}' order by id;
-- validation as DefineIndex does it
create index im_bad on im_ev using heap (n);
create index im_bad on im_ev using foo (n);
create index im_bad on im_ev using gin (n);
create index im_bad on im_ev using gist (n);
create index im_bad on im_ev using brin (payload);
create index im_bad on im_ev using spgist (tags);
create index im_bad on im_ev using gin (payload foo_ops);
create index im_bad on im_ev using gin (payload int4_ops);
create index im_bad on im_ev using gin (n jsonb_path_ops);
create index im_bad on im_ev using hash (n jsonb_ops);
create unique index im_bad on im_ev using gin (payload);
create unique index im_bad on im_ev using hash (n);
create unique index im_bad on im_ev using brin (n);
create index im_bad on im_ev using hash (n, kind);
create index im_bad on im_ev using spgist (kind, code);
create index im_bad on im_ev using gin (payload desc);
create index im_bad on im_ev using hash (n asc);
create index im_bad on im_ev using gin (payload nulls first);
create index im_bad on im_ev using gin (payload) include (n);
create index im_bad on im_ev using gin (nope);
create index im_bad on im_ev using btree (kind foo_ops);
create index im_bad on im_ev using btree (n text_ops);
create index payload_index on im_ev using gin (payload);
create index if not exists payload_index on im_ev using gin (payload);
select count(*) from pg_class where relname = 'im_bad';
-- DROP INDEX and DROP TABLE take them away
drop index payload_index;
drop index im_ev_kind_hash, im_ev_at_brin;
select indexname from pg_indexes where tablename = 'im_ev' order by indexname;
select id from im_ev where payload @> '{"ref_type": "repository"}' order by id;
create table im_t2 (j jsonb);
create index im_t2_j on im_t2 using gin (j);
drop table im_t2;
select count(*) from pg_class where relname in ('im_t2', 'im_t2_j');
-- a hash index on an empty table, then rows
create table im_h (k int, v text);
create index im_h_k on im_h using hash (k);
insert into im_h select g, 'v' || g from generate_series(1, 50) g;
select v from im_h where k = 17;
select count(*) from im_h where k in (3, 4, 99);
select k from im_h where k < 4 order by k;
-- index columns of expressions are named as PostgreSQL names them
create index im_h_exprs on im_h ((k + 1), (k * 2), lower(v), k, k);
select a.attnum, a.attname, format_type(a.atttypid, a.atttypmod)
  from pg_attribute a where a.attrelid = 'im_h_exprs'::regclass order by a.attnum;
select a.attname, format_type(a.atttypid, a.atttypmod)
  from pg_attribute a where a.attrelid = 'im_ev_expr_gin'::regclass;
select pg_get_indexdef('im_h_exprs'::regclass), pg_get_indexdef('im_h_exprs'::regclass, 0, true);
select pg_get_indexdef('im_h_exprs'::regclass, 1, true), pg_get_indexdef('im_h_exprs'::regclass, 3, false);
-- the types index columns store: hash codes, name keys as cstring, gin keys of the class
create table im_nm (n name, i int, j jsonb, a text[]);
create index im_nm_b on im_nm (n);
create index im_nm_h on im_nm using hash (n);
create index im_nm_br on im_nm using brin (i) where i > 0;
create index im_nm_g on im_nm using gin (j jsonb_path_ops, a);
select c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
  from pg_attribute a join pg_class c on c.oid = a.attrelid
  where c.relname like 'im\_nm\_%' order by c.relname, a.attnum;
select indexrelid::regclass::text, indclass::text, indcollation::text from pg_index
  where indrelid = 'im_nm'::regclass order by 1;
