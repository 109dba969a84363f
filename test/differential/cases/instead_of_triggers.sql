-- INSTEAD OF triggers on views (prefix io_): NEW / OLD, RETURN NEW / NULL, row counts,
-- RETURNING through the returned row, ON CONFLICT, definition errors, catalogs.

-- setup
CREATE TABLE io_a (id int PRIMARY KEY, v text);
CREATE TABLE io_b (id int, w int);
CREATE TABLE io_log (n serial, what text);
CREATE VIEW io_j AS SELECT a.id, a.v, b.w FROM io_a a JOIN io_b b ON a.id = b.id;
CREATE VIEW io_g AS SELECT id, count(*) AS c, sum(w) AS s FROM io_b GROUP BY id;
CREATE FUNCTION io_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO io_log (what) VALUES (TG_OP || ' ' || TG_WHEN || ' ' || TG_LEVEL || ' '
    || TG_TABLE_NAME || ' ' || coalesce(NEW::text, '-') || ' ' || coalesce(OLD::text, '-'));
  IF TG_OP = 'INSERT' THEN
    INSERT INTO io_a VALUES (NEW.id, NEW.v);
    INSERT INTO io_b VALUES (NEW.id, NEW.w);
    NEW.v := upper(NEW.v);
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE io_a SET v = NEW.v WHERE id = OLD.id;
    UPDATE io_b SET w = NEW.w WHERE id = OLD.id;
    RETURN NEW;
  ELSE
    DELETE FROM io_b WHERE id = OLD.id;
    DELETE FROM io_a WHERE id = OLD.id;
    RETURN OLD;
  END IF;
END $$;
CREATE TRIGGER io_t INSTEAD OF INSERT OR UPDATE OR DELETE ON io_j
  FOR EACH ROW EXECUTE FUNCTION io_write();
CREATE FUNCTION io_skip() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO io_log (what) VALUES ('skip ' || TG_OP);
  RETURN NULL;
END $$;
CREATE FUNCTION io_stmt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO io_log (what) VALUES ('stmt ' || TG_OP || ' ' || TG_WHEN || ' ' || TG_LEVEL);
  RETURN NULL;
END $$;

-- test
INSERT INTO io_j VALUES (1, 'one', 10), (2, 'two', 20);
INSERT INTO io_j VALUES (3, 'three', 30) RETURNING *;
INSERT INTO io_j (id, w) SELECT 4, 40 RETURNING id, v, w, w * 2 AS dbl;
SELECT * FROM io_j ORDER BY id;
UPDATE io_j SET w = w + 1 WHERE id <= 2;
UPDATE io_j SET v = 'uno' WHERE id = 1 RETURNING *;
UPDATE io_j SET v = 'none' WHERE id = 99;
UPDATE io_j SET w = io_b.w * 100 FROM io_b WHERE io_b.id = io_j.id AND io_j.id = 3
  RETURNING io_j.*, io_b.w AS old_w;
DELETE FROM io_j WHERE id = 4 RETURNING *;
DELETE FROM io_j WHERE id = 4;
SELECT * FROM io_j ORDER BY id;
SELECT what FROM io_log ORDER BY n;
-- RETURN NULL skips the row: the count says 0
CREATE TRIGGER io_z INSTEAD OF DELETE ON io_j FOR EACH ROW EXECUTE FUNCTION io_skip();
DELETE FROM io_j WHERE id = 1 RETURNING *;
SELECT count(*) FROM io_j;
DROP TRIGGER io_z ON io_j;
-- triggers fire in name order, each getting the NEW the one before returned
CREATE FUNCTION io_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.v := NEW.v || '+' || TG_NAME; RETURN NEW; END $$;
CREATE TRIGGER io_s1 INSTEAD OF INSERT ON io_j FOR EACH ROW EXECUTE FUNCTION io_tag();
INSERT INTO io_j VALUES (5, 'five', 50) RETURNING *;
SELECT * FROM io_a WHERE id = 5;
DROP TRIGGER io_s1 ON io_j;
-- statement triggers on the view fire around a write its INSTEAD OF triggers take
CREATE TRIGGER io_bs BEFORE UPDATE ON io_j FOR EACH STATEMENT EXECUTE FUNCTION io_stmt();
CREATE TRIGGER io_as AFTER UPDATE ON io_j FOR EACH STATEMENT EXECUTE FUNCTION io_stmt();
DELETE FROM io_log;
UPDATE io_j SET w = 0 WHERE id = 99;
UPDATE io_j SET w = 7 WHERE id = 5;
SELECT what FROM io_log ORDER BY n;
-- an aggregate view made writable
CREATE FUNCTION io_gfn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN DELETE FROM io_b WHERE id = OLD.id; RETURN OLD; END IF;
  UPDATE io_b SET w = NEW.s / OLD.c WHERE id = OLD.id;
  RETURN NEW;
END $$;
CREATE TRIGGER io_gt INSTEAD OF UPDATE OR DELETE ON io_g FOR EACH ROW EXECUTE FUNCTION io_gfn();
UPDATE io_g SET s = 600 WHERE id = 2 RETURNING id, c, s;
SELECT * FROM io_g ORDER BY id;
DELETE FROM io_g WHERE id = 2;
INSERT INTO io_g VALUES (9, 1, 1);
SELECT * FROM io_b ORDER BY id;
-- ON CONFLICT: no arbiter on a view; DO NOTHING without one goes to the trigger
INSERT INTO io_j VALUES (1, 'x', 1) ON CONFLICT (id) DO NOTHING;
INSERT INTO io_j VALUES (1, 'x', 1) ON CONFLICT DO UPDATE SET v = 'y';
INSERT INTO io_j VALUES (6, 'six', 60) ON CONFLICT DO NOTHING;
SELECT * FROM io_j WHERE id = 6;
-- returning a row of the wrong shape
CREATE VIEW io_k AS SELECT id, v FROM io_a;
CREATE FUNCTION io_bad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RETURN NEW; END $$;
CREATE TRIGGER io_kt INSTEAD OF INSERT ON io_k FOR EACH ROW EXECUTE FUNCTION io_bad();
INSERT INTO io_k VALUES (70, 'k') RETURNING *;
SELECT count(*) FROM io_a WHERE id = 70;
UPDATE io_k SET v = 'kk' WHERE id = 1;
SELECT v FROM io_a WHERE id = 1;
-- definition errors
CREATE TRIGGER io_e1 INSTEAD OF INSERT ON io_a FOR EACH ROW EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e2 INSTEAD OF INSERT ON io_j FOR EACH STATEMENT EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e3 INSTEAD OF INSERT ON io_j FOR EACH ROW WHEN (NEW.id > 0)
  EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e4 INSTEAD OF UPDATE OF v ON io_j FOR EACH ROW EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e5 BEFORE INSERT ON io_j FOR EACH ROW EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e6 AFTER DELETE ON io_j FOR EACH ROW EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e7 INSTEAD OF DELETE ON io_j REFERENCING OLD TABLE AS o
  FOR EACH ROW EXECUTE FUNCTION io_write();
CREATE TRIGGER io_e8 AFTER TRUNCATE ON io_j FOR EACH STATEMENT EXECUTE FUNCTION io_write();
-- catalogs
SELECT table_name, is_updatable, is_insertable_into, is_trigger_updatable,
  is_trigger_deletable, is_trigger_insertable_into
  FROM information_schema.views WHERE table_name LIKE 'io\_%' ORDER BY table_name;
SELECT tgname, tgtype, tgenabled, tgnargs FROM pg_trigger
  WHERE tgrelid IN ('io_j'::regclass, 'io_g'::regclass, 'io_k'::regclass) ORDER BY tgname;
SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname IN ('io_t', 'io_gt', 'io_bs')
  ORDER BY tgname;
SELECT relname, relhastriggers FROM pg_class WHERE relname IN ('io_j', 'io_g', 'io_a')
  ORDER BY relname;
-- without the trigger the view is not writable again
DROP TRIGGER io_gt ON io_g;
UPDATE io_g SET s = 1;
BEGIN;
DROP TRIGGER io_t ON io_j;
INSERT INTO io_j VALUES (8, 'eight', 80);
ROLLBACK;
INSERT INTO io_j VALUES (8, 'eight', 80);
SELECT * FROM io_j ORDER BY id;
-- a view over the view: rewritten onto it, then its triggers take the write
CREATE VIEW io_jj AS SELECT id AS jid, v AS jv, w AS jw FROM io_j WHERE w > 0;
INSERT INTO io_jj VALUES (9, 'nine', 90) RETURNING *;
UPDATE io_jj SET jv = 'NINE' WHERE jid = 9 RETURNING jid, jv, jw + 1 AS next;
DELETE FROM io_jj WHERE jid = 9 RETURNING jid;
SELECT * FROM io_jj ORDER BY jid;
-- WITH, prepared statements, subqueries in SET and WHERE
WITH n AS (SELECT 10 AS id) INSERT INTO io_j SELECT id, 'ten', 100 FROM n RETURNING id, v;
PREPARE io_p (int, text) AS UPDATE io_j SET v = $2 WHERE id = $1 RETURNING v;
EXECUTE io_p (10, 'TEN');
EXECUTE io_p (11, 'none');
UPDATE io_j SET w = (SELECT max(w) FROM io_b) WHERE id IN (SELECT id FROM io_a WHERE v = 'TEN');
DELETE FROM io_j USING io_b WHERE io_b.id = io_j.id AND io_b.w > 90 RETURNING io_j.id, io_b.w;
SELECT * FROM io_j ORDER BY id;
-- TG_ variables of an INSTEAD OF trigger
CREATE VIEW io_m AS SELECT 1 AS x;
CREATE FUNCTION io_show() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE NOTICE '% % % % % %', TG_NAME, TG_WHEN, TG_LEVEL, TG_OP, TG_TABLE_NAME, TG_NARGS;
  RETURN NEW;
END $$;
CREATE TRIGGER io_mt INSTEAD OF INSERT ON io_m FOR EACH ROW EXECUTE FUNCTION io_show('a', 'b');
INSERT INTO io_m VALUES (2), (3) RETURNING x * 10;
SELECT pg_get_triggerdef(oid, true) FROM pg_trigger WHERE tgname = 'io_mt';
