-- Data-modifying WITH queries over distributed tables: the archive pattern (a DELETE or an
-- UPDATE … RETURNING feeding an INSERT … SELECT), and a statement that fails after its WITH
-- query wrote, which must leave nothing of that write (Citus runs it as one coordinated
-- transaction). On dx_scratch, emptied first.
-- test
DELETE FROM dx_scratch;
INSERT INTO dx_scratch (id, k, note) SELECT g, g % 7, 'n' || g FROM generate_series(1, 60) g;
SELECT count(*), sum(k) FROM dx_scratch;
WITH moved AS (DELETE FROM dx_scratch WHERE id <= 10 RETURNING id, k, note) INSERT INTO dx_scratch (id, k, note) SELECT id + 1000, k, 'moved ' || note FROM moved;
SELECT count(*), sum(k), min(id), max(id) FROM dx_scratch;
SELECT id, k, note FROM dx_scratch WHERE id > 1000 ORDER BY id;
WITH up AS (UPDATE dx_scratch SET k = k + 100 WHERE id BETWEEN 20 AND 25 RETURNING id, k) INSERT INTO dx_scratch (id, k) SELECT id + 2000, k FROM up;
SELECT id, k FROM dx_scratch WHERE id > 2000 OR id BETWEEN 20 AND 25 ORDER BY id;
WITH d AS (DELETE FROM dx_scratch WHERE id > 2000 RETURNING k) INSERT INTO dx_scratch (id, k, note) SELECT 3000, sum(k), 'total' FROM d;
SELECT id, k, note FROM dx_scratch WHERE id >= 2000 ORDER BY id;
WITH d AS (DELETE FROM dx_scratch WHERE id BETWEEN 30 AND 39 RETURNING *) SELECT count(*), sum(k) FROM d;
SELECT count(*) FROM dx_scratch WHERE id BETWEEN 30 AND 39;
WITH d AS (DELETE FROM dx_scratch WHERE id BETWEEN 40 AND 49 RETURNING *) SELECT 1 / (count(*) - count(*)) FROM d;
SELECT count(*) FROM dx_scratch WHERE id BETWEEN 40 AND 49;
WITH d AS (DELETE FROM dx_scratch WHERE id BETWEEN 40 AND 49 RETURNING *) INSERT INTO dx_scratch (id, k) SELECT id / 0, k FROM d;
SELECT count(*) FROM dx_scratch WHERE id BETWEEN 40 AND 49;
WITH src AS (SELECT id FROM dx_scratch WHERE id BETWEEN 50 AND 52) INSERT INTO dx_scratch (id, k, note) SELECT id + 4000, 1, 'copied' FROM src;
SELECT id, note FROM dx_scratch WHERE id > 4000 ORDER BY id;
DELETE FROM dx_scratch;
