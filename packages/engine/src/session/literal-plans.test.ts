import { test } from "node:test";
import assert from "node:assert/strict";
import { newEngine } from "../test-support/harness.js";
import { lineClient } from "../txn/test-session.js";
import { literalPlanStats } from "./literal-plans.js";

type Client = (sql: string) => Promise<string[]>;

/**
 * Runs `sql` through the shape cache and again with a leading comment, which the shape
 * scanner refuses, so the second run is analysed and planned with its constants. Both
 * runs must answer alike; `undo` puts back what the first run changed.
 */
async function sameBothWays(run: Client, sql: string, undo?: string): Promise<string[]> {
  const cached = await run(sql);
  if (undo !== undefined) await run(undo);
  const planned = await run(`/* constants */ ${sql}`);
  assert.deepEqual(cached, planned, sql);
  return cached;
}

async function accounts(): Promise<Client> {
  const run = lineClient(await newEngine(), 1);
  await run("create table acc (aid int primary key, bid int, abalance int, i8 int8, " +
    "n numeric(10,2), t text)");
  await run("insert into acc select g, g % 3, 0, g * 1000000000::int8, g * 1.5, 'r' || g " +
    "from generate_series(1, 50) g");
  return run;
}

test("pgbench's SELECT and UPDATE share a plan and answer as with constants", async () => {
  const run = await accounts();
  const before = literalPlanStats();
  for (const aid of [1, 7, 50, 51, 0, 2147483647, 13]) {
    await sameBothWays(run, `SELECT abalance FROM acc WHERE aid = ${aid};`);
    const delta = aid % 2 === 0 ? `-${aid * 3}` : `${aid * 3}`;
    const update = `UPDATE acc SET abalance = abalance + ${delta} WHERE aid = ${aid};`;
    const undo = `UPDATE acc SET abalance = abalance - ${delta} WHERE aid = ${aid};`;
    assert.deepEqual(await sameBothWays(run, update, undo), [aid >= 1 && aid <= 50
      ? "UPDATE 1" : "UPDATE 0"]);
  }
  const after = literalPlanStats();
  assert.ok(after.made - before.made >= 2, "no shared plan was made");
  assert.ok(after.runs - before.runs >= 8, `only ${after.runs - before.runs} shared runs`);
});

test("literals that change type take their own path", async () => {
  const run = await accounts();
  for (const v of ["1", "3000000000", "1.5", "'7'", "'x'", "2", "-3", "2147483648", "20.0"]) {
    await sameBothWays(run, `select aid, t from acc where aid = ${v}`);
    await sameBothWays(run, `select aid from acc where i8 = ${v} or n = ${v}`);
    await sameBothWays(run, `select aid from acc where aid > ${v} and aid < 5 order by aid`);
  }
});

test("an overflow is raised alike, with and without a shared plan", async () => {
  const run = await accounts();
  const shape = (d: string, aid: string): string =>
    `update acc set abalance = abalance + ${d} where aid = ${aid}`;
  await sameBothWays(run, shape("1", "1"), shape("-1", "1"));
  await sameBothWays(run, shape("2", "2"), shape("-2", "2"));
  await run("update acc set abalance = 2147483000 where aid = 3");
  const lines = await sameBothWays(run, shape("1000", "3"));
  assert.match(lines[0] ?? "", /^ERROR 22003 integer out of range/);
  assert.deepEqual(await sameBothWays(run, shape("1000", "999")), ["UPDATE 0"]);
});

test("a shared plan is made again after DDL and after SET", async () => {
  const run = await accounts();
  const shape = (aid: number): string => `select aid, t from acc where aid = ${aid}`;
  await sameBothWays(run, shape(1));
  await sameBothWays(run, shape(2));
  await run("drop table acc");
  await run("create table acc (aid text, t int)");
  await run("insert into acc values ('3', 30)");
  await sameBothWays(run, shape(3));
  await run("drop table acc");
  await run("create table acc (aid int8, t int)");
  await run("insert into acc values (4, 40), (5, 50)");
  assert.deepEqual(await sameBothWays(run, shape(4)), ["4|40", "SELECT 1"]);
  assert.deepEqual(await sameBothWays(run, shape(5)), ["5|50", "SELECT 1"]);
  await run("create schema other");
  await run("create table other.acc (aid int, t int)");
  await run("insert into other.acc values (5, 500)");
  await run("set search_path = other, public");
  assert.deepEqual(await sameBothWays(run, shape(5)), ["5|500", "SELECT 1"]);
});

test("literals in other places keep planning with constants", async () => {
  const run = await accounts();
  const before = literalPlanStats();
  for (const v of ["1", "2", "3"]) {
    await sameBothWays(run, `select aid + ${v} from acc where aid = 4 group by aid + ${v}`);
    await sameBothWays(run, `select aid from acc order by ${v} limit ${v}`);
    await sameBothWays(run, `select aid from acc where aid = ${v}0 and bid = ${v}`);
    await sameBothWays(run, `select ${v} from acc where aid = 4`);
    await sameBothWays(run, `update acc set bid = ${v} where aid = 9`);
  }
  const after = literalPlanStats();
  // Only the shape with both literals in comparisons ("aid = \0I0"… is not one) may share.
  assert.ok(after.made - before.made <= 1);
});

test("INSERT … VALUES shares a plan only where values reach int4 columns unconverted", async () => {
  const run = lineClient(await newEngine(), 1);
  await run("create table hist (tid int, bid int, aid int, delta int, s int2, b int8, " +
    "n numeric, mtime timestamp)");
  const insert = (t: number, b: number, a: number, d: number): string =>
    "INSERT INTO hist (tid, bid, aid, delta, mtime) " +
    `VALUES (${t}, ${b}, ${a}, ${d}, CURRENT_TIMESTAMP);`;
  const before = literalPlanStats();
  for (const [t, b, a, d] of [[3, 1, 48213, -4012], [10, 2, 5, 77], [4, 9, 1, -1], [8, 6, 2, 0]]) {
    assert.deepEqual(await sameBothWays(run, insert(t!, b!, a!, d!)), ["INSERT 0 1"]);
  }
  const shared = literalPlanStats();
  assert.equal(shared.made - before.made, 2); // "-\0I" and "\0I" are two shapes
  assert.equal(shared.runs - before.runs, 2);
  assert.deepEqual(await run("select tid, bid, aid, delta, count(*) from hist " +
    "group by 1, 2, 3, 4 having count(*) <> 2"), ["SELECT 0"]);
  for (const v of ["5", "6", "70000", "7"]) {
    await sameBothWays(run, `insert into hist (tid, s) values (1, ${v})`);
    await sameBothWays(run, `insert into hist (tid, b, n) values (2, ${v}, ${v}1)`);
  }
  assert.equal(literalPlanStats().made, shared.made, "converted values must not share a plan");
  assert.match((await run("insert into hist (tid, s) values (3, 70000)"))[0] ?? "",
    /^ERROR 22003 smallint out of range/);
});
