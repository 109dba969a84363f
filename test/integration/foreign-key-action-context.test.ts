/**
 * Errors raised while a foreign key's referential action runs carry PostgreSQL's CONTEXT line,
 * the statement its RI trigger ran (innermost action first); RESTRICT and NO ACTION errors do
 * not. psql's output, VERBOSITY default, must equal PostgreSQL 15's.
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

const drop = "DROP TABLE IF EXISTS gc, c_null, c_def, c_casc, c_upd, c_multi, c_part, c_big, " +
  "c_cols, p, p2;\n";

const script = drop + `
CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE p2 (a int, b text, PRIMARY KEY (a, b));
CREATE TABLE c_null (id int, pid int NOT NULL REFERENCES p ON DELETE SET NULL);
CREATE TABLE c_def (id int, pid int DEFAULT 99 CHECK (pid < 50)
  REFERENCES p ON DELETE SET DEFAULT);
CREATE TABLE c_casc (id int PRIMARY KEY, pid int REFERENCES p ON DELETE CASCADE ON UPDATE CASCADE);
CREATE TABLE gc (id int, cid int NOT NULL REFERENCES c_casc ON DELETE SET NULL);
CREATE TABLE c_upd (id int, pid int CHECK (pid < 10) REFERENCES p ON UPDATE CASCADE);
CREATE TABLE c_multi (a int, b text NOT NULL,
  FOREIGN KEY (a, b) REFERENCES p2 ON DELETE SET DEFAULT);
CREATE TABLE c_part (id int, pid int NOT NULL REFERENCES p ON DELETE SET NULL)
  PARTITION BY RANGE (id);
CREATE TABLE c_part_1 PARTITION OF c_part FOR VALUES FROM (0) TO (100);
INSERT INTO p VALUES (1), (2), (3), (4), (5), (6);
INSERT INTO p2 VALUES (1, 'x');
INSERT INTO c_null VALUES (1, 1);
DELETE FROM p WHERE id = 1;
INSERT INTO c_def VALUES (1, 2);
DELETE FROM p WHERE id = 2;
INSERT INTO c_casc VALUES (1, 3);
INSERT INTO gc VALUES (1, 1);
DELETE FROM p WHERE id = 3;
UPDATE p SET id = 30 WHERE id = 3;
INSERT INTO c_upd VALUES (1, 4);
UPDATE p SET id = 40 WHERE id = 4;
INSERT INTO c_multi VALUES (1, 'x');
DELETE FROM p2;
CREATE TABLE c_big (id int, pid bigint NOT NULL REFERENCES p ON DELETE SET NULL);
CREATE TABLE c_cols (a int, b text NOT NULL,
  FOREIGN KEY (a, b) REFERENCES p2 ON DELETE SET NULL (b) ON UPDATE CASCADE);
DROP TABLE c_multi;
INSERT INTO c_cols VALUES (1, 'x');
DELETE FROM p2;
INSERT INTO c_big VALUES (1, 6);
DELETE FROM p WHERE id = 6;
INSERT INTO c_part VALUES (1, 5);
DELETE FROM p WHERE id = 5;
ALTER TABLE gc DROP CONSTRAINT gc_cid_fkey;
ALTER TABLE gc ADD FOREIGN KEY (cid) REFERENCES c_casc ON DELETE RESTRICT;
DELETE FROM p WHERE id = 3;
DELETE FROM c_casc;
` + drop;

/** Runs a script through psql and returns what it printed on stderr. */
function psqlStderr(port: number, text: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-fk-context-"));
  const file = join(dir, "script.sql");
  writeFileSync(file, text);
  return new Promise((done, fail) => {
    execFile("psql", ["-X", "-q", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
      "-f", file, "postgres"], { timeout: 60_000 },
    (error, _stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      if (error !== null && typeof error.code !== "number") fail(error);
      else done(stderr.replaceAll(file, "script.sql"));
    });
  });
}

describe("CONTEXT of errors in foreign key actions", () => {
  let tessera: TesseraCluster;
  let postgres: ReferencePostgres;

  before(async () => {
    [tessera, postgres] = await Promise.all([startCluster({ workers: 0 }),
      startReferencePostgres()]);
  });
  after(async () => {
    await Promise.all([tessera.stop(), postgres.stop()]);
  });

  test("psql prints what PostgreSQL 15 prints", async () => {
    const [ours, theirs] = await Promise.all([psqlStderr(tessera.port, script),
      psqlStderr(postgres.port, script)]);
    assert.match(theirs, /CONTEXT: {2}SQL statement "UPDATE ONLY "public"."c_null"/);
    assert.match(theirs, /SET "b" = NULL WHERE \$1 OPERATOR\(pg_catalog.=\) "a" AND/);
    assert.equal(ours, theirs);
  });
});
