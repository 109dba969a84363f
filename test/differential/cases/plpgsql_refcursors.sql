-- PL/pgSQL cursors that outlive the call (refcursor results), as applications and drivers
-- use them: OPEN in a function, FETCH / MOVE / CLOSE by the caller in the same transaction,
-- SETOF refcursor, a refcursor passed to another function, INOUT refcursor procedures,
-- pg_cursors, and the end of the cursors with their transaction or subtransaction.

-- setup
CREATE TABLE rc_t (id int PRIMARY KEY, v text);
INSERT INTO rc_t SELECT g, 'v' || g FROM generate_series(1, 20) g;
CREATE FUNCTION rc_unnamed() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c refcursor;
BEGIN
  OPEN c FOR SELECT id, v FROM rc_t WHERE id <= 5 ORDER BY id;
  RETURN c;
END $$;
CREATE FUNCTION rc_named(name refcursor, lo int) RETURNS refcursor LANGUAGE plpgsql AS $$
BEGIN
  OPEN name SCROLL FOR EXECUTE 'SELECT id FROM rc_t WHERE id > $1 ORDER BY id' USING lo;
  RETURN name;
END $$;
CREATE FUNCTION rc_assigned() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c refcursor;
BEGIN
  c := 'mycursor';
  OPEN c FOR SELECT id, v FROM rc_t ORDER BY id;
  RETURN c;
END $$;
CREATE FUNCTION rc_multi() RETURNS SETOF refcursor LANGUAGE plpgsql AS $$
DECLARE a refcursor := 'rc_a'; b refcursor := 'rc_b';
BEGIN
  OPEN a FOR SELECT id FROM rc_t WHERE id < 3 ORDER BY id;
  RETURN NEXT a;
  OPEN b FOR SELECT v FROM rc_t WHERE id > 18 ORDER BY id;
  RETURN NEXT b;
END $$;
CREATE FUNCTION rc_reader(c refcursor) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; acc text := '';
BEGIN
  LOOP
    FETCH c INTO r;
    EXIT WHEN NOT FOUND;
    acc := acc || r.id || ',';
  END LOOP;
  MOVE BACKWARD 2 FROM c;
  FETCH c INTO r;
  acc := acc || 'back:' || r.id;
  CLOSE c;
  RETURN acc;
END $$;
CREATE FUNCTION rc_bound(lim int) RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c SCROLL CURSOR (n int) FOR SELECT id FROM rc_t WHERE id <= n ORDER BY id;
BEGIN
  OPEN c(lim);
  RETURN c;
END $$;
CREATE PROCEDURE rc_proc(INOUT c refcursor) LANGUAGE plpgsql AS $$
BEGIN
  OPEN c FOR SELECT id, v FROM rc_t WHERE id BETWEEN 3 AND 5 ORDER BY id;
END $$;
CREATE FUNCTION rc_one() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c refcursor;
BEGIN
  OPEN c FOR SELECT 1 AS one;
  RETURN c;
END $$;
CREATE FUNCTION rc_loops() RETURNS SETOF int LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
  FOR r IN SELECT 1 LOOP END LOOP;
  FOR r IN EXECUTE 'SELECT 1' LOOP END LOOP;
  RETURN QUERY SELECT 1;
END $$;
CREATE FUNCTION rc_fails() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c refcursor := 'rc_failing';
BEGIN
  OPEN c FOR SELECT 1;
  RAISE EXCEPTION 'boom';
END $$;
CREATE FUNCTION rc_noscroll() RETURNS refcursor LANGUAGE plpgsql AS $$
DECLARE c refcursor := 'rc_ns';
BEGIN
  OPEN c NO SCROLL FOR SELECT id FROM rc_t ORDER BY id LIMIT 3;
  RETURN c;
END $$;

-- test
-- An unnamed cursor: "<unnamed portal 1>" stays open after the call, closes at COMMIT.
BEGIN;
SELECT rc_unnamed();
SELECT name, statement, is_holdable, is_binary, is_scrollable FROM pg_cursors;
FETCH 2 FROM "<unnamed portal 1>";
FETCH ALL FROM "<unnamed portal 1>";
COMMIT;
FETCH ALL FROM "<unnamed portal 1>";
-- A name given by the caller, OPEN SCROLL FOR EXECUTE … USING.
BEGIN;
SELECT rc_named('rc_given', 15);
FETCH 2 FROM rc_given;
MOVE BACKWARD 1 IN rc_given;
FETCH PRIOR FROM rc_given;
FETCH ALL FROM rc_given;
FETCH ABSOLUTE 3 FROM rc_given;
CLOSE rc_given;
FETCH 1 FROM rc_given;
ROLLBACK;
-- A name assigned before OPEN; opening it twice in one transaction.
BEGIN;
SELECT rc_assigned();
FETCH 10 FROM mycursor;
MOVE FORWARD 5 IN mycursor;
FETCH NEXT FROM mycursor;
SELECT rc_assigned();
ROLLBACK;
-- SETOF refcursor: several cursors.
BEGIN;
SELECT * FROM rc_multi();
FETCH ALL IN rc_a;
FETCH ALL IN rc_b;
SELECT name, statement, is_scrollable FROM pg_cursors ORDER BY name;
COMMIT;
-- A refcursor passed to a function that FETCHes from it; a bound cursor with an argument.
BEGIN;
SELECT rc_reader(rc_bound(4));
SELECT count(*) FROM pg_cursors;
SELECT rc_bound(3);
FETCH BACKWARD ALL FROM c;
FETCH LAST FROM c;
FETCH FIRST FROM c;
FETCH RELATIVE 1 FROM c;
MOVE FORWARD ALL IN c;
FETCH PRIOR FROM c;
ROLLBACK;
-- A procedure with an INOUT refcursor: CALL p(NULL) returns the cursor's name.
BEGIN;
CALL rc_proc(NULL);
FETCH ALL FROM "<unnamed portal 2>";
CALL rc_proc('rc_from_call');
FETCH 2 FROM rc_from_call;
CLOSE rc_from_call;
COMMIT;
-- Outside a transaction block the cursor closes with the statement.
SELECT rc_one();
FETCH ALL FROM "<unnamed portal 3>";
-- FOR loops over queries take a portal name too; RETURN QUERY does not.
BEGIN;
SELECT * FROM rc_loops();
SELECT rc_one();
SELECT name FROM pg_cursors;
COMMIT;
-- ROLLBACK TO a savepoint closes the cursors opened after it.
BEGIN;
SAVEPOINT rc_s1;
SELECT rc_one();
ROLLBACK TO rc_s1;
SELECT count(*) FROM pg_cursors;
SELECT rc_one();
SAVEPOINT rc_s2;
FETCH 1 FROM "<unnamed portal 8>";
ROLLBACK TO rc_s2;
FETCH ALL FROM "<unnamed portal 8>";
COMMIT;
-- A function failing after OPEN; an EXCEPTION block closes what it opened.
BEGIN;
SELECT rc_fails();
ROLLBACK;
BEGIN;
DO $$
DECLARE c refcursor := 'rc_handled';
BEGIN
  BEGIN
    OPEN c FOR SELECT 1;
    RAISE EXCEPTION 'x';
  EXCEPTION WHEN others THEN NULL;
  END;
  OPEN c FOR SELECT 2 AS two;
END $$;
FETCH ALL FROM rc_handled;
CLOSE ALL;
SELECT count(*) FROM pg_cursors;
COMMIT;
-- NO SCROLL refuses to move back; a cursor over INSERT is refused.
BEGIN;
SELECT rc_noscroll();
FETCH 2 FROM rc_ns;
FETCH PRIOR FROM rc_ns;
ROLLBACK;
DO $$ DECLARE c refcursor; BEGIN OPEN c FOR INSERT INTO rc_t VALUES (100, 'x'); END $$;
-- FETCH in PL/pgSQL from a SQL cursor; errors of FETCH and CLOSE.
BEGIN;
DECLARE rc_sql CURSOR FOR SELECT g FROM generate_series(1, 5) g;
DO $$
DECLARE c refcursor := 'rc_sql'; r record;
BEGIN
  FETCH c INTO r;
  RAISE NOTICE 'got %', r.g;
END $$;
FETCH rc_sql;
COMMIT;
DO $$ DECLARE c refcursor; BEGIN CLOSE c; END $$;
DO $$ DECLARE c refcursor := 'rc_none'; BEGIN CLOSE c; END $$;
DO $$ DECLARE c refcursor := 'rc_none'; r record; BEGIN FETCH c INTO r; END $$;
DO $$
DECLARE c refcursor := 'rc_dup'; d refcursor := 'rc_dup';
BEGIN
  OPEN c FOR SELECT 1;
  OPEN d FOR SELECT 2;
END $$;
-- A bound cursor holds its own name; FOUND and ROW_COUNT after FETCH and MOVE.
DO $$
DECLARE b CURSOR FOR SELECT id FROM rc_t WHERE id < 4 ORDER BY id; r record; n int;
BEGIN
  RAISE NOTICE 'before open: %', b;
  OPEN b;
  MOVE FORWARD 2 IN b;
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE NOTICE 'moved % found %', n, found;
  FETCH b INTO r;
  RAISE NOTICE 'row % found %', r.id, found;
  FETCH b INTO r;
  RAISE NOTICE 'row % found %', r.id, found;
  CLOSE b;
END $$;
SELECT pg_typeof(rc_one()), 'x'::refcursor, '{a,b}'::refcursor[];
