/**
 * What psql prints for the errors users meet every day, on Tessera and on PostgreSQL 15, with
 * VERBOSITY default and verbose: the ERROR line, DETAIL (the failing key or row), HINT (the
 * column Postgres guesses you meant), `LINE n:` with the caret under the right character, and
 * in verbose mode the SQLSTATE and the schema, table, column and constraint fields.
 *
 * Local tables must print exactly what PostgreSQL prints. Distributed tables print what Citus
 * prints: the worker's error with shard names (`dt_pkey_102008`), no schema/table/constraint
 * fields, and `CONTEXT:  while executing command on HOST:PORT`; once shard suffixes and that
 * CONTEXT line are taken out, the rest must again equal PostgreSQL's output on plain tables.
 * psql's LOCATION line (Postgres's C function and source line) has no Tessera counterpart and
 * is left out of the comparison.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";

const schema = `
CREATE TABLE parent (id int PRIMARY KEY, name text);
CREATE TABLE child (id int PRIMARY KEY, pid int REFERENCES parent(id));
CREATE TABLE t (id int PRIMARY KEY, name varchar(5) NOT NULL, qty int CHECK (qty > 0),
  amount numeric(5,2));
CREATE TABLE u (id int, name text, bname text, x2 int);
INSERT INTO parent VALUES (1, 'a');
INSERT INTO child VALUES (1, 1);
INSERT INTO t VALUES (1, 'x', 1, 1.5);
`;

/** One statement per line; each fails on both servers. */
const localErrors = `
INSERT INTO t VALUES (1, 'y', 2, 2);
INSERT INTO t VALUES (2, NULL, 2, 2);
INSERT INTO t VALUES (3, 'z', 0, 2);
INSERT INTO t VALUES (4, 'toolongname', 1, 2);
INSERT INTO t (id, name) SELECT 4, 'toolongname';
UPDATE t SET name = 'abcdefgh' WHERE id = 1;
INSERT INTO t VALUES (5, 'a', 1, 12345.6);
INSERT INTO t VALUES (5, 'a', 1, '12345.6');
SELECT 123.456::numeric(3,1);
INSERT INTO t VALUES (9, 'a', 1, 1, 5);
INSERT INTO t (id, nme) VALUES (9, 'b');
INSERT INTO child VALUES (2, 99);
UPDATE child SET pid = 42 WHERE id = 1;
DELETE FROM parent WHERE id = 1;
UPDATE parent SET id = 7 WHERE id = 1;
UPDATE t SET qty = -1 WHERE id = 1;
UPDATE t SET name = NULL WHERE id = 1;
SELECT nme FROM t;
SELECT id
  FROM t
 WHERE nam = 'x';
SELECT t.nme FROM t, u;
SELECT x FROM t, u;
SELECT bnam FROM t JOIN u USING (id);
SELECT (SELECT amout FROM u) FROM t;
SELECT zzzzzz FROM t;
SELECT t.id FROM t AS tt;
SELECT * FROM t, (SELECT * FROM u WHERE u.id = t.id) s;
SELECT q.* FROM t;
SELECT id FROM t, parent;
SELECT name, count(*) FROM t;
SELECT 1 FROM t GROUP BY name HAVING qty > 1;
SELECT name FROM t GROUP BY lower(name);
SELECT 1/0;
SELECT 'abc'::int;
SELECT * FROM t WHERE id = 'abc';
SELECT * FROM t WHERE id = 1 AND
  qty = '1.5';
SELECT * FROM nosuch;
SELECT nosuchfn(1);
`;

const distributedSetup = `
CREATE TABLE dref (id int PRIMARY KEY, name text);
SELECT create_reference_table('dref');
CREATE TABLE dt (id int PRIMARY KEY, name varchar(5) NOT NULL, qty int CHECK (qty > 0),
  amount numeric(5,2), rid int REFERENCES dref(id));
SELECT create_distributed_table('dt', 'id');
CREATE TABLE dparent (id int PRIMARY KEY);
SELECT create_distributed_table('dparent', 'id');
CREATE TABLE dchild (id int PRIMARY KEY, FOREIGN KEY (id) REFERENCES dparent(id));
SELECT create_distributed_table('dchild', 'id');
INSERT INTO dref VALUES (1, 'a');
INSERT INTO dparent VALUES (1);
INSERT INTO dchild VALUES (1);
INSERT INTO dt VALUES (1, 'x', 1, 1.5, 1);
CREATE TABLE dp2 (a int, b text, PRIMARY KEY (a, b));
SELECT create_distributed_table('dp2', 'a');
CREATE TABLE dc2 (id int, a int, b text, PRIMARY KEY (a, id), FOREIGN KEY (a, b) REFERENCES dp2);
SELECT create_distributed_table('dc2', 'a');
CREATE UNIQUE INDEX dp2_lower ON dp2 (a, lower(b));
INSERT INTO dp2 VALUES (1, 'x');
INSERT INTO dc2 VALUES (3, 1, 'x');
`;

/** Statements on distributed tables; `@` marks those a worker reports (Citus adds CONTEXT). */
const distributedErrors = `
@INSERT INTO dt VALUES (1, 'y', 2, 2, 1);
@INSERT INTO dt VALUES (2, NULL, 2, 2, 1);
@INSERT INTO dt VALUES (3, 'z', 0, 2, 1);
INSERT INTO dt VALUES (4, 'toolongname', 1, 2, 1);
INSERT INTO dt VALUES (5, 'a', 1, 12345.6, 1);
@INSERT INTO dt VALUES (6, 'a', 1, 1, 99);
@INSERT INTO dchild VALUES (2);
@DELETE FROM dref WHERE id = 1;
@DELETE FROM dparent WHERE id = 1;
@UPDATE dt SET qty = -1 WHERE id = 1;
@UPDATE dt SET qty = -1;
@INSERT INTO dt VALUES (7, 'y', 2, 2, 1), (1, 'y', 2, 2, 1);
SELECT nme FROM dt;
SELECT id FROM dt WHERE nam = 'x';
SELECT id FROM dt, dparent WHERE dt.id = dparent.id;
@SELECT id/0 FROM dt;
@INSERT INTO dc2 VALUES (1, 1, 'y');
@DELETE FROM dp2;
TRUNCATE dp2;
@INSERT INTO dp2 VALUES (1, 'X');
@INSERT INTO dt VALUES (8, 'q', 1, 1, 1), (8, 'q', 1, 1, 1) ON CONFLICT (id) DO UPDATE SET qty = 2;
SELECT * FROM dt WHERE id = 'abc';
`;

interface Servers {
  readonly tessera: TesseraCluster;
  readonly postgres: ReferencePostgres;
}

/** Runs a script through psql (no ON_ERROR_STOP) and returns what it printed on stderr. */
function psqlStderr(port: number, script: string, verbosity: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-psql-errors-"));
  const file = join(dir, "script.sql");
  writeFileSync(file, script);
  return new Promise((done, fail) => {
    execFile("psql", ["-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
      "-v", `VERBOSITY=${verbosity}`, "-f", file, "postgres"], { timeout: 60_000 },
    (error, _stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (error !== null && typeof error.code !== "number") fail(error);
      else done(stderr.replaceAll(file, "script.sql"));
    });
  });
}

/** psql's LOCATION lines name Postgres's C sources: not part of the comparison. */
function withoutLocation(stderr: string): string {
  return stderr.split("\n").filter((l) => !l.startsWith("LOCATION:  ")).join("\n");
}

/** Splits psql's stderr into one block per `psql:script.sql:N:` message. */
function blocks(stderr: string): string[] {
  return stderr.split(/^(?=psql:script\.sql:\d+: )/m).filter((b) => b.trim() !== "");
}

describe("psql error output", () => {
  let servers: Servers;

  before(async () => {
    const [tessera, postgres] = await Promise.all([startCluster({ workers: 2 }),
      startReferencePostgres()]);
    servers = { tessera, postgres };
  });
  after(async () => {
    await Promise.all([servers.tessera.stop(), servers.postgres.stop()]);
  });

  for (const verbosity of ["default", "verbose"]) {
    test(`local tables, VERBOSITY ${verbosity}`, async () => {
      const drop = "DROP TABLE IF EXISTS child, parent, t, u;\n";
      const script = drop + schema + localErrors + drop;
      const [ours, theirs] = await Promise.all([
        psqlStderr(servers.tessera.port, script, verbosity),
        psqlStderr(servers.postgres.port, script, verbosity),
      ]);
      const expected = blocks(withoutLocation(theirs));
      const actual = blocks(withoutLocation(ours));
      assert.ok(expected.length >= 30, theirs);
      for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
        assert.equal(actual[i], expected[i]);
      }
    });
  }

  // Errors only Citus raises, with Citus's SQLSTATEs (citus-surface.md section 6).
  test("Citus's own errors on distributed tables", async () => {
    const script = `DROP TABLE IF EXISTS dc;
CREATE TABLE dc (id int PRIMARY KEY, name text);
SELECT create_distributed_table('dc', 'id');
INSERT INTO dc (name) VALUES ('x');
INSERT INTO dc VALUES (NULL, 'x');
UPDATE dc SET id = 2 WHERE id = 1;
DROP TABLE dc;
`;
    const stderr = await psqlStderr(servers.tessera.port, script, "verbose");
    assert.equal(stderr, [
      "psql:script.sql:1: NOTICE:  00000: table \"dc\" does not exist, skipping",
      "psql:script.sql:4: ERROR:  22004: cannot perform an INSERT without a partition column " +
        "value",
      "psql:script.sql:5: ERROR:  22004: cannot perform an INSERT with NULL in the partition " +
        "column",
      "psql:script.sql:6: ERROR:  0A000: modifying the partition value of rows is not allowed",
      ""].join("\n"));
  });

  for (const verbosity of ["default", "verbose"]) {
    test(`distributed tables, VERBOSITY ${verbosity}`, async () => {
      const drop = "DROP TABLE IF EXISTS dchild, dparent, dt, dref, dc2, dp2;\n";
      const statements = distributedErrors.trim().split("\n");
      const script = drop + distributedSetup + statements.map((s) => s.replace(/^@/, ""))
        .join("\n") + "\n" + drop;
      const plainSetup = distributedSetup.split("\n")
        .filter((l) => !l.startsWith("SELECT create_")).join("\n");
      // Same line numbers on both sides: blank lines where the Citus calls were.
      const padding = "\n".repeat(distributedSetup.split("\n").length
        - plainSetup.split("\n").length);
      const plainScript = drop + plainSetup + padding + statements
        .map((s) => s.replace(/^@/, "")).join("\n") + "\n" + drop;
      const [ours, theirs] = await Promise.all([
        psqlStderr(servers.tessera.port, script, verbosity),
        psqlStderr(servers.postgres.port, plainScript, verbosity),
      ]);
      const expected = blocks(withoutLocation(theirs))
        .map((b) => b.split("\n").filter((l) => !/^(SCHEMA|TABLE|COLUMN|CONSTRAINT) NAME:/
          .test(l)).join("\n"));
      const actual = blocks(ours);
      const errors = actual.filter((b) => / ERROR: /.test(b));
      const remote = statements.filter((s) => s.startsWith("@")).length;
      const withContext = errors.filter((b) =>
        /\nCONTEXT: {2}while executing command on 127\.0\.0\.1:\d+\n/.test(b));
      assert.equal(withContext.length, remote, ours);
      const normalized = actual.map((b) => b
        .replace(/\nCONTEXT: {2}while executing command on 127\.0\.0\.1:\d+\n/, "\n")
        .replace(/(\w)_10\d{4}\b/g, "$1"));
      for (let i = 0; i < Math.max(expected.length, normalized.length); i++) {
        assert.equal(normalized[i], expected[i]);
      }
    });
  }
});
