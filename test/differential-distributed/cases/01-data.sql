-- setup
ALTER TABLE dx_events ADD CONSTRAINT dx_events_device_fk FOREIGN KEY (device_id)
  REFERENCES dx_devices (device_id);
INSERT INTO dx_types SELECT i, 'type ' || i FROM generate_series(1, 5) i;
INSERT INTO dx_devices SELECT i, 1 + i % 5, 'device ' || i, i % 3 <> 0
  FROM generate_series(1, 200) i;
INSERT INTO dx_events SELECT 1 + (i * 37) % 200, i, ((i * 7919) % 10000) / 100.0, i % 17,
  (ARRAY['a', 'b', 'c', 'd'])[1 + i % 4], timestamp '2024-01-01' + i * interval '7 minutes',
  jsonb_build_object('kind', CASE WHEN i % 5 = 0 THEN 'alarm' ELSE 'reading' END, 'n', i % 11)
  FROM generate_series(1, 5000) i;
INSERT INTO dx_users SELECT 'user' || i || '@test.com', date '1950-01-01' + (i * 97) % 20000,
  CASE WHEN i % 10 = 0 THEN NULL ELSE (i * 13) % 100 END FROM generate_series(1, 300) i;
INSERT INTO dx_local SELECT i, 'label ' || i FROM generate_series(1, 5) i;
-- test
SELECT count(*) FROM dx_events;
SELECT count(*) FROM dx_devices;
SELECT count(*) FROM dx_users;
SELECT count(*) FROM dx_types;
