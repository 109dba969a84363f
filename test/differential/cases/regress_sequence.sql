-- Cases from PostgreSQL 15's src/test/regress/sql/sequence.sql, with objects prefixed rs_:
-- CREATE / ALTER SEQUENCE options and their errors, sequence data types, serial columns,
-- nextval / currval / setval / lastval, renames, dependencies, CYCLE, information_schema and
-- pg_sequences, read-only transactions and privileges.
-- test
CREATE SEQUENCE rs_sequence_testx INCREMENT BY 0;
CREATE SEQUENCE rs_sequence_testx INCREMENT BY -1 MINVALUE 20;
CREATE SEQUENCE rs_sequence_testx INCREMENT BY 1 MAXVALUE -20;
CREATE SEQUENCE rs_sequence_testx INCREMENT BY -1 START 10;
CREATE SEQUENCE rs_sequence_testx INCREMENT BY 1 START -10;
CREATE SEQUENCE rs_sequence_testx CACHE 0;
CREATE SEQUENCE rs_sequence_testx OWNED BY nobody;
CREATE SEQUENCE rs_sequence_testx OWNED BY pg_class_oid_index.oid;
CREATE SEQUENCE rs_sequence_testx OWNED BY pg_class.relname;
CREATE TABLE rs_sequence_test_table (a int);
CREATE SEQUENCE rs_sequence_testx OWNED BY rs_sequence_test_table.b;
DROP TABLE rs_sequence_test_table;
CREATE SEQUENCE rs_sequence_test5 AS integer;
CREATE SEQUENCE rs_sequence_test6 AS smallint;
CREATE SEQUENCE rs_sequence_test7 AS bigint;
CREATE SEQUENCE rs_sequence_test8 AS integer MAXVALUE 100000;
CREATE SEQUENCE rs_sequence_test9 AS integer INCREMENT BY -1;
CREATE SEQUENCE rs_sequence_test10 AS integer MINVALUE -100000 START 1;
CREATE SEQUENCE rs_sequence_test11 AS smallint;
CREATE SEQUENCE rs_sequence_test12 AS smallint INCREMENT -1;
CREATE SEQUENCE rs_sequence_test13 AS smallint MINVALUE -32768;
CREATE SEQUENCE rs_sequence_test14 AS smallint MAXVALUE 32767 INCREMENT -1;
CREATE SEQUENCE rs_sequence_testx AS text;
CREATE SEQUENCE rs_sequence_testx AS nosuchtype;
CREATE SEQUENCE rs_sequence_testx AS smallint MAXVALUE 100000;
CREATE SEQUENCE rs_sequence_testx AS smallint MINVALUE -100000;
ALTER SEQUENCE rs_sequence_test5 AS smallint;
ALTER SEQUENCE rs_sequence_test8 AS smallint;
ALTER SEQUENCE rs_sequence_test8 AS smallint MAXVALUE 20000;
ALTER SEQUENCE rs_sequence_test9 AS smallint;
ALTER SEQUENCE rs_sequence_test10 AS smallint;
ALTER SEQUENCE rs_sequence_test10 AS smallint MINVALUE -20000;
ALTER SEQUENCE rs_sequence_test11 AS int;
ALTER SEQUENCE rs_sequence_test12 AS int;
ALTER SEQUENCE rs_sequence_test13 AS int;
ALTER SEQUENCE rs_sequence_test14 AS int;
SELECT sequencename, data_type::text, start_value, min_value, max_value, increment_by
  FROM pg_sequences WHERE sequencename ~ '^rs_sequence_test' ORDER BY 1;
-- serial columns
CREATE TABLE rs_serialTest1 (f1 text, f2 serial);
INSERT INTO rs_serialTest1 VALUES ('foo');
INSERT INTO rs_serialTest1 VALUES ('bar');
INSERT INTO rs_serialTest1 VALUES ('force', 100);
INSERT INTO rs_serialTest1 VALUES ('wrong', NULL);
SELECT * FROM rs_serialTest1;
SELECT pg_get_serial_sequence('rs_serialTest1', 'f2');
CREATE TABLE rs_serialTest2 (f1 text, f2 serial, f3 smallserial, f4 serial2,
  f5 bigserial, f6 serial8);
INSERT INTO rs_serialTest2 (f1)
  VALUES ('test_defaults');
INSERT INTO rs_serialTest2 (f1, f2, f3, f4, f5, f6)
  VALUES ('test_max_vals', 2147483647, 32767, 32767, 9223372036854775807,
          9223372036854775807),
         ('test_min_vals', -2147483648, -32768, -32768, -9223372036854775808,
          -9223372036854775808);
INSERT INTO rs_serialTest2 (f1, f3) VALUES ('bogus', -32769);
INSERT INTO rs_serialTest2 (f1, f4) VALUES ('bogus', -32769);
INSERT INTO rs_serialTest2 (f1, f3) VALUES ('bogus', 32768);
INSERT INTO rs_serialTest2 (f1, f4) VALUES ('bogus', 32768);
INSERT INTO rs_serialTest2 (f1, f5) VALUES ('bogus', -9223372036854775809);
INSERT INTO rs_serialTest2 (f1, f6) VALUES ('bogus', -9223372036854775809);
INSERT INTO rs_serialTest2 (f1, f5) VALUES ('bogus', 9223372036854775808);
INSERT INTO rs_serialTest2 (f1, f6) VALUES ('bogus', 9223372036854775808);
SELECT * FROM rs_serialTest2 ORDER BY f2 ASC;
SELECT nextval('rs_serialTest2_f2_seq');
SELECT nextval('rs_serialTest2_f3_seq');
SELECT nextval('rs_serialTest2_f4_seq');
SELECT nextval('rs_serialTest2_f5_seq');
SELECT nextval('rs_serialTest2_f6_seq');
-- basic sequence operations using both text and oid references
CREATE SEQUENCE rs_sequence_test;
CREATE SEQUENCE IF NOT EXISTS rs_sequence_test;
SELECT nextval('rs_sequence_test'::text);
SELECT nextval('rs_sequence_test'::regclass);
SELECT currval('rs_sequence_test'::text);
SELECT currval('rs_sequence_test'::regclass);
SELECT setval('rs_sequence_test'::text, 32);
SELECT nextval('rs_sequence_test'::regclass);
SELECT setval('rs_sequence_test'::text, 99, false);
SELECT nextval('rs_sequence_test'::regclass);
SELECT setval('rs_sequence_test'::regclass, 32);
SELECT nextval('rs_sequence_test'::text);
SELECT setval('rs_sequence_test'::regclass, 99, false);
SELECT nextval('rs_sequence_test'::text);
DISCARD SEQUENCES;
SELECT currval('rs_sequence_test'::regclass);
DROP SEQUENCE rs_sequence_test;
-- renaming sequences
CREATE SEQUENCE rs_foo_seq;
ALTER TABLE rs_foo_seq RENAME TO rs_foo_seq_new;
SELECT last_value, is_called FROM rs_foo_seq_new;
SELECT nextval('rs_foo_seq_new');
SELECT nextval('rs_foo_seq_new');
SELECT last_value, is_called FROM rs_foo_seq_new;
DROP SEQUENCE rs_foo_seq_new;
ALTER TABLE rs_serialtest1_f2_seq RENAME TO rs_serialtest1_f2_foo;
INSERT INTO rs_serialTest1 VALUES ('more');
SELECT * FROM rs_serialTest1;
-- dependencies of serial and ordinary sequences
CREATE TEMP SEQUENCE rs_myseq2;
CREATE TEMP SEQUENCE rs_myseq3;
CREATE TEMP TABLE rs_t1 (
  f1 serial,
  f2 int DEFAULT nextval('rs_myseq2'),
  f3 int DEFAULT nextval('rs_myseq3'::text)
);
DROP SEQUENCE rs_t1_f1_seq;
DROP SEQUENCE rs_myseq2;
DROP SEQUENCE rs_myseq3;
DROP TABLE rs_t1;
DROP SEQUENCE rs_t1_f1_seq;
DROP SEQUENCE rs_myseq2;
-- ALTER SEQUENCE
ALTER SEQUENCE IF EXISTS rs_sequence_test2 RESTART WITH 24
  INCREMENT BY 4 MAXVALUE 36 MINVALUE 5 CYCLE;
ALTER SEQUENCE rs_serialTest1 CYCLE;
CREATE SEQUENCE rs_sequence_test2 START WITH 32;
CREATE SEQUENCE rs_sequence_test4 INCREMENT BY -1;
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test4');
ALTER SEQUENCE rs_sequence_test2 RESTART;
SELECT nextval('rs_sequence_test2');
ALTER SEQUENCE rs_sequence_test2 RESTART WITH 0;
ALTER SEQUENCE rs_sequence_test4 RESTART WITH 40;
ALTER SEQUENCE rs_sequence_test2 RESTART WITH 24
  INCREMENT BY 4 MAXVALUE 36 MINVALUE 5 CYCLE;
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
ALTER SEQUENCE rs_sequence_test2 RESTART WITH 24
  NO CYCLE;
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
ALTER SEQUENCE rs_sequence_test2 RESTART WITH -24 START WITH -24
  INCREMENT BY -4 MINVALUE -36 MAXVALUE -5 CYCLE;
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
ALTER SEQUENCE rs_sequence_test2 RESTART WITH -24
  NO CYCLE;
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
SELECT nextval('rs_sequence_test2');
ALTER SEQUENCE IF EXISTS rs_sequence_test2 RESTART WITH 32 START WITH 32
  INCREMENT BY 4 MAXVALUE 36 MINVALUE 5 CYCLE;
SELECT setval('rs_sequence_test2', -100);
SELECT setval('rs_sequence_test2', 100);
SELECT setval('rs_sequence_test2', 5);
CREATE SEQUENCE rs_sequence_test3;
SELECT sequence_catalog = current_database(), sequence_schema, sequence_name, data_type,
  numeric_precision, numeric_precision_radix, numeric_scale, start_value, minimum_value,
  maximum_value, increment, cycle_option
  FROM information_schema.sequences
  WHERE sequence_name ~ ANY(ARRAY['rs_sequence_test', 'rs_serialtest'])
  ORDER BY sequence_name ASC;
SELECT schemaname, sequencename, start_value, min_value, max_value, increment_by, cycle, cache_size, last_value
FROM pg_sequences
WHERE sequencename ~ ANY(ARRAY['rs_sequence_test', 'rs_serialtest'])
  ORDER BY sequencename ASC;
SELECT * FROM pg_sequence_parameters('rs_sequence_test4'::regclass);
SELECT seqtypid::regtype, seqstart, seqincrement, seqmax, seqmin, seqcache, seqcycle
  FROM pg_sequence WHERE seqrelid = 'rs_sequence_test4'::regclass;
COMMENT ON SEQUENCE rs_asdf IS 'won''t work';
COMMENT ON SEQUENCE rs_sequence_test2 IS 'will work';
SELECT obj_description('rs_sequence_test2'::regclass, 'pg_class');
COMMENT ON SEQUENCE rs_sequence_test2 IS NULL;
-- lastval()
CREATE SEQUENCE rs_seq;
SELECT nextval('rs_seq');
SELECT lastval();
SELECT setval('rs_seq', 99);
SELECT lastval();
DISCARD SEQUENCES;
SELECT lastval();
CREATE SEQUENCE rs_seq2;
SELECT nextval('rs_seq2');
SELECT lastval();
DROP SEQUENCE rs_seq2;
SELECT lastval();
-- sequences in read-only transactions
CREATE TEMPORARY SEQUENCE rs_sequence_test_temp1;
START TRANSACTION READ ONLY;
SELECT nextval('rs_sequence_test_temp1');
SELECT nextval('rs_sequence_test2');
ROLLBACK;
START TRANSACTION READ ONLY;
SELECT setval('rs_sequence_test_temp1', 1);
SELECT setval('rs_sequence_test2', 1);
ROLLBACK;
-- privileges
CREATE USER rs_seq_user;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT SELECT ON rs_seq3 TO rs_seq_user;
SELECT nextval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT UPDATE ON rs_seq3 TO rs_seq_user;
SELECT nextval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT USAGE ON rs_seq3 TO rs_seq_user;
SELECT nextval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
SELECT nextval('rs_seq3');
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT SELECT ON rs_seq3 TO rs_seq_user;
SELECT currval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
SELECT nextval('rs_seq3');
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT UPDATE ON rs_seq3 TO rs_seq_user;
SELECT currval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
SELECT nextval('rs_seq3');
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT USAGE ON rs_seq3 TO rs_seq_user;
SELECT currval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
SELECT nextval('rs_seq3');
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT SELECT ON rs_seq3 TO rs_seq_user;
SELECT lastval();
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
SELECT nextval('rs_seq3');
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT UPDATE ON rs_seq3 TO rs_seq_user;
SELECT lastval();
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
SELECT nextval('rs_seq3');
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
GRANT USAGE ON rs_seq3 TO rs_seq_user;
SELECT lastval();
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
CREATE SEQUENCE rs_seq3;
REVOKE ALL ON rs_seq3 FROM rs_seq_user;
SAVEPOINT save;
SELECT setval('rs_seq3', 5);
ROLLBACK TO save;
GRANT UPDATE ON rs_seq3 TO rs_seq_user;
SELECT setval('rs_seq3', 5);
SELECT nextval('rs_seq3');
ROLLBACK;
BEGIN;
SET LOCAL SESSION AUTHORIZATION rs_seq_user;
ALTER SEQUENCE rs_sequence_test2 START WITH 1;
ROLLBACK;
DROP TABLE rs_serialTest1, rs_serialTest2;
SELECT sequence_name FROM information_schema.sequences WHERE sequence_name IN
  ('rs_sequence_test2', 'rs_serialtest2_f2_seq', 'rs_serialtest2_f3_seq',
   'rs_serialtest2_f4_seq', 'rs_serialtest2_f5_seq', 'rs_serialtest2_f6_seq')
  ORDER BY sequence_name ASC;
DROP USER rs_seq_user;
DROP SEQUENCE rs_seq;
CREATE SEQUENCE rs_test_seq1 CACHE 10;
SELECT nextval('rs_test_seq1');
SELECT nextval('rs_test_seq1');
SELECT nextval('rs_test_seq1');
DROP SEQUENCE rs_test_seq1;
CREATE UNLOGGED SEQUENCE rs_sequence_unlogged;
SELECT relpersistence FROM pg_class WHERE relname = 'rs_sequence_unlogged';
DROP SEQUENCE IF EXISTS rs_sequence_unlogged;
