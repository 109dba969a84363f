-- INSERT … SELECT between colocated distributed tables, pushed down to the shards as Citus's
-- first strategy runs it (the target's distribution column fed by a source's distribution
-- column: `dx_scratch.id` from `dx_devices.device_id` / `dx_events.device_id`), next to
-- shapes that still go through the coordinator (a computed distribution value, LIMIT,
-- a distribution column fed by another column). Each write is followed by a read.
-- test
DELETE FROM dx_scratch;
INSERT INTO dx_scratch SELECT device_id, type_id, name FROM dx_devices WHERE active;
SELECT count(*), sum(k), min(note), max(note) FROM dx_scratch;
INSERT INTO dx_scratch SELECT device_id, type_id, 'again' FROM dx_devices WHERE device_id = 3;
SELECT count(*) FROM dx_scratch WHERE note = 'again';
DELETE FROM dx_scratch;
INSERT INTO dx_scratch (id, k, note) SELECT e.device_id, count(*), max(t.name) FROM dx_events e JOIN dx_devices d USING (device_id) JOIN dx_types t ON t.type_id = d.type_id GROUP BY e.device_id;
SELECT id, k, note FROM dx_scratch ORDER BY id LIMIT 15;
SELECT count(*), sum(k) FROM dx_scratch;
DELETE FROM dx_scratch;
INSERT INTO dx_scratch (k, id) SELECT qty, device_id FROM dx_events WHERE event_id % 97 = 0 AND device_id > 100 ON CONFLICT DO NOTHING;
SELECT count(*), sum(k) FROM dx_scratch;
INSERT INTO dx_scratch SELECT device_id + 1000, count(*), NULL FROM dx_events GROUP BY device_id;
SELECT count(*), sum(k) FROM dx_scratch WHERE id > 1000;
INSERT INTO dx_scratch SELECT device_id + 5000, type_id, name FROM dx_devices ORDER BY device_id LIMIT 5;
SELECT id, k, note FROM dx_scratch WHERE id > 5000 ORDER BY id;
INSERT INTO dx_scratch SELECT type_id + 7000, device_id, name FROM dx_devices WHERE device_id < 6;
SELECT id, k FROM dx_scratch WHERE id > 7000 ORDER BY id;
INSERT INTO dx_scratch (id, k) SELECT s.id + 9000, s.k FROM dx_scratch s WHERE s.id < 50;
SELECT count(*), sum(k) FROM dx_scratch WHERE id > 9000;
INSERT INTO dx_scratch (id, k) SELECT s.id, s.k FROM dx_scratch s WHERE s.id > 9000;
SELECT count(*) FROM dx_scratch;
DELETE FROM dx_scratch;
INSERT INTO dx_scratch (id, k, note) SELECT device_id, count(*), 'a' FROM dx_events GROUP BY device_id ON CONFLICT (id) DO UPDATE SET k = dx_scratch.k + excluded.k, note = excluded.note || dx_scratch.note;
INSERT INTO dx_scratch (id, k, note) SELECT device_id, count(*), 'b' FROM dx_events WHERE device_id % 3 = 0 GROUP BY device_id ON CONFLICT (id) DO UPDATE SET k = dx_scratch.k + excluded.k, note = excluded.note || dx_scratch.note;
SELECT note, count(*), sum(k) FROM dx_scratch GROUP BY note ORDER BY note;
INSERT INTO dx_scratch AS s SELECT device_id, 1, 'c' FROM dx_devices WHERE device_id < 20 ON CONFLICT (id) DO UPDATE SET note = s.note || 'c' WHERE s.k > 5;
SELECT id, k, note FROM dx_scratch WHERE id < 20 ORDER BY id;
INSERT INTO dx_scratch SELECT device_id, 1, 'd' FROM dx_devices ON CONFLICT DO NOTHING;
SELECT note, count(*) FROM dx_scratch GROUP BY note ORDER BY note;
DELETE FROM dx_scratch;
