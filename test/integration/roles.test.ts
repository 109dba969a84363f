/**
 * Roles and privileges from the user's side, beside real PostgreSQL 15: CREATE / ALTER /
 * DROP ROLE and role membership as the role catalogs and psql's `\du` show them, logins of
 * created roles (trust and SCRAM), roles surviving a restart and a kill -9, and the errors
 * PostgreSQL gives for each refused statement.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { failureOf, psql, startCluster, startReferencePostgres, type ReferencePostgres,
  type TesseraCluster } from "../harness/index.js";

type Rows = Record<string, unknown>[];

async function connect(port: number, user = "postgres", password?: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user, database: "postgres",
    ...(password !== undefined && { password }) });
  await client.connect();
  return client;
}

/** The error a login fails with, as "code: message", or "ok". */
async function loginResult(port: number, user: string, password?: string): Promise<string> {
  try {
    const client = await connect(port, user, password);
    await client.end();
    return "ok";
  } catch (error) {
    return `${(error as { code?: string }).code}: ${(error as Error).message}`;
  }
}

/** Runs statements on both servers as `user`, collecting notices; returns them. */
async function onBoth(ports: readonly [number, number], sql: readonly string[], user = "postgres"):
  Promise<[string[], string[]]> {
  const out: [string[], string[]] = [[], []];
  for (const [i, port] of ports.entries()) {
    const client = await connect(port, user);
    client.on("notice", (n) => out[i]!.push(`${n.severity}: ${n.message}`));
    try {
      for (const statement of sql) await client.query(statement);
    } finally {
      await client.end();
    }
  }
  return out;
}

async function runAll(port: number, sql: readonly string[]): Promise<void> {
  const client = await connect(port);
  try {
    for (const statement of sql) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function rows(port: number, sql: string, user = "postgres"): Promise<Rows> {
  const client = await connect(port, user);
  try {
    return (await client.query(sql)).rows as Rows;
  } finally {
    await client.end();
  }
}

const roleColumns = "rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, " +
  "rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, rolpassword";
const catalogQueries = [
  `SELECT ${roleColumns} FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1`,
  "SELECT usename, usecreatedb, usesuper, userepl, usebypassrls, passwd, valuntil, useconfig " +
    "FROM pg_user ORDER BY 1",
  "SELECT rolname, rolpassword IS NULL AS nopw, rolpassword LIKE 'SCRAM-SHA-256$4096:%' AS scram" +
    " FROM pg_authid WHERE rolname !~ '^pg_' ORDER BY 1",
  "SELECT r.rolname AS role, m.rolname AS member, g.rolname AS grantor, a.admin_option " +
    "FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid " +
    "JOIN pg_roles m ON m.oid = a.member JOIN pg_roles g ON g.oid = a.grantor ORDER BY 1, 2",
];

const setup = [
  "CREATE ROLE app LOGIN PASSWORD 'app-secret'",
  "CREATE USER u1 CONNECTION LIMIT 5 VALID UNTIL '2031-01-02 03:04:05+00'",
  "CREATE GROUP g1",
  "CREATE ROLE admin1 CREATEDB CREATEROLE NOINHERIT LOGIN IN ROLE g1",
  "CREATE ROLE boss SUPERUSER REPLICATION BYPASSRLS",
  "CREATE ROLE team ROLE app ADMIN admin1",
  "GRANT g1 TO app WITH ADMIN OPTION",
  "GRANT g1 TO app",
  "GRANT team TO app",
  "ALTER ROLE u1 RENAME TO u2",
  "ALTER ROLE u2 NOLOGIN CONNECTION LIMIT -1 VALID UNTIL 'infinity'",
  "ALTER ROLE app WITH PASSWORD ''",
  "ALTER ROLE app PASSWORD 'app-secret'",
  "ALTER GROUP g1 ADD USER u2",
  "ALTER GROUP g1 DROP USER u2",
  "REVOKE ADMIN OPTION FOR g1 FROM app",
  "REVOKE team FROM u2",
  "CREATE ROLE gone",
  "DROP ROLE gone",
  "DROP ROLE IF EXISTS gone, nobody",
  "BEGIN", "CREATE ROLE rolled_back", "GRANT g1 TO boss", "ROLLBACK",
];

const failures = [
  "CREATE ROLE app",
  "CREATE ROLE pg_mine",
  "CREATE ROLE x CONNECTION LIMIT -5",
  "CREATE ROLE x LOGIN NOLOGIN",
  "DROP ROLE nobody",
  "DROP ROLE postgres",
  "DROP ROLE pg_monitor",
  "ALTER ROLE nobody LOGIN",
  "ALTER ROLE app RENAME TO g1",
  "ALTER ROLE app RENAME TO pg_app",
  "ALTER ROLE postgres RENAME TO boss2",
  "GRANT app TO app",
  "GRANT app TO team",
  "GRANT pg_database_owner TO app",
  "GRANT nobody TO app",
  "GRANT g1 TO nobody",
  "ALTER ROLE app VALID UNTIL 'never'",
];

describe("roles beside PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  let ports: [number, number];
  before(async () => {
    [reference, tessera] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" })]);
    ports = [reference.port, tessera.port];
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  test("CREATE / ALTER / DROP ROLE and GRANT role give PostgreSQL's notices", async () => {
    const [expected, actual] = await onBoth(ports, setup);
    assert.deepEqual(actual, expected);
  });

  for (const query of catalogQueries) {
    test(query.slice(0, 60), async () => {
      assert.deepEqual(await rows(tessera.port, query), await rows(reference.port, query));
    });
  }

  test("psql's \\du and \\dg", async () => {
    for (const command of ["\\du", "\\dg+", "\\du app"]) {
      assert.equal(await psql(tessera.port, command), await psql(reference.port, command));
    }
  });

  for (const sql of failures) {
    test(`refused: ${sql}`, async () => {
      const [pgClient, tsClient] = await Promise.all(ports.map((p) => connect(p)));
      try {
        const expected = await failureOf(pgClient!, sql);
        const actual = await failureOf(tsClient!, sql);
        assert.deepEqual([actual.code, actual.message, actual.detail],
          [expected.code, expected.message, expected.detail]);
      } finally {
        await Promise.all([pgClient!.end(), tsClient!.end()]);
      }
    });
  }

  test("logins under trust: login roles in, others refused as PostgreSQL refuses them",
    async () => {
      for (const user of ["app", "admin1", "g1", "nosuch"]) {
        assert.equal(await loginResult(tessera.port, user),
          await loginResult(reference.port, user), user);
      }
      const who = "SELECT current_user, session_user";
      assert.deepEqual(await rows(tessera.port, who, "app"), [{ current_user: "app",
        session_user: "app" }]);
    });

  test("CONNECT on the database: revoked from PUBLIC, logins fail as PostgreSQL's do",
    async () => {
      await onBoth(ports, ["CREATE ROLE visitor LOGIN", "CREATE ROLE member LOGIN",
        "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC",
        "GRANT CONNECT ON DATABASE postgres TO member"]);
      try {
        for (const user of ["visitor", "member", "postgres"]) {
          assert.equal(await loginResult(tessera.port, user),
            await loginResult(reference.port, user), user);
        }
        const refused = await connect(tessera.port, "visitor").then(
          () => assert.fail("visitor logged in"), (error: { detail?: string }) => error);
        assert.equal(refused.detail, "User does not have CONNECT privilege.");
        await onBoth(ports, ["GRANT CONNECT ON DATABASE postgres TO PUBLIC"]);
        assert.equal(await loginResult(tessera.port, "visitor"), "ok");
      } finally {
        await onBoth(ports, ["GRANT CONNECT ON DATABASE postgres TO PUBLIC",
          "REVOKE CONNECT ON DATABASE postgres FROM member", "DROP ROLE visitor",
          "DROP ROLE member"]);
      }
    });

  test("a non-superuser's role statements follow PostgreSQL's rules", async () => {
    await onBoth(ports, ["CREATE ROLE plain LOGIN", "CREATE ROLE creator LOGIN CREATEROLE",
      "CREATE ROLE lead LOGIN", "GRANT team TO lead WITH ADMIN OPTION"]);
    const cases: [string, string][] = [
      ["plain", "CREATE ROLE p1"], ["plain", "DROP ROLE u2"], ["plain", "ALTER ROLE u2 LOGIN"],
      ["plain", "ALTER ROLE plain CREATEDB"], ["plain", "GRANT team TO plain"],
      ["plain", "ALTER ROLE u2 RENAME TO u3"],
      ["creator", "CREATE ROLE s1 SUPERUSER"], ["creator", "CREATE ROLE s1 REPLICATION"],
      ["creator", "DROP ROLE boss"], ["creator", "DROP ROLE creator"],
      ["creator", "ALTER ROLE boss NOSUPERUSER"], ["creator", "GRANT boss TO plain"],
      ["creator", "ALTER ROLE creator RENAME TO c2"], ["lead", "GRANT g1 TO plain"],
    ];
    for (const [user, sql] of cases) {
      const [pgClient, tsClient] = await Promise.all(ports.map((p) => connect(p, user)));
      try {
        const expected = await failureOf(pgClient!, sql);
        const actual = await failureOf(tsClient!, sql);
        assert.deepEqual([actual.code, actual.message], [expected.code, expected.message],
          `${user}: ${sql}`);
      } finally {
        await Promise.all([pgClient!.end(), tsClient!.end()]);
      }
    }
    const allowed: [string, string][] = [["plain", "ALTER ROLE plain PASSWORD 'pw'"],
      ["creator", "CREATE ROLE c_made"], ["creator", "ALTER ROLE c_made LOGIN CREATEDB"],
      ["creator", "GRANT g1 TO c_made"], ["lead", "GRANT team TO plain"],
      ["creator", "DROP ROLE c_made"]];
    for (const [user, sql] of allowed) {
      const [expected, actual] = await onBoth(ports, [sql], user);
      assert.deepEqual(actual, expected, sql);
    }
    const members = catalogQueries[3]!;
    assert.deepEqual(await rows(tessera.port, members), await rows(reference.port, members));
  });
});

const grantSetup = [
  "CREATE ROLE reader LOGIN", "CREATE ROLE writer LOGIN", "CREATE ROLE \"Mixed Case\"",
  "CREATE TABLE items(id int, v text)", "INSERT INTO items VALUES (1, 'a')",
  "CREATE SEQUENCE item_ids", "CREATE SCHEMA hidden", "CREATE TABLE hidden.h(a int)",
  "CREATE VIEW item_view AS SELECT id FROM items",
  "GRANT SELECT ON item_view TO reader",
  "GRANT SELECT, INSERT ON items TO writer WITH GRANT OPTION",
  "GRANT UPDATE ON items TO writer", "GRANT ALL ON items TO \"Mixed Case\"",
  "REVOKE TRUNCATE ON items FROM \"Mixed Case\"",
  "GRANT USAGE ON SEQUENCE item_ids TO writer", "GRANT SELECT, INSERT ON item_ids TO reader",
  "GRANT USAGE, CREATE ON SCHEMA hidden TO writer", "REVOKE ALL ON SCHEMA hidden FROM PUBLIC",
  "GRANT SELECT ON ALL TABLES IN SCHEMA hidden TO PUBLIC",
];

/** Statements a non-superuser runs: each answer, or error, as PostgreSQL gives it. */
const checkedStatements: [string, string][] = [
  ["reader", "SELECT * FROM items"], ["reader", "SELECT * FROM item_view"],
  ["reader", "INSERT INTO items VALUES (2, 'b')"], ["reader", "SELECT * FROM hidden.h"],
  ["reader", "SELECT nextval('item_ids')"], ["reader", "SELECT currval('item_ids')"],
  ["reader", "CREATE TABLE mine(a int)"], ["reader", "TRUNCATE items"],
  ["reader", "COPY items TO STDOUT"], ["reader", "EXPLAIN (COSTS OFF) SELECT * FROM items"],
  ["reader", "WITH w AS (SELECT 1 AS x) SELECT x FROM w"],
  ["writer", "INSERT INTO items VALUES (3, 'c')"],
  ["writer", "INSERT INTO items VALUES (4, 'd') RETURNING id"],
  ["writer", "UPDATE items SET v = 'z' WHERE id = 3 RETURNING id"],
  ["writer", "DELETE FROM items WHERE id = 3"], ["writer", "SELECT nextval('item_ids')"],
  ["writer", "SELECT setval('item_ids', 5)"], ["writer", "CREATE TABLE hidden.w(a int)"],
  ["writer", "GRANT SELECT ON items TO reader"], ["writer", "GRANT DELETE ON items TO reader"],
  ["writer", "GRANT SELECT, DELETE ON items TO reader"], ["writer", "GRANT ALL ON items TO reader"],
  ["reader", "SELECT id FROM items ORDER BY id"], ["reader", "GRANT SELECT ON items TO writer"],
  ["writer", "SELECT * FROM hidden.w"], ["reader", "SELECT * FROM hidden.w"],
  ["postgres", "REVOKE GRANT OPTION FOR SELECT ON items FROM writer"],
  ["postgres", "REVOKE GRANT OPTION FOR SELECT ON items FROM writer CASCADE"],
  ["reader", "SELECT id FROM items"],
  ["postgres", "DROP ROLE writer"],
];

const aclQueries = [
  "SELECT relname, relowner::regrole::text AS owner, relacl::text FROM pg_class " +
    "WHERE relname IN ('items', 'item_ids', 'item_view', 'h', 'w') ORDER BY 1",
  "SELECT nspname, nspowner::regrole::text AS owner, nspacl::text FROM pg_namespace " +
    "WHERE nspname IN ('public', 'hidden') ORDER BY 1",
  "SELECT has_table_privilege('reader', 'items', 'SELECT') AS a, " +
    "has_table_privilege('writer', 'items', 'insert with grant option') AS b, " +
    "has_table_privilege('reader', 'public.item_view', 'SELECT, UPDATE') AS c, " +
    "has_sequence_privilege('writer', 'item_ids', 'USAGE') AS d, " +
    "has_schema_privilege('reader', 'hidden', 'USAGE') AS e, " +
    "has_schema_privilege('hidden', 'CREATE') AS f, has_table_privilege('items', 'TRUNCATE') AS g",
];

describe("object privileges beside PostgreSQL 15", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  let ports: [number, number];
  before(async () => {
    [reference, tessera] = await Promise.all([startReferencePostgres(),
      startCluster({ role: "worker" })]);
    ports = [reference.port, tessera.port];
    const [expected, actual] = await onBoth(ports, grantSetup);
    assert.deepEqual(actual, expected);
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  for (const query of aclQueries) {
    test(query.slice(0, 60), async () => {
      assert.deepEqual(await rows(tessera.port, query), await rows(reference.port, query));
    });
  }

  test("psql's \\dp, \\z and \\dn+", async () => {
    for (const command of ["\\dp", "\\z items", "\\dn+"]) {
      assert.equal(await psql(tessera.port, command), await psql(reference.port, command));
    }
  });

  test("a non-superuser's statements are checked as PostgreSQL checks them", async () => {
    for (const [user, sql] of checkedStatements) {
      const [expected, actual] = await Promise.all(ports.map((port) =>
        outcome(port, user, sql)));
      assert.deepEqual(actual, expected, `${user}: ${sql}`);
    }
    for (const query of aclQueries) {
      assert.deepEqual(await rows(tessera.port, query), await rows(reference.port, query));
    }
  });

  test("SET ROLE and SET SESSION AUTHORIZATION: current_user, session_user, checks",
    async () => {
      for (const [user, sql] of roleSwitches) {
        const [expected, actual] = await Promise.all(ports.map((port) =>
          sessionOutcomes(port, user, sql)));
        assert.deepEqual(actual, expected, user);
      }
    });

  test("ALTER … OWNER TO moves ownership and the owner's ACL entries", async () => {
    const steps: [string, string[]][] = [
      ["postgres", ["CREATE ROLE o_a LOGIN", "CREATE ROLE o_b LOGIN", "CREATE TABLE o_t(a int)",
        "GRANT SELECT ON o_t TO o_b", "ALTER TABLE o_t OWNER TO o_a",
        "SELECT relowner::regrole::text, relacl::text FROM pg_class WHERE relname = 'o_t'",
        "CREATE SCHEMA o_s", "ALTER SCHEMA o_s OWNER TO o_a",
        "SELECT nspowner::regrole::text, nspacl::text FROM pg_namespace WHERE nspname = 'o_s'",
        "BEGIN", "ALTER TABLE o_t OWNER TO o_b", "ROLLBACK",
        "SELECT relowner::regrole::text FROM pg_class WHERE relname = 'o_t'"]],
      ["o_b", ["ALTER TABLE o_t OWNER TO o_b", "SELECT * FROM o_t"]],
      ["o_a", ["ALTER TABLE o_t OWNER TO o_b", "INSERT INTO o_t VALUES (1)",
        "GRANT INSERT ON o_t TO o_b", "CREATE TABLE o_s.mine(a int)",
        "SELECT relowner::regrole::text, relacl::text FROM pg_class " +
          "WHERE relname IN ('o_t', 'mine') ORDER BY 1, 2",
        "ALTER TABLE o_s.mine OWNER TO postgres"]],
      ["postgres", ["DROP ROLE o_a"]],
    ];
    for (const [user, sql] of steps) {
      const [expected, actual] = await Promise.all(ports.map((port) =>
        sessionOutcomes(port, user, sql)));
      assert.deepEqual(actual, expected, user);
    }
  });

  test("a role that owns objects cannot be dropped; its tables are its own", async () => {
    const sql = ["CREATE ROLE maker LOGIN", "GRANT CREATE ON SCHEMA public TO maker"];
    await onBoth(ports, sql);
    await onBoth(ports, ["CREATE TABLE made(a int)", "INSERT INTO made VALUES (1)",
      "GRANT SELECT ON made TO reader"], "maker");
    for (const [user, statement] of [["reader", "SELECT * FROM made"],
      ["postgres", "DROP ROLE maker"], ["postgres", "DROP ROLE reader"],
      ["postgres", "SELECT relowner::regrole::text, relacl::text FROM pg_class " +
        "WHERE relname = 'made'"]] as const) {
      const [expected, actual] = await Promise.all(ports.map((port) =>
        outcome(port, user, statement)));
      assert.deepEqual(actual, expected, statement);
    }
  });
});

/** Each statement's rows or error, in one session of `user`. */
async function sessionOutcomes(port: number, user: string, sql: readonly string[]):
  Promise<unknown[]> {
  const client = await connect(port, user);
  const out: unknown[] = [];
  try {
    for (const statement of sql) {
      try {
        out.push((await client.query(statement)).rows);
      } catch (error) {
        out.push(`${(error as pg.DatabaseError).code}: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.end();
  }
  return out;
}

const roleSwitches: [string, string[]][] = [
  ["postgres", ["CREATE ROLE s_a LOGIN", "CREATE ROLE s_grp", "GRANT s_grp TO s_a",
    "CREATE TABLE s_t(a int)", "GRANT SELECT ON s_t TO s_grp", "SET ROLE s_a",
    "SELECT current_user, session_user, current_role", "SELECT * FROM s_t",
    "CREATE TABLE s_denied(a int)", "SET ROLE s_grp", "SHOW role", "SELECT current_user",
    "RESET ROLE", "SELECT current_user", "SET SESSION AUTHORIZATION s_a",
    "SELECT current_user, session_user", "SHOW session_authorization", "SET ROLE postgres",
    "RESET SESSION AUTHORIZATION", "SELECT current_user, session_user", "BEGIN",
    "SET LOCAL ROLE s_a", "SELECT current_user", "COMMIT", "SELECT current_user",
    "SET ROLE s_a", "RESET ALL", "SELECT current_user", "DISCARD ALL", "SELECT current_user",
    "SET ROLE nosuch", "SET ROLE s_grp", "DROP ROLE s_grp"]],
  ["s_a", ["SET ROLE postgres", "SET SESSION AUTHORIZATION postgres", "SELECT * FROM s_t",
    "SET ROLE s_grp", "SELECT * FROM s_t", "SELECT current_user, session_user",
    "DROP ROLE s_a", "SET ROLE NONE", "SELECT current_user"]],
];

/** A statement's rows and notices, or its error, as `user`. */
async function outcome(port: number, user: string, sql: string): Promise<unknown> {
  const client = await connect(port, user);
  const notices: string[] = [];
  client.on("notice", (n) => notices.push(`${n.severity}: ${n.message}`));
  try {
    const result = await client.query(sql);
    return { rows: result.rows, notices };
  } catch (error) {
    const e = error as pg.DatabaseError;
    return { code: e.code, message: e.message, detail: e.detail, notices };
  } finally {
    await client.end();
  }
}

describe("roles survive a restart and a kill -9", () => {
  test("created, altered and granted roles come back with their OIDs", async () => {
    let tessera = await startCluster({ role: "worker" });
    const dataDir = tessera.dataDir;
    const query = "SELECT a.oid, rolname, rolcanlogin, rolconnlimit, rolpassword IS NOT NULL " +
      "AS pw, (SELECT array_agg(roleid ORDER BY roleid) FROM pg_auth_members WHERE member = " +
      "a.oid) AS member_of FROM pg_authid a WHERE rolname !~ '^pg_' ORDER BY 1";
    try {
      await runAll(tessera.port, [
        "CREATE ROLE r1 LOGIN PASSWORD 'pw'", "CREATE ROLE r2 CONNECTION LIMIT 3",
        "GRANT r2 TO r1", "ALTER ROLE r2 RENAME TO r3", "CREATE ROLE r4", "DROP ROLE r4",
        "CREATE TABLE g_t(a int)", "GRANT SELECT ON g_t TO r1 WITH GRANT OPTION",
        "GRANT CREATE ON SCHEMA public TO r1", "BEGIN", "GRANT UPDATE ON g_t TO r1",
        "ROLLBACK"]);
      const client = await connect(tessera.port, "r1");
      await client.query("CREATE TABLE g_own(a int)");
      await client.query("GRANT SELECT ON g_t TO r3");
      await client.end();
      const acls = "SELECT relname, relowner::regrole::text, relacl::text FROM pg_class " +
        "WHERE relname LIKE 'g\\_%' UNION ALL SELECT nspname, nspowner::regrole::text, " +
        "nspacl::text FROM pg_namespace WHERE nspname = 'public' ORDER BY 1";
      const aclsBefore = await rows(tessera.port, acls);
      assert.equal(aclsBefore.length, 3);
      const before = await rows(tessera.port, query);
      await tessera.stop({ keepData: true });
      tessera = await startCluster({ role: "worker", dataDir });
      assert.deepEqual(await rows(tessera.port, query), before);
      assert.deepEqual(await rows(tessera.port, acls), aclsBefore);
      await runAll(tessera.port, ["CREATE ROLE r5 LOGIN", "GRANT r3 TO r5"]);
      const second = await rows(tessera.port, query);
      await tessera.stop({ keepData: true, signal: "SIGKILL" });
      tessera = await startCluster({ role: "worker", dataDir });
      assert.deepEqual(await rows(tessera.port, query), second);
      assert.deepEqual(await rows(tessera.port, acls), aclsBefore);
      assert.equal(await loginResult(tessera.port, "r5"), "ok");
    } finally {
      await tessera.stop();
    }
  });
});

describe("SCRAM logins of created roles", () => {
  let tessera: TesseraCluster;
  before(async () => {
    tessera = await startCluster({ role: "worker", args: ["--users", "postgres:root-pw"] });
    const admin = await connect(tessera.port, "postgres", "root-pw");
    for (const sql of ["CREATE ROLE app LOGIN PASSWORD 'app-pw'", "CREATE ROLE nopw LOGIN",
      "CREATE ROLE nologin PASSWORD 'x'", "CREATE ROLE old LOGIN PASSWORD 'old-pw' " +
        "VALID UNTIL '2001-01-01'"]) {
      await admin.query(sql);
    }
    await admin.end();
  });
  after(async () => {
    await tessera?.stop();
  });

  test("the role's password logs in; wrong, missing or expired ones do not", async () => {
    const failed = (user: string): string =>
      `28P01: password authentication failed for user "${user}"`;
    assert.equal(await loginResult(tessera.port, "app", "app-pw"), "ok");
    assert.equal(await loginResult(tessera.port, "app", "wrong"), failed("app"));
    assert.equal(await loginResult(tessera.port, "nopw", "x"), failed("nopw"));
    assert.equal(await loginResult(tessera.port, "old", "old-pw"), failed("old"));
    assert.equal(await loginResult(tessera.port, "nosuch", "x"), failed("nosuch"));
    assert.equal(await loginResult(tessera.port, "nologin", "x"),
      '28000: role "nologin" is not permitted to log in');
  });

  test("ALTER ROLE … PASSWORD changes the password a login needs", async () => {
    const self = await connect(tessera.port, "app", "app-pw");
    await self.query("ALTER ROLE app PASSWORD 'next-pw'");
    await self.end();
    assert.equal(await loginResult(tessera.port, "app", "next-pw"), "ok");
    assert.match(await loginResult(tessera.port, "app", "app-pw"), /^28P01/);
  });
});

describe("roles and grants on a cluster propagate to the workers", () => {
  let cluster: TesseraCluster;
  before(async () => {
    cluster = await startCluster({ workers: 2 });
    await runAll(cluster.port, [
      "CREATE ROLE app LOGIN PASSWORD 'app-pw'", "CREATE ROLE team", "GRANT team TO app",
      "CREATE TABLE events(id int, v int)", "SELECT create_distributed_table('events', 'id')",
      "CREATE TABLE kinds(id int)", "SELECT create_reference_table('kinds')",
      "INSERT INTO events VALUES (1, 1), (2, 2)", "GRANT SELECT ON events TO team",
      "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO app",
      "REVOKE INSERT ON kinds FROM app"]);
  });
  after(async () => {
    await cluster?.stop();
  });

  const roleQuery = "SELECT a.rolname, a.rolcanlogin, a.rolpassword, array(SELECT r.rolname " +
    "FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = a.oid) AS of " +
    "FROM pg_authid a WHERE a.rolname IN ('app', 'team', 'app2') ORDER BY 1";

  test("every worker has the coordinator's roles, password secret included", async () => {
    const expected = await rows(cluster.port, roleQuery);
    assert.equal(expected.length, 2);
    for (const port of cluster.workerPorts) assert.deepEqual(await rows(port, roleQuery), expected);
  });

  test("a table GRANT reaches every shard placement", async () => {
    const shards = "SELECT DISTINCT relacl::text AS acl FROM pg_class WHERE relname ~ " +
      "'^events_[0-9]+$'";
    for (const port of cluster.workerPorts) {
      assert.deepEqual(await rows(port, shards), [{ acl: "{postgres=arwdDxt/postgres," +
        "team=r/postgres,app=ar/postgres}" }]);
    }
    const reference = "SELECT DISTINCT relacl::text AS acl FROM pg_class WHERE relname ~ " +
      "'^kinds_[0-9]+$'";
    for (const port of cluster.workerPorts) {
      assert.deepEqual(await rows(port, reference), [{ acl: "{postgres=arwdDxt/postgres," +
        "app=r/postgres}" }]);
    }
  });

  test("distributed queries are checked on the coordinator against the shell table",
    async () => {
      const client = await connect(cluster.port, "app", "app-pw");
      try {
        assert.deepEqual((await client.query("SELECT count(*)::int AS n FROM events")).rows,
          [{ n: 2 }]);
        await client.query("INSERT INTO events VALUES (3, 3)");
        const denied = await failureOf(client, "INSERT INTO kinds VALUES (1)");
        assert.deepEqual([denied.code, denied.message],
          ["42501", "permission denied for table kinds"]);
        const update = await failureOf(client, "UPDATE events SET v = 0 WHERE id = 1");
        assert.deepEqual([update.code, update.message],
          ["42501", "permission denied for table events"]);
      } finally {
        await client.end();
      }
    });

  test("a worker added with citus_add_node gets the roles first", async () => {
    const extra = await startCluster({ role: "worker" });
    try {
      await runAll(cluster.port, [`SELECT citus_add_node('127.0.0.1', ${extra.port})`]);
      assert.deepEqual(await rows(extra.port, roleQuery), await rows(cluster.port, roleQuery));
      assert.equal(await loginResult(extra.port, "app"), "ok");
    } finally {
      await runAll(cluster.port, [`SELECT citus_remove_node('127.0.0.1', ${extra.port})`]);
      await extra.stop();
    }
  });

  test("ALTER and DROP ROLE propagate; a worker's refusal leaves nothing behind", async () => {
    await runAll(cluster.workerPorts[1]!, ["CREATE ROLE only_on_worker"]);
    const coordinator = await connect(cluster.port);
    try {
      const failed = await failureOf(coordinator, "CREATE ROLE only_on_worker");
      assert.equal(failed.code, "42710");
      assert.deepEqual(await rows(cluster.port,
        "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'only_on_worker'"), [{ n: 0 }]);
      assert.deepEqual(await rows(cluster.workerPorts[0]!,
        "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'only_on_worker'"), [{ n: 0 }]);
      await coordinator.query("ALTER ROLE team RENAME TO team2");
      await coordinator.query("CREATE ROLE temp_role");
      await coordinator.query("DROP ROLE temp_role");
    } finally {
      await coordinator.end();
    }
    const names = "SELECT rolname FROM pg_roles WHERE rolname IN ('team', 'team2', 'temp_role')";
    for (const port of [cluster.port, ...cluster.workerPorts]) {
      assert.deepEqual(await rows(port, names), [{ rolname: "team2" }]);
    }
  });
});
