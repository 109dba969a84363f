-- Local (coordinator-only) tables joined with distributed and reference tables, as Citus plans
-- them under citus.local_table_join_policy: the local side read on the coordinator with its
-- filters and shipped to the tasks, or (a distributed table pinned by its primary key, or
-- 'prefer-distributed') the distributed side read first and the join run on the coordinator.
-- setup
INSERT INTO dx_local_notes SELECT i % 7, 'note ' || i, i % 4 FROM generate_series(1, 30) i;
INSERT INTO dx_local_notes VALUES (NULL, 'no key', 1), (150, 'far', 2);
-- test
SELECT l.label, count(*) FROM dx_events e JOIN dx_local l ON l.k = e.qty GROUP BY l.label ORDER BY 1;
SELECT count(*) FROM dx_events e JOIN dx_local l ON l.k = e.qty WHERE l.label <> 'label 2';
SELECT count(*), sum(e.value) FROM dx_events e JOIN dx_local l ON l.k = e.device_id;
SELECT e.device_id, e.event_id, l.label FROM dx_events e JOIN dx_local l ON l.k = e.device_id WHERE e.device_id = 3 ORDER BY 2 LIMIT 3;
SELECT e.event_id, l.label FROM dx_local l, dx_events e WHERE l.k = e.qty AND e.device_id = 7 AND l.k > 2 ORDER BY 1;
SELECT d.name, l.label FROM dx_devices d JOIN dx_local l ON l.k = d.device_id WHERE d.device_id = 2;
SELECT d.name, l.label FROM dx_devices d JOIN dx_local l ON l.k = d.type_id WHERE d.device_id IN (4, 5, 6) ORDER BY 1;
SELECT l.k, count(e.event_id) FROM dx_local l LEFT JOIN dx_events e ON l.k = e.device_id GROUP BY 1 ORDER BY 1;
SELECT count(*) FROM dx_local l LEFT JOIN dx_events e ON l.k = e.device_id AND e.qty > 10;
SELECT n.note, d.name FROM dx_local_notes n LEFT JOIN dx_devices d ON d.device_id = n.k ORDER BY 1, 2;
SELECT d.device_id, n.note FROM dx_devices d LEFT JOIN dx_local_notes n ON n.k = d.device_id WHERE d.device_id < 9 ORDER BY 1, 2;
SELECT n.k, d.device_id FROM dx_devices d RIGHT JOIN dx_local_notes n ON n.k = d.device_id WHERE n.weight = 2 ORDER BY 1, 2;
SELECT count(*) FROM dx_devices d FULL JOIN dx_local_notes n ON n.k = d.device_id;
SELECT n.weight, count(*), sum(e.qty), avg(e.value)::numeric(10,4), max(e.event_id) FROM dx_events e JOIN dx_local_notes n ON n.k = e.device_id GROUP BY n.weight ORDER BY 1;
SELECT e.tag, count(DISTINCT n.note) FROM dx_events e JOIN dx_local_notes n ON n.k = e.qty GROUP BY 1 ORDER BY 1;
SELECT e.device_id, count(*) FROM dx_events e JOIN dx_local_notes n ON n.weight = e.qty WHERE n.note LIKE 'note 1%' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5;
SELECT n.note FROM dx_local_notes n JOIN dx_devices d ON d.device_id = n.k WHERE d.active AND n.weight < 3 ORDER BY 1;
SELECT * FROM dx_local l JOIN dx_devices d ON d.device_id = l.k ORDER BY l.k;
SELECT l.*, t.name FROM dx_local l JOIN dx_types t ON t.type_id = l.k ORDER BY 1;
SELECT count(*) FROM dx_events e JOIN dx_local l ON l.k = e.qty JOIN dx_types t ON t.type_id = l.k WHERE t.name <> 'type 4';
SELECT d.name, t.name, l.label FROM dx_devices d JOIN dx_types t ON t.type_id = d.type_id JOIN dx_local l ON l.k = d.type_id WHERE d.device_id < 6 ORDER BY 1;
SELECT count(*) FROM dx_events e JOIN dx_devices d ON d.device_id = e.device_id JOIN dx_local l ON l.k = d.type_id WHERE l.label = 'label 3';
SELECT count(*) FROM dx_events WHERE qty IN (SELECT k FROM dx_local);
SELECT count(*) FROM dx_events WHERE qty NOT IN (SELECT k FROM dx_local WHERE k > 2);
SELECT device_id, (SELECT max(k) FROM dx_local) AS m FROM dx_devices WHERE device_id < 4 ORDER BY 1;
SELECT count(*) FROM (SELECT * FROM dx_local) x JOIN dx_events e ON e.device_id = x.k;
SELECT x.k, count(*) FROM (SELECT k FROM dx_local_notes WHERE weight > 1 GROUP BY k) x JOIN dx_events e ON e.device_id = x.k GROUP BY 1 ORDER BY 1;
SELECT l.label, x.n FROM dx_local l JOIN (SELECT qty, count(*) AS n FROM dx_events GROUP BY qty) x ON x.qty = l.k ORDER BY 1;
SELECT count(*) FROM dx_events e JOIN dx_local l ON l.k = e.device_id WHERE e.device_id = 4 AND e.event_id = 148;
SELECT e.event_id, l.label FROM dx_events e JOIN dx_local l ON true WHERE e.device_id = 38 AND e.event_id = 1 ORDER BY 2;
SELECT count(*) FROM dx_users u JOIN dx_local_notes n ON n.weight = u.score;
SELECT u.email, n.note FROM dx_users u JOIN dx_local_notes n ON n.k = u.score WHERE u.email = 'user1@test.com' ORDER BY 2;
SET citus.local_table_join_policy TO 'prefer-distributed';
SELECT l.label, count(*) FROM dx_events e JOIN dx_local l ON l.k = e.qty GROUP BY l.label ORDER BY 1;
SELECT n.note, d.name FROM dx_local_notes n LEFT JOIN dx_devices d ON d.device_id = n.k ORDER BY 1, 2;
SET citus.local_table_join_policy TO 'prefer-local';
SELECT d.name, l.label FROM dx_devices d JOIN dx_local l ON l.k = d.device_id WHERE d.device_id = 2;
SELECT count(*), sum(e.value) FROM dx_events e JOIN dx_local l ON l.k = e.device_id;
SET citus.local_table_join_policy TO 'auto';
SELECT count(*), sum(e.value) FROM dx_events e JOIN dx_local l ON l.k = e.device_id;
RESET citus.local_table_join_policy;
INSERT INTO dx_scratch SELECT k, k * 2, label FROM dx_local;
INSERT INTO dx_scratch SELECT 200 + row_number() OVER (ORDER BY note), k, note FROM dx_local_notes WHERE weight = 3;
SELECT * FROM dx_scratch ORDER BY id;
SELECT s.id, l.label FROM dx_scratch s JOIN dx_local l ON l.k = s.k ORDER BY 1;
SELECT count(*) FROM dx_scratch;
UPDATE dx_scratch s SET note = l.label || '!' FROM dx_local l WHERE l.k = s.k;
SELECT * FROM dx_scratch ORDER BY id;
UPDATE dx_scratch s SET k = s.k + n.weight FROM dx_local_notes n WHERE n.note = s.note RETURNING s.id, s.k;
UPDATE dx_scratch s SET note = 'one' FROM dx_local l WHERE l.k = s.id AND s.id = 1;
DELETE FROM dx_scratch s USING dx_local l WHERE l.k = s.id AND l.label = 'label 2';
UPDATE dx_scratch SET note = 'sub' WHERE id IN (SELECT k FROM dx_local WHERE k > 3);
DELETE FROM dx_scratch WHERE k IN (SELECT k + 1 FROM dx_local_notes WHERE weight = 0) RETURNING id;
SELECT * FROM dx_scratch ORDER BY id;
SELECT s.note, count(*) FROM dx_scratch s LEFT JOIN dx_local l ON l.k = s.id GROUP BY 1 ORDER BY 1;
