-- pg_get_viewdef and pg_views.definition of views whose query uses WITH RECURSIVE, VALUES as
-- a branch of a set operation or under a view column list, and functions in FROM with a
-- column definition list: the text must be PostgreSQL 15's, character for character.
-- setup
create table vdf_t (id int primary key, parent int, name text, score numeric(6,2));
create view vdf_rec as with recursive t(n) as (select 1 union all select n + 1 from t where n < 5) select n from t;
create view vdf_tree as with recursive tree as (select id, parent, name, 1 as depth from vdf_t where parent is null union all select c.id, c.parent, c.name, tree.depth + 1 from vdf_t c join tree on c.parent = tree.id) select * from tree order by depth, id;
create view vdf_rec_path as with recursive walk(id, path) as (select id, array[id] from vdf_t where parent is null union select c.id, w.path || c.id from vdf_t c, walk w where c.parent = w.id and not c.id = any (w.path)) select w.id, array_length(w.path, 1) as len from walk w;
create view vdf_rec_two as with recursive a(x) as (select 1 union all select x + 1 from a where x < 3), b as (select x * 10 as y from a) select a.x, b.y from a join b on b.y = a.x * 10;
create view vdf_cte_cols as with c(k, v) as (select id, name from vdf_t) select k, v from c where k > 1;
create view vdf_cte_shadow as with vdf_t as (select 1 as id) select vdf_t.id from vdf_t;
create view vdf_vu as select 1 as a union all values (2), (3);
create view vdf_vu2 as values (1, 'a') union select 2, 'b' order by 1;
create view vdf_vc(a, b) as values (1, 'x'), (2, 'y');
create view vdf_vc2(a) as values (1), (2) union all select 3;
create view vdf_vplain as values (1, 2.5), (3, null);
create view vdf_vcte as with v as (values (1, 'one'), (2, 'two')) select * from v;
create view vdf_vsub as select s.a from (values (1), (2)) s(a) union select id from vdf_t;
create view vdf_fc as select * from json_to_record('{"a":1,"b":"x"}') as r(a int, b text);
create view vdf_fc2 as select r.a + 1 as a1 from vdf_t, lateral json_to_recordset(('[{"a":' || vdf_t.id || '}]')::json) r(a int, b text) where r.b is null;
create view vdf_fc3 as select * from rows from (json_to_record('{"a":1}') as (a int), generate_series(1, 2)) as x(a, g);
create view vdf_fc4 as select * from jsonb_to_recordset('[{"k":"a","n":1.5}]') as r(k varchar(10), n numeric(5,1), d timestamptz);
-- test
select pg_get_viewdef('vdf_rec'::regclass);
select pg_get_viewdef('vdf_tree'::regclass);
select pg_get_viewdef('vdf_rec_path'::regclass);
select pg_get_viewdef('vdf_rec_two'::regclass);
select pg_get_viewdef('vdf_cte_cols'::regclass);
select pg_get_viewdef('vdf_cte_shadow'::regclass);
select pg_get_viewdef('vdf_vu'::regclass);
select pg_get_viewdef('vdf_vu2'::regclass);
select pg_get_viewdef('vdf_vc'::regclass);
select pg_get_viewdef('vdf_vc2'::regclass);
select pg_get_viewdef('vdf_vplain'::regclass);
select pg_get_viewdef('vdf_vcte'::regclass);
select pg_get_viewdef('vdf_vsub'::regclass);
select pg_get_viewdef('vdf_fc'::regclass);
select pg_get_viewdef('vdf_fc2'::regclass);
select pg_get_viewdef('vdf_fc3'::regclass);
select pg_get_viewdef('vdf_fc4'::regclass);
select pg_get_viewdef('vdf_rec'::regclass, true);
select pg_get_viewdef('vdf_tree'::regclass, true);
select pg_get_viewdef('vdf_vu'::regclass, true);
select pg_get_viewdef('vdf_vc'::regclass, true);
select pg_get_viewdef('vdf_fc2'::regclass, true);
select pg_get_viewdef('vdf_fc3'::regclass, true);
select viewname, definition from pg_views where viewname like 'vdf%' order by viewname;
select table_name, view_definition from information_schema.views where table_name like 'vdf%' order by table_name;
select * from vdf_rec order by n;
select * from vdf_vu2;
select * from vdf_vc order by a;
select * from vdf_fc3;
-- calls of SQL functions print as written, not expanded
-- setup
create function vdf_dbl(x int) returns int language sql immutable as 'select x * 2';
create function vdf_ok(x int) returns boolean language sql as 'select x >= 0';
create function vdf_tab(n int) returns table (k int, v text) language sql as 'select i, i::text from generate_series(1, n) i';
create view vdf_sqlf as select vdf_t.id, vdf_dbl(vdf_dbl(id) + 1) + 1 as d2, vdf_ok(id) as ok from vdf_t where vdf_ok(parent);
create view vdf_sqlf_from as select r.k, r.v from vdf_tab(3) r where r.k > vdf_dbl(1);
-- test
select pg_get_viewdef('vdf_sqlf'::regclass);
select pg_get_viewdef('vdf_sqlf'::regclass, true);
select pg_get_viewdef('vdf_sqlf_from'::regclass);
select * from vdf_sqlf_from order by k;
-- a column of the outer query read two subquery levels down
-- setup
create view vdf_deep as select (select (select o.name)) as x, (select case when o.id = 1 then (select case when o.score > 0 then 'a' else 'b' end) else 'c' end) as y from vdf_t o;
-- test
select pg_get_viewdef('vdf_deep'::regclass);
select pg_get_viewdef('vdf_deep'::regclass, true);
