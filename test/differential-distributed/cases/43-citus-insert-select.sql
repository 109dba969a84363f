-- Citus's own regression test for INSERT … SELECT (citusdata/citus
-- src/test/regress/sql/multi_insert_select.sql), the start of it, kept in its order: colocated
-- tables with 4 shards and a reference table, `INSERT … SELECT *` between colocated tables
-- (pushed down by Citus), reordered column lists, zero-shard SELECTs, RETURNING, aggregates,
-- subqueries in FROM and WHERE, upserts, FILTER, and sources without distributed tables
-- (functions, VALUES-like SELECTs), which Citus pulls to the coordinator. On PostgreSQL
-- create_distributed_table and create_reference_table are no-op stubs, so every answer must
-- equal PostgreSQL's. Changed: now() became fixed timestamps (both sides must agree), and the
-- DEBUG output is left out.
-- setup
CREATE SCHEMA multi_insert_select;
SET search_path = multi_insert_select, public;
SET citus.shard_count = 4;
CREATE TABLE raw_events_first (user_id int, time timestamp, value_1 int, value_2 int, value_3 float, value_4 bigint, UNIQUE(user_id, value_1));
SELECT create_distributed_table('raw_events_first', 'user_id');
CREATE TABLE raw_events_second (user_id int, time timestamp, value_1 int, value_2 int, value_3 float, value_4 bigint, UNIQUE(user_id, value_1));
SELECT create_distributed_table('raw_events_second', 'user_id');
CREATE TABLE agg_events (user_id int, value_1_agg int, value_2_agg int, value_3_agg float, value_4_agg bigint, agg_time timestamp, UNIQUE(user_id, value_1_agg));
SELECT create_distributed_table('agg_events', 'user_id');
CREATE TABLE reference_table (user_id int);
SELECT create_reference_table('reference_table');
RESET citus.shard_count;
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (1, '2026-01-01 10:00', 10, 100, 1000.1, 10000);
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (2, '2026-01-01 10:01', 20, 200, 2000.1, 20000);
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (3, '2026-01-01 10:02', 30, 300, 3000.1, 30000);
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (4, '2026-01-01 10:03', 40, 400, 4000.1, 40000);
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (5, '2026-01-01 10:04', 50, 500, 5000.1, 50000);
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (6, '2026-01-01 10:05', 60, 600, 6000.1, 60000);
INSERT INTO reference_table SELECT g FROM generate_series(1, 6) g;
-- test
INSERT INTO raw_events_second SELECT * FROM raw_events_first;
SELECT raw_events_first.user_id FROM raw_events_first, raw_events_second WHERE raw_events_first.user_id = raw_events_second.user_id ORDER BY user_id DESC;
SELECT * FROM raw_events_second ORDER BY user_id;
INSERT INTO raw_events_second (user_id, time) SELECT user_id, now() FROM raw_events_first WHERE user_id < 0;
INSERT INTO raw_events_second (user_id) SELECT user_id FROM raw_events_first WHERE time > now() + interval '1 day';
INSERT INTO raw_events_first (user_id, time) VALUES (7, '2026-01-01 10:06');
INSERT INTO raw_events_second (user_id, time) SELECT user_id, time FROM raw_events_first WHERE user_id = 7;
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (8, '2026-01-01 10:07', 80, 800, 8000, 80000);
INSERT INTO raw_events_second (value_2, value_1, value_3, value_4, user_id, time) SELECT value_2, value_1, value_3, value_4, user_id, time FROM raw_events_first WHERE user_id = 8;
INSERT INTO raw_events_second (value_2, value_1, value_3, value_4, user_id, time) SELECT value_2, value_1, value_3, value_4, user_id, time FROM raw_events_first WHERE false;
INSERT INTO raw_events_second (value_2, value_1, value_3, value_4, user_id, time) SELECT value_2, value_1, value_3, value_4, user_id, time FROM raw_events_first WHERE 0 != 0;
INSERT INTO raw_events_first (user_id, time, value_1, value_2, value_3, value_4) VALUES (9, '2026-01-01 10:08', 90, 900, 9000, 90000);
INSERT INTO raw_events_second (user_id, value_1, value_3) SELECT user_id, value_1, value_3 FROM raw_events_first WHERE value_3 = 9000 RETURNING *;
INSERT INTO raw_events_second (user_id, value_1, value_3) SELECT user_id, value_1, value_3 FROM raw_events_first WHERE user_id = 9 OR user_id = 16 RETURNING *;
SELECT user_id, value_1, value_2, value_3, value_4, time FROM raw_events_second ORDER BY user_id, value_1;
INSERT INTO agg_events SELECT user_id, sum(value_1), avg(value_2), sum(value_3), count(value_4) FROM raw_events_first GROUP BY user_id;
SELECT * FROM agg_events ORDER BY user_id, value_1_agg;
INSERT INTO agg_events (value_3_agg, value_4_agg, value_1_agg, user_id) SELECT sum(value_3), count(value_4), sum(value_1), user_id FROM raw_events_first GROUP BY value_2, user_id RETURNING *;
DELETE FROM agg_events;
INSERT INTO agg_events (value_1_agg, user_id) SELECT SUM(value_1), id FROM (SELECT raw_events_second.user_id AS id, raw_events_second.value_1 FROM raw_events_first, raw_events_second WHERE raw_events_first.user_id = raw_events_second.user_id) AS foo GROUP BY id ORDER BY id;
SELECT user_id, value_1_agg FROM agg_events ORDER BY user_id;
DELETE FROM agg_events;
INSERT INTO agg_events (value_4_agg, value_1_agg, user_id) SELECT v4, v1, id FROM (SELECT SUM(raw_events_second.value_4) AS v4, SUM(raw_events_first.value_1) AS v1, raw_events_second.user_id AS id FROM raw_events_first, raw_events_second WHERE raw_events_first.user_id = raw_events_second.user_id GROUP BY raw_events_second.user_id) AS foo ORDER BY id;
SELECT user_id, value_1_agg, value_4_agg FROM agg_events ORDER BY user_id;
DELETE FROM agg_events;
INSERT INTO agg_events (user_id) SELECT f2.id FROM (SELECT id FROM (SELECT reference_table.user_id AS id FROM raw_events_first, reference_table WHERE raw_events_first.user_id = reference_table.user_id) AS foo) as f INNER JOIN (SELECT v4, v1, id FROM (SELECT SUM(raw_events_second.value_4) AS v4, SUM(raw_events_first.value_1) AS v1, raw_events_second.user_id AS id FROM raw_events_first, raw_events_second WHERE raw_events_first.user_id = raw_events_second.user_id GROUP BY raw_events_second.user_id HAVING SUM(raw_events_second.value_4) > 10) AS foo2) as f2 ON (f.id = f2.id);
SELECT user_id FROM agg_events ORDER BY user_id;
DELETE FROM agg_events;
INSERT INTO raw_events_second (user_id) SELECT user_id FROM raw_events_first WHERE user_id IN (SELECT user_id FROM raw_events_second WHERE user_id = 2);
INSERT INTO raw_events_second (user_id) SELECT user_id FROM raw_events_first WHERE user_id IN (SELECT user_id FROM raw_events_second WHERE user_id != 2 AND value_1 = 2000) ON CONFLICT (user_id, value_1) DO NOTHING;
INSERT INTO raw_events_second (user_id) SELECT user_id FROM raw_events_first WHERE user_id IN (SELECT user_id FROM raw_events_second WHERE false);
INSERT INTO raw_events_second (user_id) SELECT user_id FROM raw_events_first WHERE user_id IN (SELECT user_id FROM raw_events_second WHERE value_1 = 1000 OR value_1 = 2000 OR value_1 = 3000);
SELECT user_id, count(*) FROM raw_events_second GROUP BY user_id ORDER BY user_id;
INSERT INTO agg_events AS ae (user_id, value_1_agg, agg_time) SELECT user_id, value_1, time FROM raw_events_first ON CONFLICT (user_id, value_1_agg) DO UPDATE SET agg_time = EXCLUDED.agg_time WHERE ae.agg_time < EXCLUDED.agg_time;
INSERT INTO agg_events AS ae (user_id, value_1_agg, agg_time) SELECT user_id, value_1, time + interval '1 hour' FROM raw_events_first ON CONFLICT (user_id, value_1_agg) DO UPDATE SET agg_time = EXCLUDED.agg_time WHERE ae.agg_time < EXCLUDED.agg_time RETURNING user_id, value_1_agg;
SELECT user_id, value_1_agg, agg_time FROM agg_events ORDER BY user_id, value_1_agg;
DELETE FROM agg_events;
INSERT INTO agg_events (user_id, value_1_agg) SELECT user_id, sum(value_1 + value_2) FROM raw_events_first GROUP BY user_id;
INSERT INTO agg_events (user_id, value_1_agg) SELECT user_id, sum(value_1 + value_2) FILTER (where value_3 = 15) FROM raw_events_first GROUP BY user_id;
SELECT user_id, value_1_agg FROM agg_events ORDER BY user_id, value_1_agg NULLS FIRST;
DELETE FROM agg_events;
INSERT INTO agg_events (user_id, value_1_agg) SELECT s, s * 10 FROM generate_series(1, 5) s;
INSERT INTO agg_events (user_id, value_1_agg) SELECT 42, 420;
INSERT INTO agg_events (user_id, value_1_agg) (SELECT s, 1 FROM generate_series(1, 3) s) UNION (SELECT s, 1 FROM generate_series(3, 6) s);
SELECT user_id, value_1_agg FROM agg_events ORDER BY user_id, value_1_agg;
INSERT INTO raw_events_second SELECT r.* FROM raw_events_first r JOIN reference_table USING (user_id) WHERE r.user_id > 100;
INSERT INTO raw_events_second SELECT f.* FROM raw_events_first f JOIN raw_events_second s ON f.user_id = s.user_id AND f.value_1 = s.value_1 WHERE f.user_id = 100;
SELECT count(*) FROM raw_events_second;
DELETE FROM raw_events_second;
INSERT INTO raw_events_second SELECT * FROM raw_events_first WHERE user_id IN (1, 2, 3);
INSERT INTO raw_events_second SELECT raw_events_first.* FROM raw_events_first WHERE user_id > 7;
SELECT user_id, value_1, time FROM raw_events_second ORDER BY user_id;
INSERT INTO raw_events_second (value_1) SELECT value_1 FROM raw_events_first;
INSERT INTO raw_events_second (user_id) SELECT value_1 FROM raw_events_first;
DROP SCHEMA multi_insert_select CASCADE;
