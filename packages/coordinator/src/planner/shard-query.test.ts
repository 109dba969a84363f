import { strict as assert } from "node:assert";
import { before, test } from "node:test";
import { shardId, type ShardId } from "@tessera/base";
import { initParser, parseStatements, type ast } from "@tessera/sql";
import {
  deparseStatement, rewriteForShard, shardQueryText, type ShardQueryOptions,
} from "./shard-query.js";

before(async () => {
  await initParser();
});

/** events and devices are colocated shards of one group; countries is a reference table. */
const shards: Record<string, number> = { events: 102008, devices: 102040, countries: 102072 };

const options: ShardQueryOptions = {
  resolveRelation: (rangeVar) => {
    const id = shards[rangeVar.relname ?? ""];
    if (id === undefined) return undefined;
    if (rangeVar.schemaname !== undefined && rangeVar.schemaname !== "public") return undefined;
    return { shardId: shardId(id), schemaName: "public" };
  },
};

function parseOne(sql: string): ast.Node {
  const statements = parseStatements(sql);
  assert.equal(statements.length, 1);
  return statements[0]!.stmt;
}

/** Drops parse positions so trees of differently spaced text compare equal. */
function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (typeof value !== "object" || value === null) return value;
  const skipped = new Set(["location", "stmt_location", "stmt_len", "rexpr_list_start",
    "rexpr_list_end", "list_start", "list_end"]);
  return Object.fromEntries(Object.entries(value)
    .filter(([key]) => !skipped.has(key))
    .map(([key, inner]) => [key, withoutLocations(inner)]));
}

/** parse -> rewrite -> deparse -> parse equals the parse of `expected`. */
function assertRewrite(sql: string, expected: string, custom: ShardQueryOptions = options): string {
  const text = shardQueryText(parseOne(sql), custom);
  assert.deepEqual(withoutLocations(parseOne(text)), withoutLocations(parseOne(expected)),
    `rewrote\n  ${sql}\nto\n  ${text}\nexpected\n  ${expected}`);
  return text;
}

test("a simple select gets the shard name and its table name as alias", () => {
  const text = assertRewrite("SELECT count(*) FROM events WHERE device_id = 1",
    "SELECT count(*) FROM public.events_102008 events WHERE device_id = 1");
  assert.equal(text, "SELECT count(*) FROM public.events_102008 AS events WHERE device_id = 1");
});

test("joins keep aliases; unaliased tables keep their names for column refs", () => {
  assertRewrite(
    "SELECT events.a, d.b FROM events JOIN devices d ON events.device_id = d.id " +
      "LEFT JOIN countries ON countries.code = d.country WHERE events.device_id = 5",
    "SELECT events.a, d.b FROM public.events_102008 events JOIN public.devices_102040 d " +
      "ON events.device_id = d.id LEFT JOIN public.countries_102072 countries " +
      "ON countries.code = d.country WHERE events.device_id = 5");
  assertRewrite("SELECT * FROM events, local_table l WHERE events.id = l.id",
    "SELECT * FROM public.events_102008 events, local_table l WHERE events.id = l.id");
});

test("schema-qualified references keep working", () => {
  assertRewrite("SELECT public.events.a FROM public.events WHERE public.events.id = 1",
    "SELECT events.a FROM public.events_102008 events WHERE events.id = 1");
  assertRewrite("SELECT * FROM other.events", "SELECT * FROM other.events");
});

test("subqueries in FROM, WHERE and the target list are rewritten", () => {
  assertRewrite(
    "SELECT s.c, (SELECT max(x) FROM devices WHERE devices.id = s.id) FROM " +
      "(SELECT id, count(*) AS c FROM events GROUP BY id) s WHERE s.id IN " +
      "(SELECT id FROM devices) AND EXISTS (SELECT 1 FROM countries)",
    "SELECT s.c, (SELECT max(x) FROM public.devices_102040 devices WHERE devices.id = s.id) " +
      "FROM (SELECT id, count(*) AS c FROM public.events_102008 events GROUP BY id) s " +
      "WHERE s.id IN (SELECT id FROM public.devices_102040 devices) AND EXISTS " +
      "(SELECT 1 FROM public.countries_102072 countries)");
});

test("CTE names shadow tables; a plain CTE body still sees the table", () => {
  assertRewrite(
    "WITH events AS (SELECT * FROM events WHERE id = 1), d AS (SELECT * FROM events) " +
      "SELECT * FROM events JOIN d USING (id) JOIN devices USING (id)",
    "WITH events AS (SELECT * FROM public.events_102008 events WHERE id = 1), " +
      "d AS (SELECT * FROM events) " +
      "SELECT * FROM events JOIN d USING (id) JOIN public.devices_102040 devices USING (id)");
  assertRewrite(
    "WITH RECURSIVE walk AS (SELECT id FROM devices UNION ALL " +
      "SELECT d.id FROM devices d JOIN walk ON d.parent = walk.id) SELECT * FROM walk",
    "WITH RECURSIVE walk AS (SELECT id FROM public.devices_102040 devices UNION ALL " +
      "SELECT d.id FROM public.devices_102040 d JOIN walk ON d.parent = walk.id) " +
      "SELECT * FROM walk");
});

test("set operations and lateral subqueries", () => {
  assertRewrite(
    "SELECT id FROM events UNION SELECT id FROM devices, LATERAL (SELECT devices.id) l",
    "SELECT id FROM public.events_102008 events UNION SELECT id FROM " +
      "public.devices_102040 devices, LATERAL (SELECT devices.id) l");
});

test("INSERT with multi-row VALUES, ON CONFLICT and RETURNING", () => {
  assertRewrite("INSERT INTO events (id, a) VALUES (1, 'x'), (2, 'y')",
    "INSERT INTO public.events_102008 AS events (id, a) VALUES (1, 'x'), (2, 'y')");
  assertRewrite(
    "INSERT INTO events AS e (id, n) VALUES ($1, $2) ON CONFLICT (id) " +
      "DO UPDATE SET n = e.n + excluded.n RETURNING e.id",
    "INSERT INTO public.events_102008 AS e (id, n) VALUES ($1, $2) ON CONFLICT (id) " +
      "DO UPDATE SET n = e.n + excluded.n RETURNING e.id");
  assertRewrite(
    "INSERT INTO events (id) SELECT id FROM devices WHERE devices.id IS NOT NULL",
    "INSERT INTO public.events_102008 AS events (id) SELECT id FROM " +
      "public.devices_102040 devices WHERE devices.id IS NOT NULL");
});

test("UPDATE and DELETE, with FROM and USING", () => {
  assertRewrite("UPDATE events SET a = a + 1 WHERE events.id = $1 RETURNING *",
    "UPDATE public.events_102008 events SET a = a + 1 WHERE events.id = $1 RETURNING *");
  assertRewrite(
    "UPDATE events e SET a = d.x FROM devices d WHERE e.id = d.id",
    "UPDATE public.events_102008 e SET a = d.x FROM public.devices_102040 d WHERE e.id = d.id");
  assertRewrite("DELETE FROM events USING countries c WHERE events.cc = c.code AND events.id = 3",
    "DELETE FROM public.events_102008 events USING public.countries_102072 c " +
      "WHERE events.cc = c.code AND events.id = 3");
});

test("CREATE INDEX gets the shard suffix on the index name too", () => {
  const text = assertRewrite("CREATE INDEX events_ts_idx ON events USING btree (ts)",
    "CREATE INDEX events_ts_idx_102008 ON public.events_102008 (ts)");
  assert.match(text, /^CREATE INDEX events_ts_idx_102008 ON public\.events_102008/);
  assertRewrite("CREATE UNIQUE INDEX IF NOT EXISTS u ON events (id, (lower(a))) WHERE a > ''",
    "CREATE UNIQUE INDEX IF NOT EXISTS u_102008 ON public.events_102008 (id, (lower(a))) " +
      "WHERE a > ''");
});

test("ALTER TABLE: columns, constraints, and foreign keys to another shard", () => {
  assertRewrite("ALTER TABLE events ADD COLUMN c int DEFAULT 3",
    "ALTER TABLE public.events_102008 ADD COLUMN c int DEFAULT 3");
  assertRewrite("ALTER TABLE events ADD COLUMN c int CONSTRAINT c_positive CHECK (c > 0)",
    "ALTER TABLE public.events_102008 ADD COLUMN c int CONSTRAINT c_positive_102008 " +
      "CHECK (c > 0)");
  assertRewrite(
    "ALTER TABLE events ADD CONSTRAINT events_country_fk FOREIGN KEY (cc) " +
      "REFERENCES countries (code)",
    "ALTER TABLE public.events_102008 ADD CONSTRAINT events_country_fk_102008 FOREIGN KEY (cc) " +
      "REFERENCES public.countries_102072 (code)");
  assertRewrite("ALTER TABLE events DROP CONSTRAINT events_pkey, DROP COLUMN x",
    "ALTER TABLE public.events_102008 DROP CONSTRAINT events_pkey_102008, DROP COLUMN x");
});

test("TRUNCATE, DROP and RENAME swap every name", () => {
  assertRewrite("TRUNCATE events, devices CASCADE",
    "TRUNCATE public.events_102008, public.devices_102040 CASCADE");
  const at = (id: ShardId): ShardQueryOptions => ({ ...options, ddlShardId: id });
  assertRewrite("DROP INDEX public.events_ts_idx", "DROP INDEX public.events_ts_idx_102008",
    at(shardId(102008)));
  assertRewrite("DROP TABLE IF EXISTS events", "DROP TABLE IF EXISTS events_102008",
    at(shardId(102008)));
  assertRewrite("ALTER INDEX events_ts_idx RENAME TO events_time_idx",
    "ALTER INDEX events_ts_idx_102008 RENAME TO events_time_idx_102008", at(shardId(102008)));
  assertRewrite("ALTER TABLE events RENAME TO clicks",
    "ALTER TABLE public.events_102008 RENAME TO clicks_102008");
  assertRewrite("ALTER TABLE events RENAME COLUMN a TO b",
    "ALTER TABLE public.events_102008 RENAME COLUMN a TO b");
});

test("CREATE TABLE names the shard and its named constraints", () => {
  assertRewrite(
    "CREATE TABLE events (id bigint CONSTRAINT events_pkey PRIMARY KEY, a text, " +
      "CONSTRAINT a_nonempty CHECK (a <> ''))",
    "CREATE TABLE public.events_102008 (id bigint CONSTRAINT events_pkey_102008 PRIMARY KEY, " +
      "a text, CONSTRAINT a_nonempty_102008 CHECK (a <> ''))");
});

test("long table names follow Citus's hashed shortening", () => {
  const long = "too_long_12345678901234567890123456789012345678901234567890";
  const text = shardQueryText(parseOne(`SELECT * FROM ${long}`), {
    resolveRelation: () => ({ shardId: shardId(225000) }),
  });
  assert.equal(text,
    `SELECT * FROM too_long_12345678901234567890123456789012345678_e0119164_225000 AS ${long}`);
});

test("the input tree is not changed", () => {
  const stmt = parseOne("UPDATE events SET a = 1 FROM devices WHERE events.id = devices.id");
  const before = structuredClone(stmt);
  const rewritten = rewriteForShard(stmt, options);
  assert.deepEqual(stmt, before);
  assert.notDeepEqual(rewritten, before);
  assert.equal(deparseStatement(stmt),
    "UPDATE events SET a = 1 FROM devices WHERE events.id = devices.id");
});

/** Shapes clients send; each must survive parse -> deparse -> parse unchanged. */
const deparseCorpus = [
  "SELECT a, sum(b) OVER (PARTITION BY c ORDER BY d ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) " +
    "FROM t",
  "SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC NULLS LAST LIMIT 10 OFFSET 5",
  "SELECT a, count(*) FROM t GROUP BY ROLLUP (a, b) HAVING count(*) > 1",
  "SELECT E'a\\nb', 'it''s', $$dollar$$, U&'\\0041'",
  "SELECT '{\"a\":1}'::jsonb -> 'a', x ->> 'b', x #> '{a,b}', x @> '{}', x ? 'k' FROM t",
  "SELECT 1::numeric(10,2), '2020-01-01'::timestamptz AT TIME ZONE 'UTC', interval '1 day'",
  "SELECT CASE WHEN a THEN 1 ELSE 2 END, coalesce(a, b), nullif(a, b), greatest(1, 2)",
  "SELECT a FROM t WHERE a LIKE 'x%' AND b ILIKE 'y' AND c SIMILAR TO 'z' AND d ~ 'r'",
  "SELECT a FROM t WHERE (a, b) IN (SELECT 1, 2) AND a = ANY (ARRAY[1, 2]) AND b IS NOT TRUE",
  "SELECT count(DISTINCT a) FILTER (WHERE b > 0), string_agg(c, ',' ORDER BY c) FROM t",
  "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY a) FROM t",
  "INSERT INTO t DEFAULT VALUES",
  "INSERT INTO t (a) VALUES (DEFAULT) ON CONFLICT DO NOTHING",
  "UPDATE t SET (a, b) = (1, 2), c = DEFAULT WHERE a = 1",
  "SELECT * FROM t FOR UPDATE SKIP LOCKED",
  "SELECT * FROM generate_series(1, 3) AS g(x), unnest(ARRAY[1]) WITH ORDINALITY u(v, n)",
  "SELECT * FROM t1 NATURAL FULL JOIN t2 CROSS JOIN t3",
  "SELECT x FROM t WHERE x BETWEEN SYMMETRIC 1 AND 2 AND y IS DISTINCT FROM 3",
  "SELECT 1 AS \"Weird Name\", \"select\" FROM \"Table\"",
  "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a " +
    "WHEN NOT MATCHED THEN INSERT (id, a) VALUES (s.id, s.a)",
  "CREATE TABLE t (id bigserial PRIMARY KEY, a text NOT NULL DEFAULT 'x', " +
    "b int REFERENCES r (id) ON DELETE CASCADE, UNIQUE (a, b))",
  "ALTER TABLE t ALTER COLUMN a SET DATA TYPE bigint USING a::bigint, ALTER COLUMN b SET NOT NULL",
  "SELECT -2147483648, 9223372036854775807, 1e10, -0.5, 'NaN'::float8, $1::int, $2",
  "SELECT x.* FROM (VALUES (1, 'a'), (2, 'b')) x(n, s)",
  "SELECT a COLLATE \"C\", CAST(a AS varchar(10)), a::timestamp(3) with time zone FROM t",
  "SELECT extract(epoch FROM now()), substring('abc' FROM 2 FOR 1), position('b' IN 'abc')",
  "SELECT a FROM t WHERE a OPERATOR(pg_catalog.=) 1",
];

test("the deparser round-trips a corpus of client shapes", () => {
  for (const sql of deparseCorpus) {
    const stmt = parseOne(sql);
    const text = deparseStatement(stmt);
    assert.deepEqual(withoutLocations(parseOne(text)), withoutLocations(stmt), `${sql}\n${text}`);
  }
});

test("names that need quotes are quoted in the shard query", () => {
  const everywhere: ShardQueryOptions = {
    resolveRelation: (rangeVar) => ({
      shardId: shardId(102008), schemaName: rangeVar.schemaname ?? "public",
    }),
  };
  const text = (sql: string): string => shardQueryText(parseOne(sql), everywhere);
  assert.equal(text("SELECT * FROM \"user\""), "SELECT * FROM public.user_102008 AS \"user\"");
  assert.equal(text("SELECT * FROM \"My Schema\".\"Ev\""),
    "SELECT * FROM \"My Schema\".\"Ev_102008\" AS \"Ev\"");
  assert.equal(text("SELECT \"T x\".a FROM \"T x\""),
    "SELECT \"T x\".a FROM public.\"T x_102008\" AS \"T x\"");
});

test("INSERT targets can be named as Citus names them in EXPLAIN", () => {
  const multiRow = { ...options, insertAlias: "citus_table_alias" };
  assertRewrite(
    "INSERT INTO events (id, n) VALUES (1, 2), (3, 4) ON CONFLICT (id) " +
      "DO UPDATE SET n = events.n + excluded.n RETURNING events.id, public.events.n",
    "INSERT INTO public.events_102008 AS citus_table_alias (id, n) VALUES (1, 2), (3, 4) " +
      "ON CONFLICT (id) DO UPDATE SET n = citus_table_alias.n + excluded.n " +
      "RETURNING citus_table_alias.id, citus_table_alias.n", multiRow);
  assertRewrite("INSERT INTO events (id) VALUES (1) RETURNING events.id, id",
    "INSERT INTO public.events_102008 (id) VALUES (1) RETURNING events_102008.id, id",
    { ...options, insertAlias: null });
  assertRewrite("INSERT INTO events AS e (id) VALUES (1) RETURNING e.id",
    "INSERT INTO public.events_102008 AS e (id) VALUES (1) RETURNING e.id", multiRow);
});
