-- Shapes beyond split aggregates: DISTINCT aggregates pushed down as grouping, ordered and
-- ordered-set aggregates and windows over gathered rows, windows pushed down per shard,
-- subqueries, CTEs and set operations planned recursively.
-- test
SELECT count(DISTINCT qty) FROM dx_events;
SELECT count(DISTINCT tag), count(*), sum(qty) FROM dx_events;
SELECT count(DISTINCT device_id) FROM dx_events;
SELECT count(DISTINCT device_id), count(DISTINCT tag) FROM dx_events;
SELECT tag, count(DISTINCT qty), count(DISTINCT device_id), avg(qty) FROM dx_events GROUP BY tag ORDER BY tag;
SELECT qty, count(DISTINCT device_id) FROM dx_events GROUP BY qty ORDER BY qty;
SELECT tag, sum(DISTINCT qty), avg(DISTINCT qty), min(DISTINCT qty), max(DISTINCT value) FROM dx_events GROUP BY 1 ORDER BY 1;
SELECT tag, count(DISTINCT qty) AS n FROM dx_events GROUP BY tag HAVING count(DISTINCT qty) > 3 ORDER BY n DESC, tag;
SELECT count(DISTINCT (device_id, tag)) FROM dx_events;
SELECT count(DISTINCT (qty, tag)) FROM dx_events;
SELECT type_id, count(DISTINCT active) FROM dx_devices GROUP BY type_id ORDER BY 1;
SELECT string_agg(tag, ',' ORDER BY event_id) FROM dx_events WHERE device_id < 4;
SELECT device_id, string_agg(tag, '' ORDER BY event_id DESC) FROM dx_events WHERE device_id < 20 GROUP BY device_id ORDER BY 1;
SELECT tag, array_agg(event_id ORDER BY event_id) FILTER (WHERE qty = 3) FROM dx_events WHERE event_id < 200 GROUP BY tag ORDER BY tag;
SELECT qty, jsonb_agg(event_id ORDER BY event_id) FROM dx_events WHERE event_id < 100 GROUP BY qty ORDER BY qty;
SELECT array_agg(DISTINCT tag ORDER BY tag) FROM dx_events;
SELECT string_agg(DISTINCT name, '; ' ORDER BY name) FROM dx_devices WHERE device_id < 10;
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY qty), percentile_cont(0.25) WITHIN GROUP (ORDER BY value) FROM dx_events;
SELECT tag, percentile_cont(0.9) WITHIN GROUP (ORDER BY value) FROM dx_events GROUP BY tag ORDER BY tag;
SELECT mode() WITHIN GROUP (ORDER BY qty) FROM dx_events;
SELECT device_id, event_id, row_number() OVER (PARTITION BY device_id ORDER BY event_id) FROM dx_events ORDER BY 1, 2 LIMIT 12;
SELECT device_id, event_id, sum(qty) OVER (PARTITION BY device_id ORDER BY event_id) AS s FROM dx_events ORDER BY s DESC, 1, 2 LIMIT 5;
SELECT device_id, count(*), rank() OVER (PARTITION BY device_id ORDER BY count(*)) FROM dx_events GROUP BY device_id ORDER BY 2 DESC, 1 LIMIT 5;
SELECT device_id, event_id, rank() OVER (ORDER BY value DESC, event_id) FROM dx_events ORDER BY 3 LIMIT 5;
SELECT tag, qty, dense_rank() OVER (PARTITION BY tag ORDER BY qty) FROM dx_events WHERE event_id < 40 ORDER BY 1, 2, 3;
SELECT device_id, rank() OVER (ORDER BY count(*) DESC) FROM dx_events GROUP BY device_id ORDER BY 2, 1 LIMIT 5;
SELECT DISTINCT ON (tag) tag, event_id FROM dx_events ORDER BY tag, event_id;
SELECT * FROM (SELECT device_id, count(*) AS n FROM dx_events GROUP BY device_id) s WHERE n > 30 ORDER BY device_id;
SELECT s.tag, max(s.n) FROM (SELECT tag, device_id, count(*) AS n FROM dx_events GROUP BY 1, 2) s GROUP BY 1 ORDER BY 1;
WITH c AS (SELECT device_id, count(*) AS n FROM dx_events GROUP BY device_id) SELECT max(n) FROM c;
WITH c AS (SELECT device_id, sum(qty) AS q FROM dx_events GROUP BY 1), d AS (SELECT * FROM c WHERE q > 200) SELECT count(*), max(q) FROM d;
WITH a AS (SELECT device_id FROM dx_devices WHERE active) SELECT count(*) FROM dx_events e JOIN a ON a.device_id = e.device_id;
SELECT count(*) FROM dx_events WHERE device_id IN (SELECT device_id FROM dx_devices WHERE active);
SELECT device_id, event_id FROM dx_events WHERE device_id = 5 AND event_id IN (SELECT event_id FROM dx_events WHERE device_id = 5 AND qty = 1) ORDER BY 2;
SELECT d.name, (SELECT count(*) FROM dx_events e WHERE e.device_id = d.device_id) FROM dx_devices d WHERE d.device_id < 6 ORDER BY 1;
SELECT device_id FROM dx_events UNION SELECT device_id FROM dx_devices WHERE device_id > 195 ORDER BY 1;
SELECT tag FROM dx_events WHERE device_id = 7 UNION ALL SELECT name FROM dx_devices WHERE device_id < 3 ORDER BY 1;
SELECT device_id FROM dx_devices EXCEPT SELECT device_id FROM dx_events ORDER BY 1;
SELECT count(*) FROM (SELECT device_id FROM dx_devices INTERSECT SELECT device_id FROM dx_events WHERE qty = 2) x;
WITH t AS (SELECT * FROM dx_types) SELECT t.name, count(*) FROM dx_devices d JOIN t ON t.type_id = d.type_id GROUP BY 1 ORDER BY 1;
WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT r.n, count(*) FROM r JOIN dx_events e ON e.qty = r.n GROUP BY 1 ORDER BY 1;
SELECT x.device_id, x.n, d.name FROM (SELECT device_id, count(*) AS n FROM dx_events WHERE qty = 4 GROUP BY 1) x JOIN dx_devices d ON d.device_id = x.device_id ORDER BY 2 DESC, 1 LIMIT 4;
SELECT tag, count(*) FILTER (WHERE qty > 5), count(DISTINCT qty) FILTER (WHERE qty > 5) FROM dx_events GROUP BY tag ORDER BY tag;
SELECT device_id, lag(event_id) OVER w, lead(event_id) OVER w FROM dx_events WHERE device_id < 5 WINDOW w AS (PARTITION BY device_id ORDER BY event_id) ORDER BY 1, 2 NULLS FIRST, 3 LIMIT 6;
SELECT (SELECT max(qty) FROM dx_events) AS m, count(*) FROM dx_devices;
