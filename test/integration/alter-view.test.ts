/**
 * ALTER VIEW against PostgreSQL 15 through psql: a view's column defaults reach COPY … FROM
 * into a view with an INSTEAD OF INSERT trigger (NEW gets the view's default), and psql's
 * `\d+` shows the defaults and the view's options, on the reference, a Tessera worker and a
 * coordinator alike. pg_dump writes them as for PostgreSQL 15 (`ALTER TABLE ONLY … SET
 * DEFAULT`, `CREATE VIEW … WITH (…)`), and the dump restores into Tessera. On a cluster, a
 * view over a distributed table takes the view's defaults on INSERT; a security_barrier one
 * fails with 0A000 (the coordinator would merge its WHERE with the query's). Defaults and
 * options survive a crash and restart, before and after a checkpoint.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import {
  clusterBesidePostgres, psqlScript, psqlScriptsOnThree, startCluster, startThreeServers,
  type ClusterBesidePostgres, type ThreeServers,
} from "../harness/index.js";

const run = promisify(execFile);

/** The trigger function, which `pg_dump -t` leaves out of the dump. */
const trigger = String.raw`
create function avi_v_ins() returns trigger language plpgsql as $$
begin
  insert into avi_items values (new.id, new.label, new.n);
  return new;
end $$;
`;

const setup = String.raw`
create table avi_items (id int primary key, label text default 'table', n int default 1);
create view avi_v as select id, label, n from avi_items;
${trigger}
create trigger avi_v_ins instead of insert on avi_v
  for each row execute function avi_v_ins();
alter view avi_v alter column label set default 'view';
alter view avi_v set (security_barrier, check_option = local);
create view avi_plain with (security_invoker = true) as select id from avi_items;
`;

const script = String.raw`
copy avi_v (id) from stdin;
1
2
\.
copy avi_v (id, n) from stdin;
3	30
\.
copy avi_v (id, label) from stdin;
4	given
\.
select * from avi_items order by id;
\d+ avi_v
\d+ avi_plain
`;

describe("ALTER VIEW defaults and options through psql", () => {
  let servers: ThreeServers;

  before(async () => {
    servers = await startThreeServers("alter-view");
  });

  after(async () => {
    await servers?.stop();
  });

  test("COPY into the view and \\d+ as on PostgreSQL", async () => {
    const [expected, ...targets] = await psqlScriptsOnThree(servers, setup, script, "script");
    // The view's default fills label; n has none on the view, and NEW.n stays null.
    assert.match(expected!, /\n +1 \| view +\| +\n/);
    for (const got of targets) assert.equal(got, expected);
  });

  test("pg_dump writes the defaults and options as for PostgreSQL 15", async () => {
    const [ours, theirs] = await Promise.all(
      [servers.worker.port, servers.reference.port].map((port) => schemaDump(port)));
    assert.match(theirs!, /ALTER TABLE ONLY public\.avi_v ALTER COLUMN label SET DEFAULT/);
    assert.match(theirs!, /CREATE VIEW public\.avi_plain WITH \(security_invoker='true'\)/);
    assert.equal(ours, theirs);
    const restored = await startCluster({ role: "worker" });
    try {
      await psqlScript(restored.port, servers.dir, "restore.sql",
        `\\set ON_ERROR_STOP 1\n${trigger}\n${ours!}`);
      assert.equal(await schemaDump(restored.port), ours);
    } finally {
      await restored.stop();
    }
  });
});

/** pg_dump --schema-only of the avi_ objects, without the server's version line. */
async function schemaDump(port: number): Promise<string> {
  const { stdout } = await run("pg_dump", ["-h", "127.0.0.1", "-p", String(port), "-U",
    "postgres", "-s", "-t", "avi_*", "postgres"], { maxBuffer: 16 << 20, timeout: 60_000 });
  return stdout.split("\n").filter((line) => !line.startsWith("-- Dumped from database version")
    && !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict")).join("\n");
}

describe("ALTER VIEW on a view over a distributed table", () => {
  let servers: ClusterBesidePostgres;

  before(async () => {
    servers = await clusterBesidePostgres();
    await servers.side.both("CREATE TABLE avd (id int PRIMARY KEY, a int, b text DEFAULT 't')");
    await servers.tessera.query("SELECT create_distributed_table('avd', 'id')");
    await servers.side.both("CREATE VIEW avd_v AS SELECT id, a, b FROM avd");
  });

  after(async () => {
    await servers?.stop();
  });

  const rows = async (client: pg.Client, sql: string): Promise<unknown[]> =>
    (await client.query(sql)).rows;

  test("INSERT through the view uses the view's defaults", async () => {
    await servers.side.both("ALTER VIEW avd_v ALTER COLUMN b SET DEFAULT 'view'");
    await servers.side.both("ALTER VIEW avd_v ALTER COLUMN a SET DEFAULT 42");
    const sql = "INSERT INTO avd_v (id) VALUES (1), (2) RETURNING *";
    const expected = await rows(servers.postgres, sql);
    assert.deepEqual(await rows(servers.tessera, sql), expected);
    const read = "SELECT * FROM avd ORDER BY id";
    assert.deepEqual(await rows(servers.tessera, read), await rows(servers.postgres, read));
  });

  test("a security_barrier view over it is refused with 0A000", async () => {
    await servers.tessera.query("ALTER VIEW avd_v SET (security_barrier)");
    await assert.rejects(servers.tessera.query("SELECT * FROM avd_v WHERE a > 1"),
      (error: pg.DatabaseError) => error.code === "0A000");
    await servers.tessera.query("ALTER VIEW avd_v RESET (security_barrier)");
    assert.equal((await rows(servers.tessera, "SELECT * FROM avd_v")).length, 2);
  });
});

describe("ALTER VIEW across a restart", () => {
  test("defaults and options come back from the WAL and the checkpoint", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tessera-alter-view-"));
    const session = async (sqls: readonly string[]): Promise<unknown[]> => {
      const cluster = await startCluster({ role: "worker", dataDir });
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        const out: unknown[] = [];
        for (const sql of sqls) out.push((await client.query(sql)).rows);
        return out;
      } finally {
        await client.end();
        await cluster.stop({ keepData: true, signal: "SIGKILL" });
      }
    };
    try {
      await session(["CREATE TABLE r (id int, a int, b text)",
        "CREATE VIEW r_v AS SELECT id, a, b FROM r WHERE a > 0",
        "ALTER VIEW r_v ALTER COLUMN b SET DEFAULT 'before'", "CHECKPOINT",
        "ALTER VIEW r_v ALTER COLUMN a SET DEFAULT 5",
        "ALTER VIEW r_v SET (check_option = local, security_invoker)"]);
      const [inserted, options] = await session([
        "INSERT INTO r_v (id) VALUES (1) RETURNING *",
        "SELECT reloptions FROM pg_class WHERE relname = 'r_v'"]);
      assert.deepEqual(inserted, [{ id: 1, a: 5, b: "before" }]);
      assert.deepEqual(options, [{ reloptions: ["check_option=local", "security_invoker=true"] }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
