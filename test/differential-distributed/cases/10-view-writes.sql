-- Writes through automatically updatable views over distributed and reference tables (the
-- view's WHERE merged into UPDATE/DELETE, its columns mapped to the table's, routed by the
-- distribution column), errors of views that cannot be written, WITH [LOCAL | CASCADED]
-- CHECK OPTION, CREATE TABLE AS / SELECT INTO over distributed tables, and materialized
-- views over them (create, read, refresh, WITH NO DATA, drop). Everything is dropped at the end.
-- setup
CREATE VIEW dxw_scratch (sid, sk, snote) AS SELECT id, k, note FROM dx_scratch
  WHERE id >= 90000;
CREATE VIEW dxw_checked AS SELECT id, k, note FROM dx_scratch WHERE k > 0
  WITH CHECK OPTION;
CREATE VIEW dxw_local AS SELECT * FROM dxw_checked WHERE id < 95000 WITH LOCAL CHECK OPTION;
CREATE VIEW dxw_cascaded AS SELECT * FROM dxw_scratch WHERE sk < 100
  WITH CASCADED CHECK OPTION;
CREATE VIEW dxw_types AS SELECT type_id, name FROM dx_types WHERE type_id >= 50
  WITH CHECK OPTION;
CREATE VIEW dxw_counts AS SELECT device_id, count(*) FROM dx_events GROUP BY device_id;
CREATE VIEW dxw_expr AS SELECT id, k * 2 AS k2, note FROM dx_scratch;
-- test
INSERT INTO dxw_scratch VALUES (90001, 1, 'one'), (90002, 2, 'two'), (90003, 3, 'three');
INSERT INTO dxw_scratch (sid, snote) VALUES (90004, 'four') RETURNING *;
SELECT * FROM dxw_scratch ORDER BY sid;
UPDATE dxw_scratch SET snote = upper(snote) WHERE sid = 90002 RETURNING sid, snote;
UPDATE dxw_scratch SET sk = sk * 10 WHERE sk IS NOT NULL;
DELETE FROM dxw_scratch WHERE sid = 90003 RETURNING *;
SELECT id, k, note FROM dx_scratch WHERE id >= 90000 ORDER BY id;
INSERT INTO dxw_checked VALUES (90010, 5, 'ok');
INSERT INTO dxw_checked VALUES (90011, 0, 'not shown');
INSERT INTO dxw_checked (id, note) VALUES (90012, 'null k');
UPDATE dxw_checked SET k = -k WHERE id = 90010;
UPDATE dxw_checked SET k = k + 1 WHERE id = 90010 RETURNING *;
INSERT INTO dxw_local VALUES (96000, 1, 'outside');
INSERT INTO dxw_local VALUES (90013, -1, 'checked below');
INSERT INTO dxw_cascaded VALUES (90014, 500, 'too big');
INSERT INTO dxw_cascaded VALUES (80000, 5, 'below the scratch view');
INSERT INTO dxw_cascaded VALUES (90015, 50, 'fits');
INSERT INTO dxw_types VALUES (50, 'type 50'), (51, 'type 51');
INSERT INTO dxw_types VALUES (40, 'type 40');
UPDATE dxw_types SET type_id = 41 WHERE type_id = 51;
UPDATE dxw_types SET name = upper(name) RETURNING *;
DELETE FROM dxw_types WHERE type_id = 51;
SELECT * FROM dx_types WHERE type_id >= 50 ORDER BY type_id;
INSERT INTO dxw_counts VALUES (1, 1);
DELETE FROM dxw_counts;
INSERT INTO dxw_expr VALUES (90020, 2, 'x');
INSERT INTO dxw_expr (id, note) VALUES (90020, 'x') RETURNING id, k2, note;
UPDATE dxw_expr SET k2 = 1;
SELECT id, k, note FROM dx_scratch WHERE id >= 80000 ORDER BY id;
CREATE TABLE dxw_totals AS SELECT device_id, count(*) AS n, sum(qty) AS q FROM dx_events
  GROUP BY device_id;
SELECT * FROM dxw_totals ORDER BY device_id LIMIT 10;
SELECT count(*), sum(n), sum(q) FROM dxw_totals;
SELECT e.device_id, t.name INTO dxw_named FROM dx_events e JOIN dx_devices d
  ON d.device_id = e.device_id JOIN dx_types t ON t.type_id = d.type_id WHERE e.device_id < 4;
SELECT name, count(*) FROM dxw_named GROUP BY name ORDER BY name;
CREATE TABLE dxw_none AS SELECT * FROM dx_scratch WITH NO DATA;
SELECT count(*) FROM dxw_none;
CREATE MATERIALIZED VIEW dxw_mv AS SELECT k, count(*) AS n FROM dx_scratch WHERE id >= 90000
  GROUP BY k;
SELECT * FROM dxw_mv ORDER BY k;
CREATE MATERIALIZED VIEW dxw_mv_later AS SELECT sid, snote FROM dxw_scratch WITH NO DATA;
SELECT * FROM dxw_mv_later;
REFRESH MATERIALIZED VIEW dxw_mv_later;
SELECT * FROM dxw_mv_later ORDER BY sid;
INSERT INTO dxw_scratch VALUES (90030, 7, 'late');
SELECT count(*) FROM dxw_mv_later;
REFRESH MATERIALIZED VIEW dxw_mv_later;
SELECT count(*) FROM dxw_mv_later;
CREATE UNIQUE INDEX dxw_mv_k ON dxw_mv (k);
REFRESH MATERIALIZED VIEW CONCURRENTLY dxw_mv;
SELECT * FROM dxw_mv ORDER BY k;
REFRESH MATERIALIZED VIEW dxw_mv WITH NO DATA;
SELECT * FROM dxw_mv;
-- setup
DROP MATERIALIZED VIEW dxw_mv, dxw_mv_later;
DROP TABLE dxw_totals, dxw_named, dxw_none;
DROP VIEW dxw_cascaded, dxw_local, dxw_checked, dxw_types, dxw_counts, dxw_expr, dxw_scratch;
DELETE FROM dx_scratch WHERE id >= 80000;
DELETE FROM dx_types WHERE type_id >= 50;
-- test
SELECT count(*) FROM pg_class WHERE relname LIKE 'dxw%';
