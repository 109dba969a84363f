/**
 * pg_catalog as psql reads it: stored defaults and CHECKs printed back as Postgres 15's
 * pg_get_expr and pg_get_constraintdef print them, regclass text I/O through the catalog,
 * and the analyzer fixes psql's queries needed (polymorphic operator results, array_cat).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine, run } from "../../test-support/harness.js";

test("defaults print as pg_get_expr(adbin, adrelid, true) does", async () => {
  const e = await newEngine();
  await run(e, "create table t (id serial, s text default 'new', q smallint default 1, " +
    "at timestamptz default now(), d date default current_date, b boolean default true, " +
    "v varchar(10) default 'x', n numeric default 1.5)");
  const rows = (await run(e, "select a.attname, pg_get_expr(d.adbin, d.adrelid, true) " +
    "from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum " +
    "where d.adrelid = 't'::regclass order by d.adnum")).rows;
  assert.deepEqual(rows, [["id", "nextval('t_id_seq'::regclass)"], ["s", "'new'::text"],
    ["q", "1"], ["at", "now()"], ["d", "CURRENT_DATE"], ["b", "true"],
    ["v", "'x'::character varying"], ["n", "1.5"]]);
});

test("constraints print as pg_get_constraintdef(oid, true) does", async () => {
  const e = await newEngine();
  await run(e, "create table p (id int primary key, code text unique)");
  await run(e, "create table c (id bigint primary key, p int references p(id) on delete " +
    "cascade, amount numeric check (amount >= 0), s text check (s in ('a', 'b')))");
  const rows = (await run(e, "select conname, pg_get_constraintdef(oid, true) " +
    "from pg_constraint order by conname")).rows;
  assert.deepEqual(rows, [["c_amount_check", "CHECK (amount >= 0::numeric)"],
    ["c_p_fkey", "FOREIGN KEY (p) REFERENCES p(id) ON DELETE CASCADE"],
    ["c_pkey", "PRIMARY KEY (id)"],
    ["c_s_check", "CHECK (s = ANY (ARRAY['a'::text, 'b'::text]))"],
    ["p_code_key", "UNIQUE (code)"], ["p_pkey", "PRIMARY KEY (id)"]]);
});

test("regclass reads and prints names through the catalog", async () => {
  const e = await newEngine();
  await run(e, "create table events (id int)");
  await run(e, "create index events_id on events (id)");
  const rows = (await run(e, "select 'events'::regclass::text, 'pg_class'::regclass::oid, " +
    "pg_get_indexdef('events_id'::regclass), pg_table_is_visible('events'::regclass)")).rows;
  assert.deepEqual(rows, [["events", "1259",
    "CREATE INDEX events_id ON public.events USING btree (id)", "t"]]);
  await assert.rejects(run(e, "select 'nope'::regclass"),
    (err: Error & { code?: string }) => err.code === "42P01");
});

test("polymorphic operators resolve their result type; text[] || text[] is array_cat", async () => {
  const e = await newEngine();
  const rows = (await run(e, "select pg_typeof('{a}'::text[] || '{b}'::text[]), " +
    "'{a}'::text[] || '{b}'::text[], array_to_string(array['x'] || array['y'], ',')")).rows;
  assert.deepEqual(rows, [["text[]", "{a,b}", "x,y"]]);
});
