/**
 * ORM schema reflection: SQLAlchemy's PostgreSQL dialect (Debian's python3-sqlalchemy over
 * psycopg2) reflects the schema of test/drivers/orm_reflection_schema.sql — tables, views,
 * materialized views, columns with their types, defaults, identity and generated
 * expressions, primary, unique, check and foreign keys, indexes, comments, sequences and
 * enums — on PostgreSQL 15 and on Tessera (a worker, and a coordinator with one worker), and
 * the two answers must be the same JSON (test/drivers/orm_reflect_sqlalchemy.py).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import {
  startCluster, startReferencePostgres, type ReferencePostgres, type TesseraCluster,
} from "../harness/index.js";
import { driversDir, runProgram } from "./drivers-support.js";

const debianPython = "/usr/bin/python3";
const script = join(driversDir, "orm_reflect_sqlalchemy.py");
const schema = readFileSync(join(driversDir, "orm_reflection_schema.sql"), "utf8");

/** Whether Debian's SQLAlchemy is installed (`apt-get install python3-sqlalchemy`). */
function hasSqlAlchemy(): boolean {
  if (!existsSync(debianPython)) return false;
  try {
    execFileSync(debianPython, ["-c", "import sqlalchemy, psycopg2"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const skip = hasSqlAlchemy() ? false
  : `${debianPython} cannot import sqlalchemy and psycopg2: apt-get install -y ` +
    "python3-sqlalchemy python3-psycopg2";

async function createSchema(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(schema);
  } finally {
    await client.end();
  }
}

/** The reflected schema as the script prints it (JSON), failing on a script error. */
async function reflect(host: string, port: number): Promise<unknown> {
  const url = `postgresql+psycopg2://postgres@${host}:${port}/postgres`;
  const run = await runProgram(debianPython, [script, url]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as unknown;
}

describe("SQLAlchemy reflection matches PostgreSQL 15", { skip }, () => {
  let reference: ReferencePostgres;
  let expected: unknown;
  const servers: TesseraCluster[] = [];

  before(async () => {
    reference = await startReferencePostgres();
    await createSchema(reference.url);
    expected = await reflect(reference.host, reference.port);
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await reference?.stop();
  });

  test("the reference reflects the whole schema", () => {
    const found = expected as Record<string, unknown>;
    assert.deepEqual(found["tables"], ["authors", "books", "reviews"]);
    assert.ok(!JSON.stringify(found).includes("\"error\""), JSON.stringify(found));
  });

  for (const [label, options] of [["worker", { role: "worker" }],
    ["coordinator", { workers: 1 }]] as const) {
    test(`on a Tessera ${label}`, async () => {
      const server = await startCluster(options);
      servers.push(server);
      await createSchema(server.url);
      assert.deepEqual(await reflect("127.0.0.1", server.port), expected);
    });
  }
});
