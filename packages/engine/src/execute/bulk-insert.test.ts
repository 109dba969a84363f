import { test } from "node:test";
import assert from "node:assert/strict";
import { parseStatements, type ast } from "@tessera/sql";
import type { Engine } from "../engine.js";
import { newEngine, run, testContext } from "../test-support/harness.js";

async function copyIn(e: Engine, sql: string, data: string): Promise<string> {
  const stmt = parseStatements(sql)[0]!.stmt as { CopyStmt: ast.CopyStmt };
  const sink = e.copyIn(stmt.CopyStmt, testContext());
  sink.accept(Buffer.from(data));
  return sink.finish();
}

/** Every index of `t` holds its entries in the tree's key order, ties in insertion order. */
function assertIndexesOrdered(e: Engine, table: string): void {
  const rel = e.catalog.findRelation(["public"], undefined, table)!;
  for (const index of rel.indexes) {
    const entries = index.tree.entries;
    assert.equal(entries.length, rel.store.versions.length, index.name);
    for (let i = 1; i < entries.length; i++) {
      const order = index.tree.compareKeys(entries[i - 1]!.key, entries[i]!.key);
      assert.ok(order < 0 || (order === 0 &&
        entries[i - 1]!.version.slot < entries[i]!.version.slot), `${index.name} at ${i}`);
    }
  }
}

test("COPY builds integer and timestamp indexes in key order, nulls last", async () => {
  const e = await newEngine();
  await run(e, "create table t (a int, b bigint, c timestamptz, d text, e int)");
  await run(e, "create index t_ab on t (a, b)");
  await run(e, "create index t_cb on t (c, b)");
  await run(e, "create index t_bdesc on t (b desc, a)");
  await run(e, "create index t_d on t (d, a)");
  await run(e, "create unique index t_e on t (e)");
  let seed = 5;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const big = ["9007199254740993", "-9223372036854775808", "12", "-3", "\\N"];
  const batches = [false, true, false];
  let e0 = 0;
  for (const wide of batches) {
    let data = "";
    for (let i = 0; i < 300; i++) {
      const a = random(7) === 0 ? "\\N" : String(random(9) - 4);
      const b = wide && random(5) === 0 ? big[random(big.length)]! : String(random(50) - 25);
      const c = random(6) === 0 ? "\\N" : random(9) === 0 ? "infinity"
        : `2024-01-0${1 + random(3)} 00:00:0${random(3)}+00`;
      data += `${a}\t${b}\t${c}\tk${random(4)}\t${random(4) === 0 ? "\\N" : e0++}\n`;
    }
    assert.equal(await copyIn(e, "copy t from stdin", data), "COPY 300");
    assertIndexesOrdered(e, "t");
  }
  const counted = await run(e, "select count(*) from t where a = 1 and b = 0");
  const scanned = await run(e, "select count(*) from t where a + 0 = 1 and b + 0 = 0");
  assert.deepEqual(counted.rows, scanned.rows);
});

test("keys whose packed numbers leave no room for positions sort by comparison", async () => {
  const e = await newEngine();
  await run(e, "create table w (a int, b bigint)");
  await run(e, "create index w_ab on w (a, b)");
  let seed = 9;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let data = "";
  for (let i = 0; i < 400; i++) {
    data += `${random(10)}\t${(random(1 << 30) - (1 << 29)) * 16384 + random(3)}\n`;
  }
  assert.equal(await copyIn(e, "copy w from stdin", data + data), "COPY 800");
  assertIndexesOrdered(e, "w");
});

test("a duplicate in a COPY batch is reported at its first row", async () => {
  const e = await newEngine();
  await run(e, "create table u (a int, b bigint, primary key (a, b))");
  await copyIn(e, "copy u from stdin", "1\t1\n2\t2\n");
  await assert.rejects(copyIn(e, "copy u from stdin", "5\t5\n3\t3\n2\t2\n3\t3\n"),
    (err: Error & { code?: string; detail?: string }) => err.code === "23505" &&
      err.detail === "Key (a, b)=(2, 2) already exists.");
  await assert.rejects(copyIn(e, "copy u from stdin", "7\t7\n4\t4\n7\t7\n4\t4\n"),
    (err: Error & { code?: string; detail?: string }) => err.code === "23505" &&
      err.detail === "Key (a, b)=(7, 7) already exists.");
  assert.deepEqual((await run(e, "select count(*) from u")).rows, [["2"]]);
});
