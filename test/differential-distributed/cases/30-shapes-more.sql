-- Shapes applications run on Citus that the other files do not cover: subqueries in WHERE
-- correlated on the distribution column and not, CTEs referenced once and twice (MATERIALIZED
-- or not), windows partitioned by the distribution column and not, ORDER BY/LIMIT/OFFSET with
-- ties, DISTINCT ON, count(DISTINCT) grouped by other columns, HAVING on aggregates outside
-- the target list, outer joins with the reference table both ways, colocated joins with extra
-- non-equality conditions, INSERT … SELECT pushed down and re-partitioned, UPDATE/DELETE with
-- subqueries and FROM the reference table, RETURNING expressions, upserts, serial columns and
-- sequences, transactions writing several shards and reading them back. Runs last.
-- setup
DELETE FROM dx_scratch;
INSERT INTO dx_customers SELECT i, (ARRAY['north', 'south', 'east', 'west'])[1 + i % 4], i % 3
  FROM generate_series(1, 40) i;
INSERT INTO dx_orders (customer_id, amount, status)
  SELECT 1 + (i * 7) % 40, ((i * 13) % 500) / 4.0, (ARRAY['new', 'paid', 'shipped'])[1 + i % 3]
  FROM generate_series(1, 400) i;
-- test
-- Subqueries in WHERE.
SELECT count(*) FROM dx_devices d WHERE EXISTS (SELECT 1 FROM dx_events e WHERE e.device_id = d.device_id AND e.qty = 16);
SELECT device_id FROM dx_devices d WHERE NOT EXISTS (SELECT 1 FROM dx_events e WHERE e.device_id = d.device_id) ORDER BY 1;
SELECT count(*) FROM dx_devices d WHERE d.device_id IN (SELECT e.device_id FROM dx_events e WHERE e.tag = 'a' AND e.qty > 14);
SELECT count(*) FROM dx_devices d WHERE d.device_id NOT IN (SELECT e.device_id FROM dx_events e WHERE e.qty = 3);
SELECT count(*) FROM dx_devices d WHERE EXISTS (SELECT 1 FROM dx_events e WHERE e.qty = d.type_id);
SELECT count(*) FROM dx_devices d WHERE d.type_id IN (SELECT e.qty FROM dx_events e WHERE e.device_id = d.device_id);
SELECT count(*) FROM dx_devices d WHERE EXISTS (SELECT 1 FROM dx_types t WHERE t.type_id = d.type_id AND t.name <> 'type 2');
SELECT count(*) FROM dx_events WHERE qty IN (SELECT type_id FROM dx_devices WHERE device_id < 10);
SELECT count(*) FROM dx_events WHERE qty IN (SELECT type_id FROM dx_types WHERE name LIKE '%3');
SELECT count(*) FROM dx_events WHERE value > (SELECT avg(value) FROM dx_events);
SELECT device_id, count(*) FROM dx_events WHERE qty = (SELECT max(qty) FROM dx_events WHERE device_id = 5) GROUP BY device_id ORDER BY 2 DESC, 1 LIMIT 5;
SELECT count(*) FROM dx_devices WHERE EXISTS (SELECT 1 FROM dx_events WHERE qty = 16 AND device_id = 3);
SELECT count(*) FROM dx_devices d WHERE d.device_id IN (SELECT device_id FROM dx_events WHERE qty = 5) AND d.type_id IN (SELECT type_id FROM dx_types WHERE type_id < 3);
SELECT d.device_id FROM dx_devices d WHERE (SELECT count(*) FROM dx_events e WHERE e.device_id = d.device_id) > 33 ORDER BY 1;
SELECT count(*) FROM dx_devices d WHERE d.device_id IN (SELECT qty FROM dx_events WHERE tag = 'b');
SELECT count(*) FROM dx_events WHERE qty > ALL (SELECT type_id FROM dx_types);
SELECT count(*) FROM dx_users u WHERE u.score IN (SELECT qty FROM dx_events WHERE device_id = 7);
SELECT count(*) FROM dx_users u WHERE EXISTS (SELECT 1 FROM dx_users v WHERE v.email = u.email AND v.score > 90);
SELECT c.customer_id FROM dx_customers c WHERE NOT EXISTS (SELECT 1 FROM dx_orders o WHERE o.customer_id = c.customer_id AND o.status = 'new' AND o.amount > 60) ORDER BY 1;
SELECT c.customer_id, c.region FROM dx_customers c WHERE c.customer_id = 12 AND EXISTS (SELECT 1 FROM dx_orders o WHERE o.customer_id = c.customer_id);
SELECT count(*) FROM dx_orders o WHERE o.amount > (SELECT avg(amount) FROM dx_orders i WHERE i.customer_id = o.customer_id);
SELECT count(*) FROM dx_orders o WHERE o.amount > (SELECT avg(amount) FROM dx_orders i WHERE i.status = o.status);
-- CTEs.
WITH c AS (SELECT device_id, sum(qty) AS q FROM dx_events GROUP BY device_id) SELECT count(*) FROM c a JOIN c b ON a.q = b.q AND a.device_id < b.device_id;
WITH c AS MATERIALIZED (SELECT * FROM dx_devices WHERE active) SELECT count(*) FROM c;
WITH c AS NOT MATERIALIZED (SELECT * FROM dx_devices WHERE active) SELECT type_id, count(*) FROM c GROUP BY 1 ORDER BY 1;
WITH e AS (SELECT * FROM dx_events WHERE device_id = 12) SELECT event_id, qty FROM e ORDER BY event_id LIMIT 5;
WITH e AS MATERIALIZED (SELECT device_id, qty FROM dx_events WHERE qty > 14) SELECT d.name, count(*) FROM e JOIN dx_devices d USING (device_id) GROUP BY d.name ORDER BY 2 DESC, 1 LIMIT 5;
WITH e AS NOT MATERIALIZED (SELECT device_id, qty FROM dx_events WHERE qty > 14) SELECT d.name, count(*) FROM e JOIN dx_devices d USING (device_id) GROUP BY d.name ORDER BY 2 DESC, 1 LIMIT 5;
WITH a AS (SELECT device_id FROM dx_devices WHERE type_id = 2), b AS (SELECT device_id, count(*) AS n FROM dx_events GROUP BY 1) SELECT count(*), sum(b.n) FROM a JOIN b USING (device_id);
WITH t AS (SELECT tag, count(*) AS n FROM dx_events GROUP BY tag) SELECT * FROM t WHERE n = (SELECT max(n) FROM t);
WITH c AS (SELECT customer_id, sum(amount) AS s FROM dx_orders GROUP BY 1) SELECT cu.region, sum(c.s) FROM c JOIN dx_customers cu USING (customer_id) GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM dx_events WHERE device_id IN (WITH x AS (SELECT device_id FROM dx_devices WHERE type_id = 3) SELECT device_id FROM x);
WITH c AS (SELECT * FROM dx_devices) SELECT name FROM c WHERE device_id = 5;
WITH c AS MATERIALIZED (SELECT device_id, count(*) AS n FROM dx_events GROUP BY 1) SELECT (SELECT max(n) FROM c), (SELECT min(n) FROM c);
WITH c AS (SELECT type_id, count(*) AS n FROM dx_devices GROUP BY 1) SELECT t.name, c.n FROM dx_types t LEFT JOIN c USING (type_id) ORDER BY 1;
WITH o AS MATERIALIZED (SELECT customer_id, count(*) AS n FROM dx_orders GROUP BY 1) SELECT c.tier, sum(o.n) FROM dx_customers c JOIN o USING (customer_id) GROUP BY 1 ORDER BY 1;
WITH o AS (SELECT * FROM dx_orders WHERE status = 'paid'), c AS (SELECT * FROM dx_customers WHERE tier = 1) SELECT count(*) FROM o JOIN c USING (customer_id);
WITH top AS (SELECT device_id FROM dx_events GROUP BY 1 ORDER BY sum(value) DESC, 1 LIMIT 3) SELECT d.device_id, d.name FROM dx_devices d JOIN top USING (device_id) ORDER BY 1;
-- Windows.
SELECT device_id, event_id, rank() OVER (PARTITION BY device_id ORDER BY qty DESC, event_id) FROM dx_events WHERE device_id < 4 ORDER BY 1, 3, 2 LIMIT 10;
SELECT device_id, count(*) OVER (PARTITION BY device_id) AS n FROM dx_events WHERE qty = 16 ORDER BY n DESC, 1 LIMIT 6;
SELECT * FROM (SELECT device_id, event_id, row_number() OVER (PARTITION BY device_id ORDER BY value DESC, event_id) AS rn FROM dx_events) s WHERE rn = 1 ORDER BY device_id LIMIT 8;
SELECT tag, qty, sum(qty) OVER (PARTITION BY tag ORDER BY qty) FROM dx_events WHERE event_id < 30 ORDER BY 1, 2;
SELECT event_id, ntile(4) OVER (ORDER BY event_id) FROM dx_events WHERE device_id = 8 ORDER BY 1;
SELECT DISTINCT device_id, avg(qty) OVER (PARTITION BY device_id)::numeric(10,2) AS a, first_value(event_id) OVER (PARTITION BY device_id ORDER BY event_id) AS f FROM dx_events WHERE device_id < 6 ORDER BY 1;
SELECT tag, count(*), sum(count(*)) OVER () FROM dx_events GROUP BY tag ORDER BY tag;
SELECT qty, count(*), rank() OVER (ORDER BY count(*) DESC) FROM dx_events GROUP BY qty ORDER BY 3, 1;
SELECT count(*) FROM (SELECT event_id, row_number() OVER (ORDER BY event_id) AS rn FROM dx_events) s WHERE rn % 100 = 0;
SELECT e.device_id, d.name, e.event_id, row_number() OVER (PARTITION BY e.device_id ORDER BY e.event_id DESC) FROM dx_events e JOIN dx_devices d USING (device_id) WHERE e.device_id < 3 ORDER BY 1, 4 LIMIT 5;
SELECT e.device_id, e.event_id, rank() OVER (ORDER BY e.value DESC, e.event_id) FROM dx_events e JOIN dx_devices d USING (device_id) WHERE d.active ORDER BY 3 LIMIT 5;
SELECT tag, event_id, lag(event_id) OVER (PARTITION BY tag ORDER BY event_id) FROM dx_events WHERE event_id < 20 ORDER BY 2;
SELECT device_id, event_id, percent_rank() OVER w, cume_dist() OVER w FROM dx_events WHERE device_id = 11 WINDOW w AS (PARTITION BY device_id ORDER BY qty) ORDER BY 2;
SELECT device_id, event_id, sum(qty) OVER (PARTITION BY device_id ORDER BY event_id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM dx_events WHERE device_id IN (20, 21) ORDER BY 1, 2;
SELECT email, score, dense_rank() OVER (ORDER BY score DESC) FROM dx_users WHERE score IS NOT NULL ORDER BY 3, 1 LIMIT 8;
SELECT customer_id, order_id, sum(amount) OVER (PARTITION BY customer_id ORDER BY order_id) FROM dx_orders WHERE customer_id IN (3, 4) ORDER BY 1, 2 LIMIT 12;
SELECT status, customer_id, rank() OVER (PARTITION BY status ORDER BY sum(amount) DESC, customer_id) FROM dx_orders GROUP BY status, customer_id ORDER BY 3, 1 LIMIT 6;
SELECT device_id, max(event_id) - min(event_id) OVER (PARTITION BY device_id) FROM dx_events WHERE device_id = 30 GROUP BY device_id, event_id ORDER BY 2 LIMIT 1;
-- ORDER BY, LIMIT and OFFSET with ties.
SELECT qty FROM dx_events ORDER BY qty DESC LIMIT 7 OFFSET 3;
SELECT tag, qty FROM dx_events ORDER BY qty, tag LIMIT 10 OFFSET 250;
SELECT device_id, qty FROM dx_events ORDER BY qty DESC, device_id LIMIT 5 OFFSET 40;
SELECT type_id FROM dx_devices ORDER BY type_id FETCH FIRST 3 ROWS WITH TIES;
SELECT * FROM (SELECT qty, event_id FROM dx_events WHERE device_id < 30 ORDER BY qty DESC FETCH FIRST 2 ROWS WITH TIES) s ORDER BY 1, 2;
SELECT qty, count(*) FROM dx_events GROUP BY qty ORDER BY count(*) DESC, qty LIMIT 3 OFFSET 2;
SELECT tag, count(*) FROM dx_events GROUP BY tag ORDER BY 2, 1 LIMIT 2 OFFSET 1;
SELECT device_id, count(*) FROM dx_events GROUP BY device_id ORDER BY count(*) DESC, device_id OFFSET 190;
SELECT email FROM dx_users ORDER BY score DESC NULLS FIRST, email LIMIT 4 OFFSET 28;
SELECT device_id FROM dx_devices ORDER BY active, type_id DESC, device_id LIMIT 3 OFFSET 100;
SELECT * FROM dx_events ORDER BY event_id LIMIT 0;
SELECT event_id FROM dx_events ORDER BY event_id DESC OFFSET 4990;
SELECT status, amount FROM dx_orders ORDER BY amount DESC, status LIMIT 6 OFFSET 1;
SELECT customer_id FROM dx_orders ORDER BY status, customer_id LIMIT 5 OFFSET 120;
SELECT tier, region FROM dx_customers ORDER BY tier DESC, region FETCH FIRST 2 ROWS WITH TIES;
-- DISTINCT and DISTINCT ON.
SELECT DISTINCT qty % 4, tag FROM dx_events ORDER BY 1, 2;
SELECT DISTINCT ON (device_id) device_id, event_id, value FROM dx_events WHERE device_id < 8 ORDER BY device_id, value DESC, event_id;
SELECT DISTINCT ON (qty) qty, device_id, event_id FROM dx_events ORDER BY qty, event_id DESC;
SELECT DISTINCT ON (type_id) type_id, name FROM dx_devices ORDER BY type_id, name LIMIT 3;
SELECT count(*) FROM (SELECT DISTINCT tag, qty FROM dx_events) s;
SELECT DISTINCT d.type_id, e.tag FROM dx_devices d JOIN dx_events e USING (device_id) WHERE e.qty = 1 ORDER BY 1, 2;
SELECT DISTINCT device_id FROM dx_events ORDER BY device_id DESC LIMIT 4 OFFSET 2;
SELECT DISTINCT ON (tag) tag, qty FROM dx_events ORDER BY tag, qty DESC LIMIT 2;
SELECT DISTINCT region FROM dx_customers ORDER BY 1;
SELECT DISTINCT ON (e.device_id) e.device_id, d.name, e.event_id FROM dx_events e JOIN dx_devices d USING (device_id) WHERE e.device_id BETWEEN 50 AND 55 ORDER BY e.device_id, e.event_id DESC;
SELECT DISTINCT tag, count(*) OVER (PARTITION BY tag) FROM dx_events ORDER BY 1;
SELECT DISTINCT ON (status) status, customer_id, amount FROM dx_orders ORDER BY status, amount DESC, customer_id;
-- count(DISTINCT) grouped by columns other than the distribution column.
SELECT tag, count(DISTINCT device_id) FROM dx_events GROUP BY tag ORDER BY 1;
SELECT qty, count(DISTINCT tag), count(DISTINCT device_id) FROM dx_events GROUP BY qty ORDER BY 1;
SELECT d.type_id, count(DISTINCT e.qty) FROM dx_events e JOIN dx_devices d USING (device_id) GROUP BY 1 ORDER BY 1;
SELECT region, count(DISTINCT tier), count(*) FROM dx_customers GROUP BY region ORDER BY region;
SELECT status, count(DISTINCT customer_id), sum(amount) FROM dx_orders GROUP BY status ORDER BY status;
SELECT tag, count(DISTINCT qty) FILTER (WHERE device_id < 100) FROM dx_events GROUP BY tag ORDER BY tag;
SELECT extract(year FROM at)::int AS y, count(DISTINCT tag) FROM dx_events GROUP BY 1 ORDER BY 1;
SELECT tag, count(DISTINCT qty) FROM dx_events GROUP BY tag ORDER BY count(DISTINCT qty) DESC, tag LIMIT 2;
SELECT status, count(DISTINCT amount) FROM dx_orders WHERE customer_id < 20 GROUP BY status ORDER BY 1;
-- HAVING on aggregates that are not in the target list.
SELECT tag FROM dx_events GROUP BY tag HAVING sum(qty) > 10000 ORDER BY tag;
SELECT qty FROM dx_events GROUP BY qty HAVING max(value) > 99 AND count(*) > 280 ORDER BY qty;
SELECT type_id FROM dx_devices GROUP BY type_id HAVING bool_and(active) = false ORDER BY 1;
SELECT device_id FROM dx_events GROUP BY device_id HAVING avg(value) > 60 ORDER BY 1 LIMIT 10;
SELECT tag, count(*) FROM dx_events GROUP BY tag HAVING count(DISTINCT device_id) > 150 ORDER BY 1;
SELECT d.type_id FROM dx_devices d JOIN dx_events e USING (device_id) GROUP BY d.type_id HAVING min(e.event_id) < 3 ORDER BY 1;
SELECT region FROM dx_customers c JOIN dx_orders o USING (customer_id) GROUP BY region HAVING sum(o.amount) > 1000 ORDER BY 1;
SELECT qty % 5 AS m FROM dx_events GROUP BY 1 HAVING stddev(value) > 28 ORDER BY 1;
SELECT email FROM dx_users GROUP BY email HAVING count(score) = 0 ORDER BY 1 LIMIT 5;
SELECT tag FROM dx_events GROUP BY tag HAVING count(*) FILTER (WHERE qty > 10) > 300 ORDER BY 1;
SELECT tag, qty FROM dx_events GROUP BY tag, qty HAVING sum(value) > 3500 ORDER BY 1, 2;
SELECT status FROM dx_orders GROUP BY status HAVING max(amount) - min(amount) > 100 AND avg(amount) < 70 ORDER BY 1;
-- Outer joins between distributed and reference tables, both directions.
SELECT t.type_id, count(d.device_id) FROM dx_types t LEFT JOIN dx_devices d ON d.type_id = t.type_id AND d.device_id < 30 GROUP BY 1 ORDER BY 1;
SELECT d.device_id, t.name FROM dx_devices d LEFT JOIN dx_types t ON t.type_id = d.type_id AND t.type_id > 3 WHERE d.device_id < 8 ORDER BY 1;
SELECT t.name, d.device_id FROM dx_devices d RIGHT JOIN dx_types t ON t.type_id = d.type_id AND d.device_id < 4 ORDER BY 1, 2;
SELECT count(*) FROM dx_devices d FULL JOIN dx_types t ON t.type_id = d.type_id;
SELECT t.name, count(e.event_id) FROM dx_types t LEFT JOIN dx_devices d ON d.type_id = t.type_id LEFT JOIN dx_events e ON e.device_id = d.device_id AND e.qty = 0 GROUP BY 1 ORDER BY 1;
SELECT d.device_id, t.name FROM dx_devices d LEFT JOIN dx_types t ON t.type_id = d.type_id + 3 WHERE d.device_id BETWEEN 10 AND 14 ORDER BY 1;
SELECT e.event_id, t.name FROM dx_events e LEFT JOIN dx_types t ON t.type_id = e.qty WHERE e.device_id = 13 ORDER BY 1;
SELECT t.type_id, e.n FROM dx_types t LEFT JOIN (SELECT qty, count(*) AS n FROM dx_events GROUP BY qty) e ON e.qty = t.type_id ORDER BY 1;
SELECT t.type_id, count(c.customer_id) FROM dx_types t LEFT JOIN dx_customers c ON c.tier = t.type_id GROUP BY 1 ORDER BY 1;
SELECT c.customer_id, t.name FROM dx_types t RIGHT JOIN dx_customers c ON c.tier = t.type_id WHERE c.customer_id < 6 ORDER BY 1;
-- Colocated joins with extra conditions that are not equalities on the distribution column.
SELECT count(*) FROM dx_events e JOIN dx_devices d ON e.device_id = d.device_id AND e.qty > d.type_id;
SELECT d.device_id, count(e.event_id) FROM dx_devices d LEFT JOIN dx_events e ON e.device_id = d.device_id AND e.qty < d.type_id WHERE d.device_id < 10 GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM dx_events a JOIN dx_events b ON a.device_id = b.device_id AND a.event_id < b.event_id AND a.qty = b.qty WHERE a.device_id < 20;
SELECT c.customer_id, count(o.order_id) FROM dx_customers c LEFT JOIN dx_orders o ON o.customer_id = c.customer_id AND o.amount > c.tier * 40 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
SELECT count(*) FROM dx_events e JOIN dx_devices d ON e.device_id = d.device_id AND (e.tag = 'a' OR d.active);
SELECT e.device_id, max(e.value - d.type_id) FROM dx_events e JOIN dx_devices d ON e.device_id = d.device_id AND e.event_id % 10 = d.type_id GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 4;
SELECT count(*), count(e.device_id), count(d.device_id) FROM dx_devices d FULL JOIN dx_events e ON e.device_id = d.device_id AND e.qty = 16;
SELECT count(*) FROM dx_events e JOIN dx_devices d ON e.device_id = d.device_id OR e.qty = d.type_id;
SELECT c.region, count(*) FROM dx_customers c JOIN dx_orders o ON o.customer_id = c.customer_id AND o.status <> c.region AND o.amount BETWEEN 10 AND 50 GROUP BY 1 ORDER BY 1;
-- INSERT … SELECT: colocated (pushed down) and re-partitioned.
INSERT INTO dx_scratch (id, k, note) SELECT device_id, type_id, name FROM dx_devices WHERE device_id <= 50;
INSERT INTO dx_tag_totals (tag, n, total) SELECT tag, count(*), sum(value) FROM dx_events GROUP BY tag;
INSERT INTO dx_tag_totals (tag, n, total) SELECT 'd' || device_id, count(*), sum(qty) FROM dx_events WHERE device_id < 30 GROUP BY device_id;
SELECT tag, n, total FROM dx_tag_totals ORDER BY tag;
INSERT INTO dx_scratch (id, k, note) SELECT qty + 100, count(*), tag FROM dx_events WHERE tag = 'c' GROUP BY qty, tag;
INSERT INTO dx_scratch (id, k) SELECT customer_id + 300, count(*) FROM dx_orders GROUP BY customer_id;
SELECT count(*), sum(k), min(id), max(id) FROM dx_scratch;
INSERT INTO dx_tag_totals SELECT tag, count(*), sum(value) FROM dx_events WHERE qty = 1 GROUP BY tag ON CONFLICT (tag) DO UPDATE SET n = dx_tag_totals.n + EXCLUDED.n, total = EXCLUDED.total RETURNING tag, n;
INSERT INTO dx_scratch (id, k, note) SELECT c.customer_id + 400, count(*), min(c.region) FROM dx_customers c JOIN dx_orders o USING (customer_id) WHERE o.status = 'paid' GROUP BY c.customer_id;
SELECT id, k, note FROM dx_scratch WHERE id > 400 ORDER BY id LIMIT 8;
INSERT INTO dx_scratch (id, k, note) SELECT id + 1, k, note FROM dx_scratch WHERE id BETWEEN 101 AND 116 ON CONFLICT (id) DO NOTHING;
SELECT id, k, note FROM dx_scratch WHERE id BETWEEN 100 AND 120 ORDER BY id;
INSERT INTO dx_orders (customer_id, amount, status) SELECT customer_id, tier * 10, 'gen' FROM dx_customers WHERE region = 'north' RETURNING customer_id, order_id > 400, amount;
SELECT count(*), count(DISTINCT order_id), min(order_id), max(order_id) FROM dx_orders;
INSERT INTO dx_customers (customer_id, region, tier) SELECT id + 1000, 'copy', k FROM dx_scratch WHERE id BETWEEN 10 AND 14;
SELECT customer_id, region, tier FROM dx_customers WHERE customer_id > 1000 ORDER BY 1;
-- UPDATE and DELETE with subqueries and with FROM the reference table.
UPDATE dx_scratch SET k = k + 1 WHERE id IN (SELECT device_id FROM dx_devices WHERE type_id = 2);
SELECT sum(k) FROM dx_scratch WHERE id <= 50;
UPDATE dx_scratch s SET note = t.name FROM dx_types t WHERE t.type_id = s.k AND s.id < 60;
SELECT note, count(*) FROM dx_scratch WHERE id < 60 GROUP BY note ORDER BY 1;
DELETE FROM dx_scratch WHERE id IN (SELECT device_id FROM dx_events WHERE qty = 16 AND event_id < 1000);
SELECT count(*) FROM dx_scratch;
DELETE FROM dx_scratch s USING dx_types t WHERE t.type_id = s.k AND t.name = 'type 4' RETURNING s.id, upper(t.name);
UPDATE dx_scratch SET k = (SELECT max(type_id) FROM dx_types) WHERE id = 7 RETURNING id, k;
UPDATE dx_scratch SET k = 0 WHERE k < (SELECT avg(qty) FROM dx_events) AND id > 300;
SELECT count(*), sum(k) FROM dx_scratch WHERE id > 300;
DELETE FROM dx_scratch WHERE EXISTS (SELECT 1 FROM dx_devices d WHERE d.device_id = dx_scratch.id AND NOT d.active) RETURNING id;
UPDATE dx_scratch s SET k = d.type_id * 100 FROM dx_devices d WHERE d.device_id = s.id AND d.device_id < 10;
SELECT id, k FROM dx_scratch WHERE id < 12 ORDER BY id;
DELETE FROM dx_scratch WHERE id = 7 AND k IN (SELECT type_id FROM dx_types);
UPDATE dx_users SET score = score + 1 WHERE email IN (SELECT email FROM dx_users WHERE score = 50) RETURNING email, score;
UPDATE dx_orders o SET status = 'vip' FROM dx_customers c WHERE c.customer_id = o.customer_id AND c.tier = 2 AND o.amount > 120;
SELECT status, count(*) FROM dx_orders GROUP BY status ORDER BY 1;
DELETE FROM dx_orders o WHERE o.amount < 2 AND o.customer_id IN (SELECT customer_id FROM dx_customers WHERE region = 'east');
SELECT count(*) FROM dx_orders;
UPDATE dx_scratch SET k = -1 WHERE id IN (SELECT DISTINCT qty FROM dx_events WHERE device_id = 40);
SELECT id, k FROM dx_scratch WHERE k = -1 ORDER BY id;
-- RETURNING expressions.
INSERT INTO dx_scratch VALUES (901, 5, 'ret') RETURNING id * 2, k + 1 AS k1, upper(note), id::text || ':' || note;
UPDATE dx_scratch SET k = k * 3 WHERE id = 901 RETURNING k, k > 10 AS big, CASE WHEN k % 2 = 0 THEN 'even' ELSE 'odd' END;
DELETE FROM dx_scratch WHERE id = 901 RETURNING note || '!', length(note);
UPDATE dx_scratch SET note = 'x' || id WHERE id BETWEEN 1 AND 6 RETURNING id, note, k IS NULL;
INSERT INTO dx_scratch VALUES (902, NULL, NULL), (903, 3, 'b') RETURNING coalesce(k, -1), note IS NULL, 1 AS one;
UPDATE dx_scratch SET k = k WHERE id = 1 RETURNING now() IS NOT NULL;
INSERT INTO dx_scratch VALUES (1, 0, 'no') ON CONFLICT (id) DO NOTHING RETURNING clock_timestamp() IS NOT NULL;
UPDATE dx_scratch SET k = random()::int WHERE id = -5;
DELETE FROM dx_scratch WHERE id = -5 AND random() < 2;
INSERT INTO dx_scratch VALUES (1, 0, 'no') ON CONFLICT (id) DO UPDATE SET note = now()::text WHERE false;
INSERT INTO dx_scratch VALUES (1, 0, 'no') ON CONFLICT (id) DO UPDATE SET note = 'x' WHERE now() IS NULL;
UPDATE dx_scratch s SET k = 1 WHERE EXISTS (SELECT 1 FROM dx_events e WHERE e.qty = s.id AND e.device_id < 0);
UPDATE dx_scratch SET k = k RETURNING k, abs(k) + length(note) AS n;
DELETE FROM dx_scratch WHERE id IN (902, 903) RETURNING id % 2 AS parity, row(id, k)::text;
-- Upserts.
INSERT INTO dx_customers VALUES (5, 'central', 9) ON CONFLICT (customer_id) DO UPDATE SET region = EXCLUDED.region, tier = dx_customers.tier + EXCLUDED.tier RETURNING *;
INSERT INTO dx_customers AS c VALUES (6, 'x', 1), (41, 'new', 2), (7, 'y', 1) ON CONFLICT (customer_id) DO UPDATE SET tier = c.tier * 10 + EXCLUDED.tier WHERE c.region <> 'south' RETURNING customer_id, region, tier;
INSERT INTO dx_customers VALUES (8, 'z', 0) ON CONFLICT (customer_id) DO UPDATE SET customer_id = EXCLUDED.customer_id + 100 WHERE dx_customers.tier > 1000;
INSERT INTO dx_customers VALUES (9, 'r', 1) ON CONFLICT (customer_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, region = EXCLUDED.region RETURNING *;
INSERT INTO dx_customers AS c VALUES (10, 'r', 1), (44, 's', 2) ON CONFLICT (customer_id) DO UPDATE SET customer_id = c.customer_id, tier = EXCLUDED.tier + c.tier RETURNING *;
UPDATE dx_customers SET customer_id = customer_id, tier = tier + 1 WHERE customer_id = 10 RETURNING *;
UPDATE dx_customers SET customer_id = 11, tier = 0 WHERE customer_id = 11 RETURNING *;
UPDATE dx_customers c SET customer_id = c.customer_id WHERE tier = 2 AND customer_id < 9;
UPDATE dx_customers SET customer_id = 12 WHERE customer_id = 13;
INSERT INTO dx_customers VALUES (42, 'a', 1), (42, 'b', 2) ON CONFLICT (customer_id) DO UPDATE SET tier = 5;
INSERT INTO dx_customers VALUES (8, 'z', 0) ON CONFLICT DO NOTHING RETURNING *;
INSERT INTO dx_customers VALUES (43, 'q', 1) ON CONFLICT ON CONSTRAINT dx_customers_pkey DO UPDATE SET tier = 7 RETURNING tier;
INSERT INTO dx_customers VALUES (43, 'q', 1) ON CONFLICT ON CONSTRAINT dx_customers_pkey DO UPDATE SET tier = 7 RETURNING tier;
INSERT INTO dx_scratch (id, k, note) VALUES (950, 1, 'a'), (951, 1, 'b'), (952, 1, 'c') ON CONFLICT (id) DO UPDATE SET k = dx_scratch.k + EXCLUDED.k, note = dx_scratch.note || EXCLUDED.note;
INSERT INTO dx_scratch (id, k, note) VALUES (950, 1, 'a'), (951, 1, 'b'), (953, 1, 'd') ON CONFLICT (id) DO UPDATE SET k = dx_scratch.k + EXCLUDED.k, note = dx_scratch.note || EXCLUDED.note;
SELECT id, k, note FROM dx_scratch WHERE id >= 950 ORDER BY id;
INSERT INTO dx_scratch VALUES (950, 10, 'z') ON CONFLICT (id) DO UPDATE SET k = EXCLUDED.k WHERE EXCLUDED.k > dx_scratch.k RETURNING k;
INSERT INTO dx_scratch VALUES (950, 1, 'z') ON CONFLICT (id) DO UPDATE SET k = EXCLUDED.k WHERE EXCLUDED.k > dx_scratch.k RETURNING k;
INSERT INTO dx_scratch AS s VALUES (951, 7, 'w') ON CONFLICT (id) DO UPDATE SET (k, note) = (s.k + EXCLUDED.k, upper(EXCLUDED.note)) RETURNING s.id, s.k, s.note;
INSERT INTO dx_types VALUES (3, 'three') ON CONFLICT (type_id) DO UPDATE SET name = EXCLUDED.name || '/' || dx_types.name RETURNING *;
INSERT INTO dx_types VALUES (3, 'type 3') ON CONFLICT (type_id) DO UPDATE SET name = EXCLUDED.name RETURNING name;
INSERT INTO dx_tag_totals VALUES ('a', 0, 0) ON CONFLICT (tag) DO UPDATE SET n = EXCLUDED.n + dx_tag_totals.n * 2 RETURNING tag, n;
-- Serial columns and sequences.
INSERT INTO dx_orders (customer_id, amount, status) VALUES (1, 9.5, 'new') RETURNING order_id, customer_id;
INSERT INTO dx_orders (customer_id, amount, status) VALUES (2, 1, 'new'), (3, 2, 'new'), (40, 3, 'new') RETURNING order_id, customer_id;
SELECT currval('dx_orders_order_id_seq');
INSERT INTO dx_orders (customer_id, order_id, amount, status) VALUES (9, DEFAULT, 4, 'new') RETURNING order_id;
SELECT customer_id, order_id, amount FROM dx_orders WHERE order_id > 410 ORDER BY order_id;
SELECT nextval('dx_seq'), nextval('dx_seq');
INSERT INTO dx_scratch (id, k, note) VALUES (nextval('dx_seq'), 1, 'seq') RETURNING id;
INSERT INTO dx_scratch (id, k, note) SELECT nextval('dx_seq'), device_id, 'seqsel' FROM dx_devices WHERE device_id < 4;
SELECT count(*), min(id), max(id), sum(k) FROM dx_scratch WHERE note LIKE 'seq%';
SELECT setval('dx_seq', 4000);
INSERT INTO dx_scratch (id, k, note) VALUES (nextval('dx_seq'), 2, 'seq2'), (nextval('dx_seq'), 3, 'seq2') RETURNING id, k;
SELECT currval('dx_seq');
SELECT id, k FROM dx_scratch WHERE id > 4000 ORDER BY id;
-- Transactions writing several shards, then reading them back.
BEGIN;
INSERT INTO dx_scratch VALUES (1001, 1, 't1'), (1002, 2, 't1'), (1003, 3, 't1'), (1004, 4, 't1');
UPDATE dx_scratch SET k = k + 10 WHERE id IN (1001, 1003);
SELECT id, k, note FROM dx_scratch WHERE id > 1000 AND id < 1100 ORDER BY id;
DELETE FROM dx_scratch WHERE id = 1002;
SELECT count(*), sum(k) FROM dx_scratch WHERE id > 1000 AND id < 1100;
INSERT INTO dx_tag_totals VALUES ('tx', 1, 1);
SELECT tag, n, total FROM dx_tag_totals WHERE tag IN ('tx', 'a') ORDER BY 1;
COMMIT;
SELECT id, k FROM dx_scratch WHERE id > 1000 AND id < 1100 ORDER BY id;
SELECT tag, n FROM dx_tag_totals WHERE tag = 'tx';
BEGIN;
INSERT INTO dx_scratch SELECT g, g, 'rolled' FROM generate_series(1100, 1120) g;
UPDATE dx_customers SET tier = tier + 100;
SELECT count(*) FROM dx_scratch WHERE note = 'rolled';
SELECT max(tier) FROM dx_customers;
ROLLBACK;
SELECT count(*) FROM dx_scratch WHERE note = 'rolled';
SELECT max(tier) FROM dx_customers WHERE customer_id < 1000;
BEGIN;
UPDATE dx_orders SET amount = amount + 1 WHERE customer_id IN (1, 2, 3, 4);
INSERT INTO dx_orders (customer_id, amount, status) VALUES (5, 50, 'tx'), (6, 60, 'tx');
SELECT customer_id, sum(amount) FROM dx_orders WHERE customer_id < 7 GROUP BY 1 ORDER BY 1;
SAVEPOINT s1;
DELETE FROM dx_orders WHERE status = 'tx';
SELECT count(*) FROM dx_orders WHERE status = 'tx';
ROLLBACK TO SAVEPOINT s1;
SELECT count(*) FROM dx_orders WHERE status = 'tx';
UPDATE dx_types SET name = name || '*' WHERE type_id = 2;
SELECT t.name, count(*) FROM dx_devices d JOIN dx_types t USING (type_id) WHERE t.type_id = 2 GROUP BY 1;
COMMIT;
SELECT customer_id, sum(amount) FROM dx_orders WHERE customer_id < 7 GROUP BY 1 ORDER BY 1;
SELECT name FROM dx_types WHERE type_id = 2;
BEGIN;
INSERT INTO dx_scratch VALUES (1200, 1, 'dup');
INSERT INTO dx_scratch VALUES (1200, 2, 'dup');
SELECT 1;
ROLLBACK;
SELECT count(*) FROM dx_scratch WHERE id = 1200;
BEGIN;
INSERT INTO dx_customers VALUES (2001, 'tx', 1), (2002, 'tx', 2);
INSERT INTO dx_orders (customer_id, amount, status) SELECT customer_id, tier, 'tx2' FROM dx_customers WHERE region = 'tx';
SELECT c.customer_id, o.amount FROM dx_customers c JOIN dx_orders o USING (customer_id) WHERE c.region = 'tx' ORDER BY 1;
DELETE FROM dx_customers WHERE region = 'tx' AND customer_id = 2002;
SELECT count(*) FROM dx_customers WHERE region = 'tx';
COMMIT;
SELECT c.customer_id, count(o.order_id) FROM dx_customers c LEFT JOIN dx_orders o USING (customer_id) WHERE c.customer_id > 2000 GROUP BY 1 ORDER BY 1;
UPDATE dx_types SET name = 'type 2' WHERE type_id = 2;
-- Row locks and data-modifying CTEs.
SELECT id, k FROM dx_scratch WHERE id = 4 FOR UPDATE;
SELECT id FROM dx_scratch WHERE k = -1 ORDER BY id FOR UPDATE;
WITH d AS (DELETE FROM dx_scratch WHERE id = 4 RETURNING id, k) SELECT * FROM d;
WITH u AS (UPDATE dx_scratch SET k = k + 1 WHERE id IN (10, 11) RETURNING id, k) SELECT count(*), sum(k) FROM u;
WITH ins AS (INSERT INTO dx_scratch VALUES (1300, 1, 'cte') RETURNING *) SELECT * FROM ins;
SELECT count(*) FROM dx_events e WHERE e.device_id IN (SELECT d.device_id FROM dx_devices d JOIN dx_types t USING (type_id) WHERE t.name = 'type 3');
SELECT d.device_id, x.n FROM dx_devices d JOIN LATERAL (SELECT count(*) AS n FROM dx_events e WHERE e.device_id = d.device_id AND e.qty > 10) x ON true WHERE d.device_id < 5 ORDER BY 1;
SELECT id, k, note FROM dx_scratch WHERE id IN (4, 10, 11, 1300) ORDER BY id;
-- CTEs in UPDATE and DELETE.
WITH x AS (SELECT device_id FROM dx_devices WHERE type_id = 2 AND device_id < 40) UPDATE dx_scratch SET k = 7 WHERE id IN (SELECT device_id FROM x) RETURNING id, k;
SELECT id, k FROM dx_scratch WHERE k = 7 ORDER BY id;
WITH x AS MATERIALIZED (SELECT qty, count(*) AS n FROM dx_events WHERE device_id < 20 GROUP BY qty) DELETE FROM dx_scratch WHERE k IN (SELECT n FROM x) RETURNING id;
WITH t AS (SELECT type_id FROM dx_types WHERE name LIKE '%5') UPDATE dx_devices SET active = NOT active WHERE type_id IN (SELECT type_id FROM t) AND device_id < 30;
SELECT device_id, active FROM dx_devices WHERE device_id < 30 AND type_id = 5 ORDER BY 1;
WITH s AS (SELECT id FROM dx_scratch WHERE note LIKE 'seq%') DELETE FROM dx_scratch d USING s WHERE d.id = s.id RETURNING d.id;
