/**
 * The users `tessera cluster --users` accepts are roles, listed by psql's `\du` and the role
 * catalogs as PostgreSQL 15 lists the same users made with CREATE ROLE. Tessera checks no
 * privileges, so a configured user is a superuser that can log in: on the reference side,
 * `CREATE ROLE name SUPERUSER LOGIN PASSWORD '…'`.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { psql, startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster }
  from "../harness/index.js";

const users = [["alice", "secret"], ["bob", "hunter2"], ["report_reader", "pw"]] as const;

const createRoles = users.map(([name, password]) =>
  `CREATE ROLE ${name} SUPERUSER LOGIN PASSWORD '${password}';`).join("\n");

const commands = [
  "\\du", "\\du+", "\\dg", "\\du alice", "\\du report*",
  "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, " +
    "rolreplication, rolbypassrls, rolconnlimit FROM pg_roles ORDER BY rolname",
  "SELECT usename, usecreatedb, usesuper, userepl, usebypassrls FROM pg_user ORDER BY 1",
  "SELECT rolname FROM pg_authid WHERE rolcanlogin ORDER BY 1",
  "SELECT 'alice'::regrole::text, pg_get_userbyid('bob'::regrole)",
];

describe("configured users are listed as PostgreSQL 15 lists the same roles", () => {
  let reference: ReferencePostgres;
  let tessera: TesseraCluster;
  const login = { user: "alice", password: "secret" };
  before(async () => {
    const list = users.map(([name, password]) => `${name}:${password}`).join(",");
    [reference, tessera] = await Promise.all([startReferencePostgres(),
      startCluster({ args: ["--users", list] })]);
    await psql(reference.port, createRoles, { extraArgs: ["-q"] });
  });
  after(async () => {
    await Promise.all([reference?.stop(), tessera?.stop()]);
  });

  for (const command of commands) {
    test(command, async () => {
      const expected = await psql(reference.port, command);
      const actual = await psql(tessera.port, command, login);
      assert.equal(actual, expected);
    });
  }

  test("each configured user logs in and sees itself as current_user", async () => {
    for (const [user, password] of users) {
      const row = await psql(tessera.port,
        "SELECT current_user, r.rolcanlogin FROM pg_roles r WHERE r.rolname = current_user",
        { user, password, tuplesOnly: true });
      assert.equal(row.trim(), `${user}|t`);
    }
  });
});
