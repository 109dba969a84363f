-- Views over distributed and reference tables. The view is kept on the coordinator and
-- expanded into the query as a subquery (as Citus's coordinator plans it): router views,
-- multi-shard aggregates, views joining distributed and reference tables, views of views,
-- views with ORDER BY/LIMIT/DISTINCT/windows/set operations, CREATE OR REPLACE VIEW, views
-- with column lists, prepared parameters, and DROP VIEW. The views are dropped at the end.
-- setup
CREATE VIEW dxv_alarms AS SELECT device_id, event_id, value FROM dx_events
  WHERE payload ->> 'kind' = 'alarm';
CREATE VIEW dxv_dev3 AS SELECT * FROM dx_events WHERE device_id = 3;
CREATE VIEW dxv_per_device AS SELECT device_id, count(*) AS n, sum(value) AS total,
  max(at) AS last_at FROM dx_events GROUP BY device_id;
CREATE VIEW dxv_named AS SELECT e.device_id, e.event_id, e.qty, t.name AS type_name
  FROM dx_events e JOIN dx_devices d ON d.device_id = e.device_id
  JOIN dx_types t ON t.type_id = d.type_id;
CREATE VIEW dxv_types AS SELECT type_id, upper(name) AS name FROM dx_types;
CREATE VIEW dxv_busy AS SELECT * FROM dxv_per_device WHERE n > 25;
CREATE VIEW dxv_cols (dev, ev, amount) AS SELECT device_id, event_id, value FROM dx_events;
CREATE VIEW dxv_top AS SELECT device_id, event_id, value FROM dx_events
  ORDER BY value DESC, device_id, event_id LIMIT 10;
CREATE VIEW dxv_tags AS SELECT DISTINCT tag, qty FROM dx_events;
CREATE VIEW dxv_ranked AS SELECT device_id, event_id,
  rank() OVER (PARTITION BY device_id ORDER BY value DESC, event_id) AS r FROM dx_events;
CREATE VIEW dxv_union AS SELECT device_id FROM dx_devices WHERE active
  UNION SELECT device_id FROM dx_events WHERE qty = 16;
CREATE VIEW dxv_users AS SELECT email, score FROM dx_users WHERE score IS NOT NULL;
CREATE VIEW dxv_local_mix AS SELECT e.device_id, l.label FROM dx_events e
  JOIN dx_local l ON l.k = e.qty;
CREATE VIEW dxv_cols_big AS SELECT dev, amount FROM dxv_cols WHERE amount > 50;
CREATE VIEW dxv_cols_all AS SELECT * FROM dxv_cols_big WHERE dev > 3;
-- test
SELECT count(*), sum(value) FROM dxv_alarms;
SELECT * FROM dxv_alarms WHERE device_id = 7 ORDER BY event_id;
SELECT device_id, count(*) FROM dxv_alarms GROUP BY device_id ORDER BY 2 DESC, 1 LIMIT 5;
SELECT count(*), min(event_id), max(event_id) FROM dxv_dev3;
SELECT event_id, qty, tag FROM dxv_dev3 WHERE qty > 10 ORDER BY event_id;
SELECT * FROM dxv_per_device ORDER BY device_id LIMIT 10;
SELECT * FROM dxv_per_device WHERE device_id = 42;
SELECT count(*), sum(n), sum(total) FROM dxv_per_device;
SELECT n, count(*) FROM dxv_per_device GROUP BY n ORDER BY n;
SELECT type_name, count(*), sum(qty) FROM dxv_named GROUP BY type_name ORDER BY 1;
SELECT * FROM dxv_named WHERE device_id = 11 ORDER BY event_id LIMIT 5;
SELECT * FROM dxv_types ORDER BY type_id;
SELECT d.device_id, v.name FROM dx_devices d JOIN dxv_types v ON v.type_id = d.type_id
  WHERE d.device_id < 6 ORDER BY 1;
SELECT count(*), sum(n) FROM dxv_busy;
SELECT * FROM dxv_busy ORDER BY n DESC, device_id LIMIT 5;
SELECT dev, count(*), sum(amount) FROM dxv_cols WHERE dev IN (1, 2, 3) GROUP BY dev ORDER BY dev;
SELECT * FROM dxv_top ORDER BY value DESC, device_id, event_id;
SELECT count(*) FROM dxv_top WHERE device_id > 100;
SELECT * FROM dxv_tags ORDER BY tag, qty LIMIT 12;
SELECT count(*) FROM dxv_tags;
SELECT * FROM dxv_ranked WHERE r = 1 ORDER BY device_id LIMIT 8;
SELECT count(*) FROM dxv_ranked WHERE r <= 3;
SELECT count(*) FROM dxv_union;
SELECT * FROM dxv_union ORDER BY device_id LIMIT 5;
SELECT count(*), sum(score) FROM dxv_users;
SELECT * FROM dxv_users WHERE email = 'user17@test.com';
SELECT label, count(*) FROM dxv_local_mix GROUP BY label ORDER BY 1;
SELECT v.device_id, v.n, d.name FROM dxv_per_device v JOIN dx_devices d USING (device_id)
  WHERE v.device_id BETWEEN 10 AND 14 ORDER BY 1;
SELECT a.device_id, a.n, b.n FROM dxv_per_device a JOIN dxv_busy b USING (device_id)
  ORDER BY a.n DESC, 1 LIMIT 4;
SELECT count(*) FROM dx_devices WHERE device_id IN (SELECT device_id FROM dxv_alarms);
SELECT device_id FROM dx_devices d WHERE EXISTS (SELECT 1 FROM dxv_dev3 v
  WHERE v.device_id = d.device_id);
WITH busy AS (SELECT * FROM dxv_busy) SELECT count(*), max(n) FROM busy;
SELECT (SELECT count(*) FROM dxv_alarms) AS alarms, (SELECT count(*) FROM dxv_dev3) AS dev3;
SELECT * FROM dxv_alarms a WHERE a.device_id = 7 ORDER BY a.event_id;
SELECT device_id AS d, count(*) AS n FROM dxv_alarms GROUP BY d ORDER BY n DESC, d LIMIT 5;
SELECT dev FROM dxv_cols WHERE amount > 99 ORDER BY 1;
SELECT count(DISTINCT dev), count(*), sum(amount) FROM dxv_cols;
SELECT * FROM dxv_cols ORDER BY amount DESC, dev, ev LIMIT 3;
SELECT c.dev, max(c.amount) FROM dxv_cols AS c WHERE c.ev < 100 GROUP BY c.dev
  HAVING count(*) > 1 ORDER BY 2 DESC, 1 LIMIT 4;
SELECT amount AS dev FROM dxv_cols WHERE dev = 4 ORDER BY dev LIMIT 3;
SELECT dev, amount AS value FROM dxv_cols ORDER BY value DESC, dev LIMIT 3;
SELECT count(*) FROM dxv_cols WHERE qty > 3;
SELECT dev, ev, row_number() OVER (PARTITION BY dev ORDER BY ev) FROM dxv_cols
  WHERE dev = 5 ORDER BY ev LIMIT 5;
SELECT DISTINCT device_id FROM dxv_dev3;
SELECT event_id, value FROM dxv_dev3 WHERE tag = 'a' ORDER BY value DESC, event_id LIMIT 4;
SELECT t.name, count(*), sum(a.value) FROM dxv_alarms a JOIN dx_devices d
  ON d.device_id = a.device_id JOIN dx_types t ON t.type_id = d.type_id GROUP BY t.name ORDER BY 1;
SELECT d.name, c.amount FROM dxv_cols c JOIN dx_devices d ON d.device_id = c.dev
  WHERE c.dev = 17 ORDER BY c.ev LIMIT 5;
SELECT d.active, count(c.ev) FROM dx_devices d LEFT JOIN dxv_cols c ON c.dev = d.device_id
  AND c.amount > 95 GROUP BY 1 ORDER BY 1;
SELECT d.device_id, count(a.event_id) FROM dx_devices d LEFT JOIN dxv_alarms a
  ON a.device_id = d.device_id WHERE d.device_id < 12 GROUP BY 1 ORDER BY 1;
SELECT a.device_id, count(d.name) FROM dxv_alarms a LEFT JOIN dx_devices d
  ON d.device_id = a.device_id AND d.active GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
SELECT count(*) FROM dxv_dev3 v RIGHT JOIN dx_devices d ON d.device_id = v.device_id;
SELECT count(*), sum(amount) FROM dxv_cols c, dx_types t WHERE t.type_id = c.dev;
SELECT l.label, count(*) FROM dxv_cols c JOIN dx_local l ON l.k = c.dev GROUP BY 1 ORDER BY 1;
SELECT a.device_id, a.event_id, c.amount FROM dxv_alarms a JOIN dxv_cols c
  ON c.dev = a.device_id AND c.ev = a.event_id WHERE a.device_id = 23 ORDER BY 2;
SELECT count(*) FROM dxv_alarms JOIN dx_devices USING (device_id);
SELECT count(*) FROM dxv_alarms a JOIN dx_devices d ON d.device_id = a.device_id
  WHERE value > 50;
SELECT name, count(*) FROM dxv_cols JOIN dx_devices ON device_id = dev GROUP BY name
  ORDER BY 2 DESC, 1 LIMIT 3;
SELECT device_id FROM dxv_alarms JOIN dx_devices ON device_id = device_id LIMIT 1;
SELECT v.*, d.name FROM dxv_dev3 v JOIN dx_devices d ON d.device_id = v.device_id
  ORDER BY v.event_id LIMIT 3;
SELECT DISTINCT ON (dev) dev, amount FROM dxv_cols WHERE dev < 6 ORDER BY dev, amount DESC;
SELECT count(*), sum(amount) FROM dxv_cols_big;
SELECT * FROM dxv_cols_big WHERE dev = 19 ORDER BY amount;
SELECT count(*), min(dev), sum(amount) FROM dxv_cols_all;
SELECT d.name, count(*) FROM dxv_cols_all c JOIN dx_devices d ON d.device_id = c.dev
  WHERE c.dev < 9 GROUP BY 1 ORDER BY 1;
SELECT dev AS amount FROM dxv_cols WHERE dev = 2 ORDER BY amount LIMIT 2;
SELECT amount AS ev FROM dxv_cols WHERE dev = 3 ORDER BY ev + 0 LIMIT 3;
SELECT amount AS ev FROM dxv_cols WHERE dev = 3 ORDER BY ev LIMIT 3;
SELECT amount AS qty FROM dxv_cols WHERE dev = 4 ORDER BY qty DESC LIMIT 3;
SELECT DISTINCT ON (x) amount AS x, dev FROM dxv_cols WHERE dev < 3 ORDER BY x, dev LIMIT 4;
SELECT a.ev, b.ev FROM dxv_cols a JOIN dxv_cols b ON b.dev = a.dev AND b.ev = a.ev
  WHERE a.dev = 5 ORDER BY a.ev LIMIT 2;
SELECT amount AS x, count(*) FROM dxv_cols WHERE dev = 2 GROUP BY x ORDER BY x LIMIT 3;
SELECT count(*) FILTER (WHERE amount > 50), count(*) FROM dxv_cols;
SELECT a.dev, b.dev FROM dxv_cols a JOIN dxv_cols b ON b.ev = a.ev + 1 AND b.dev = a.dev
  WHERE a.dev = 9 ORDER BY 1, 2 LIMIT 3;
SELECT count(*) FROM dxv_cols a JOIN dxv_cols b ON b.dev = a.dev WHERE a.ev < 10;
SELECT count(*) FROM dxv_cols c JOIN dx_devices d ON d.device_id = c.dev WHERE qty > 3;
SELECT count(*) FROM (dxv_alarms a JOIN dx_devices d ON d.device_id = a.device_id)
  LEFT JOIN dx_types t ON t.type_id = d.type_id AND t.type_id > 2;
SELECT count(*), count(a.event_id) FROM dx_types t LEFT JOIN (dx_devices d
  JOIN dxv_alarms a ON a.device_id = d.device_id) ON d.type_id = t.type_id;
SELECT count(*) FROM dx_devices d FULL JOIN dxv_dev3 v ON v.device_id = d.device_id;
SELECT d, n FROM (SELECT dev AS d, count(*) AS n FROM dxv_cols GROUP BY dev) s
  ORDER BY n DESC, d LIMIT 3;
WITH c AS (SELECT dev, amount FROM dxv_cols WHERE dev = 12) SELECT count(*), sum(amount) FROM c;
SELECT dev FROM dxv_cols WHERE dev = 1 UNION ALL SELECT device_id FROM dxv_alarms
  WHERE device_id = 1 ORDER BY 1 LIMIT 3;
-- setup
CREATE OR REPLACE VIEW dxv_dev3 AS SELECT *, value * 2 AS doubled FROM dx_events
  WHERE device_id = 3;
-- test
SELECT event_id, doubled FROM dxv_dev3 ORDER BY event_id LIMIT 5;
SELECT count(*), sum(doubled) FROM dxv_dev3;
-- setup
PREPARE dxv_by_device(int) AS SELECT count(*), sum(value) FROM dxv_alarms WHERE device_id = $1;
-- test
EXECUTE dxv_by_device(7);
EXECUTE dxv_by_device(8);
-- setup
DEALLOCATE dxv_by_device;
ALTER VIEW dxv_users RENAME TO dxv_scored_users;
-- test
SELECT count(*) FROM dxv_scored_users;
SELECT count(*) FROM dxv_users;
SELECT viewname FROM pg_views WHERE viewname LIKE 'dxv%' ORDER BY 1;
DROP TABLE dx_types;
-- setup
DROP VIEW dxv_busy;
DROP VIEW dxv_cols_all;
DROP VIEW dxv_cols_big;
DROP VIEW dxv_per_device;
DROP VIEW dxv_alarms, dxv_dev3, dxv_named, dxv_types, dxv_cols, dxv_top, dxv_tags,
  dxv_ranked, dxv_union, dxv_scored_users, dxv_local_mix;
-- test
SELECT count(*) FROM pg_views WHERE viewname LIKE 'dxv%';
