-- The schema, the same on both sides. The test distributes the tables on Tessera
-- (distribute.sql) after this file and before 01-data.sql, which adds the foreign key from
-- dx_events to dx_devices (Citus refuses to distribute a table a local table references).
-- setup
CREATE TABLE dx_types (type_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE dx_devices (device_id int PRIMARY KEY, type_id int REFERENCES dx_types (type_id),
  name text NOT NULL, active boolean NOT NULL);
CREATE TABLE dx_events (device_id int NOT NULL,
  event_id int NOT NULL, value numeric(10,2), qty int, tag text, at timestamp, payload jsonb,
  PRIMARY KEY (device_id, event_id));
CREATE TABLE dx_users (email text PRIMARY KEY, bday date NOT NULL, score int);
CREATE TABLE dx_local (k int PRIMARY KEY, label text);
CREATE TABLE dx_scratch (id int PRIMARY KEY, k int, note text);
CREATE TABLE dx_local_notes (k int, note text, weight int);
