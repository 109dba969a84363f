/**
 * COPY into Citus tables streams each input line to its shard (`tessera cluster --workers 2`
 * against PostgreSQL 15): the same psql script loads plain tables in PostgreSQL and
 * distributed and reference tables in Tessera, and prints the same rows, the same COPY tags
 * and the same errors with the same CONTEXT line (the line number of the input, also past
 * the first batch of a shard). Defaults and sequences of columns the COPY leaves out come
 * from the coordinator; a failing COPY leaves nothing; a reference table gets every line on
 * every placement; create_distributed_table moves existing rows into the shards.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import {
  queryNode, startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";

const exec = promisify(execFile);

const SCHEMA = `
create table ev (id bigserial, dev int not null, payload jsonb, note text default 'n',
  primary key (dev, id));
create table ref (k int primary key, v text);
create table wide (a int, b text, d date);
`;

const DISTRIBUTE = `
select create_distributed_table('ev', 'dev');
select create_reference_table('ref');
select create_distributed_table('wide', 'a', shard_count => 2);
`;

/** 5,000 lines of about 70 characters: shards of `wide` get several batches. */
function wideLines(bad: number | null): string {
  const lines: string[] = [];
  for (let i = 1; i <= 5000; i++) {
    const day = i === bad ? "2020-13-45" : `2020-01-${String(1 + (i % 28)).padStart(2, "0")}`;
    lines.push(`${i}\trow ${i} ${"x".repeat(50)}\t${day}`);
  }
  return `${lines.join("\n")}\n\\.\n`;
}

const SCRIPT = String.raw`
copy ev (dev, payload) from stdin;
1	{"a": 1}
2	{"b": [1,2]}
42	\N
\.
copy ev (dev, payload) from stdin;
5
\.
copy ev (dev, payload) from stdin;
5	{}	extra
\.
copy ev (id, dev, payload) from stdin (format csv);
200,7,"{""q"": 1}"
\.
select id, dev, payload, note from ev order by id;
copy ref from stdin with (format csv, header true);
k,v
1,"hello, world"
2,"multi
line"
3,
4,""
\.
select k, v, v is null as isnull from ref order by k;
copy wide from stdin;
7	x\ty\\z	2020-01-01
8	tab\	here	2020-01-02
\.
copy wide from stdin where a > 10;
9	w	2020-01-01
11	w	2020-01-01
\.
begin;
copy ref from stdin;
10	ten
\.
rollback;
select count(*) from ref;
copy wide from stdin;
${wideLines(4321)}
select count(*) from wide;
copy wide from stdin;
${wideLines(null)}
select count(*), count(distinct a), min(d), max(d) from wide;
`;

async function psqlScript(port: number, file: string): Promise<string> {
  const { stdout } = await exec("sh", ["-c", `psql -X -q -h 127.0.0.1 -p ${port} -U postgres ` +
    `-d postgres -f '${file}' 2>&1 | sed 's|^psql:[^:]*:[0-9]*: ||'`], { timeout: 120_000 });
  return stdout;
}

describe("COPY into distributed and reference tables", () => {
  let cluster: TesseraCluster;
  let postgres: ReferencePostgres;
  let client: pg.Client;
  let dir: string;
  const notices: string[] = [];
  const q = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await client.query(sql)).rows as Record<string, unknown>[];
  const onWorker = queryNode;

  before(async () => {
    [cluster, postgres] = await Promise.all([startCluster({ workers: 2 }),
      startReferencePostgres()]);
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    client.on("notice", (notice) => notices.push(notice.message ?? ""));
    dir = mkdtempSync(join(tmpdir(), "tessera-dist-copy-"));
  });
  after(async () => {
    await client.end();
    await Promise.all([cluster.stop(), postgres.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test("the same script prints the same rows, tags and errors as PostgreSQL", async () => {
    const file = join(dir, "script.sql");
    writeFileSync(file, SCRIPT);
    writeFileSync(join(dir, "schema.sql"), SCHEMA);
    writeFileSync(join(dir, "distribute.sql"), DISTRIBUTE);
    await psqlScript(postgres.port, join(dir, "schema.sql"));
    await psqlScript(cluster.port, join(dir, "schema.sql"));
    await psqlScript(cluster.port, join(dir, "distribute.sql"));
    const expected = await psqlScript(postgres.port, file);
    const actual = await psqlScript(cluster.port, file);
    assert.match(expected, /COPY wide, line 4321, column d: "2020-13-45"/);
    assert.equal(actual, expected);
  });

  test("a NULL distribution column fails the COPY with Citus's error", async () => {
    const file = join(dir, "null.sql");
    writeFileSync(file, "copy ev (dev, payload) from stdin;\n5\t{}\n\\N\t{}\n\\.\n");
    const out = await psqlScript(cluster.port, file);
    assert.match(out, /ERROR: {2}the partition column of table public\.ev cannot be NULL\n/);
    assert.match(out, /CONTEXT: {2}COPY ev, line 2: "\\N\t\{\}"/);
    assert.deepEqual(await q("SELECT count(*)::int AS n FROM ev WHERE dev = 5"), [{ n: 0 }]);
  });

  test("every placement of a reference table gets every line", async () => {
    const [shard] = await q("SELECT shardid::int AS id FROM pg_dist_shard" +
      " WHERE logicalrelid = 'ref'::regclass");
    for (const port of cluster.workerPorts) {
      const rows = await onWorker(port, `SELECT k FROM ref_${String(shard!["id"])} ORDER BY k`);
      assert.deepEqual(rows.map((r) => r["k"]), [1, 2, 3, 4], `placement on port ${port}`);
    }
  });

  test("create_distributed_table moves existing rows into the shards", async () => {
    await q("CREATE TABLE accounts (aid int PRIMARY KEY, bid int, filler text)");
    await q("INSERT INTO accounts SELECT g, g % 10, repeat('f', 40) || g" +
      " FROM generate_series(1, 30000) g");
    notices.length = 0;
    await q("SELECT create_distributed_table('accounts', 'aid')");
    assert.deepEqual(notices, ["Copying data from local table...",
      "copying the data has completed"]);
    assert.deepEqual(await q("SELECT count(*)::int AS n, sum(aid)::bigint AS s FROM accounts"),
      [{ n: 30000, s: "450015000" }]);
    const perShard = await q("SELECT result::int AS n FROM run_command_on_shards('accounts'," +
      " 'select count(*) from %s')");
    assert.equal(perShard.length, 32);
    assert.equal(perShard.reduce((sum, r) => sum + Number(r["n"]), 0), 30000);
    assert.ok(perShard.every((r) => Number(r["n"]) > 0), "every shard got rows");
    // Router queries reach the shard the hash names: each key is found where it was put.
    for (const aid of [1, 2, 777, 12345, 29999, 30000]) {
      assert.deepEqual(await q(`SELECT aid, bid FROM accounts WHERE aid = ${aid}`),
        [{ aid, bid: aid % 10 }]);
    }
  });
});
