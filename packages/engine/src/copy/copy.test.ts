import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseStatements, type ast } from "@tessera/sql";
import type { Engine } from "../engine.js";
import { newEngine, run, testContext } from "../test-support/harness.js";

type Err = Error & { code?: string; detail?: string; fields?: { where?: string } };
const fails = (code: string, message?: string, where?: string) => (err: Err) =>
  err.code === code && (message === undefined || err.message === message) &&
  (where === undefined || err.fields?.where === where);

function copyStmt(sql: string): ast.CopyStmt {
  const stmt = parseStatements(sql)[0]!.stmt;
  assert.ok("CopyStmt" in stmt);
  return stmt.CopyStmt;
}

/** Runs COPY … FROM STDIN feeding `data` in chunks of `size` bytes. */
async function copyIn(e: Engine, sql: string, data: string | Uint8Array, size = 1 << 16):
  Promise<string> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const sink = e.copyIn(copyStmt(sql), testContext());
  try {
    for (let i = 0; i < bytes.length; i += size) sink.accept(bytes.subarray(i, i + size));
    return await sink.finish();
  } catch (error) {
    sink.abort();
    throw error;
  }
}

async function copyOut(e: Engine, sql: string): Promise<string> {
  const source = e.copyOut(copyStmt(sql), testContext());
  let text = "";
  for await (const chunk of source.chunks()) text += Buffer.from(chunk.bytes).toString("utf8");
  return `${text}${source.commandTag()}`;
}

test("COPY FROM text: nulls, escapes, column lists, defaults", async () => {
  const e = await newEngine();
  await run(e, "create table t (id serial, a int, b text, c text default 'd')");
  const tag = await copyIn(e, "copy t (a, b) from stdin",
    "1\tplain\n2\t\\N\n\\N\ttab\\there\\\\x\n3\t\\x41\\101\\q\n4\t\\N\\N\n");
  assert.equal(tag, "COPY 5");
  const r = await run(e, "select id, a, b, c from t order by id");
  assert.deepEqual(r.rows, [["1", "1", "plain", "d"], ["2", "2", null, "d"],
    ["3", null, "tab\there\\x", "d"], ["4", "3", "AAq", "d"], ["5", "4", "NN", "d"]]);
  assert.equal(await copyIn(e, "copy t (a) from stdin", "7\n\\.\n8\n"), "COPY 1");
  assert.equal(await copyIn(e, "copy t (a, b) from stdin", "9\tx\r\n10\ty\r\n"), "COPY 2");
  assert.equal(await copyIn(e, "copy t (a, b) from stdin", "11\tline\\\nbreak"), "COPY 1");
  assert.deepEqual((await run(e, "select b from t where a = 11")).rows, [["line\nbreak"]]);
});

test("COPY FROM accepts any chunking, even inside a UTF-8 character", async () => {
  const e = await newEngine();
  await run(e, "create table u (a int, b text)");
  const data = "1\tnaïve café\n2\t日本語\n3\t\\N\n4\t🙂 ok\n";
  for (const size of [1, 2, 3, 5, 7]) {
    await run(e, "truncate u");
    assert.equal(await copyIn(e, "copy u from stdin", data, size), "COPY 4");
    const r = await run(e, "select a, b from u order by a");
    assert.deepEqual(r.rows, [["1", "naïve café"], ["2", "日本語"], ["3", null], ["4", "🙂 ok"]]);
  }
});

test("COPY FROM reads the same rows whatever lines the chunks cut", async () => {
  const e = await newEngine();
  await run(e, "create table w (a int, b text, c jsonb)");
  const text = Array.from({ length: 40 }, (_, i) =>
    `${i}\t${i % 3 === 0 ? "line\\\nbreak" : "é".repeat(i % 5)}\t{"k": ${i}, "a": "x"}\n`).join("");
  const csv = Array.from({ length: 40 }, (_, i) =>
    `${i},"${i % 4 === 0 ? "two\nlines" : "plain"}","{""k"": ${i}}"\n`).join("");
  for (const [sql, data] of [["copy w from stdin", text], ["copy w from stdin csv", csv]]) {
    await run(e, "truncate w");
    await copyIn(e, sql!, data!);
    const whole = (await run(e, "select a, b, c from w order by a")).rows;
    assert.equal(whole.length, 40);
    for (const size of [9, 13, 31, 64, 100]) {
      await run(e, "truncate w");
      assert.equal(await copyIn(e, sql!, data!, size), "COPY 40");
      assert.deepEqual((await run(e, "select a, b, c from w order by a")).rows, whole);
    }
  }
});

test("COPY FROM errors carry Postgres's CONTEXT and leave nothing behind", async () => {
  const e = await newEngine();
  await run(e, "create table ct (a int, b text, c int)");
  await assert.rejects(copyIn(e, "copy ct from stdin", "1\tx\t3\n2\ty\n"),
    fails("22P04", "missing data for column \"c\"", "COPY ct, line 2: \"2\ty\""));
  await assert.rejects(copyIn(e, "copy ct from stdin", "1\tx\t3\t4\n"),
    fails("22P04", "extra data after last expected column", "COPY ct, line 1: \"1\tx\t3\t4\""));
  await assert.rejects(copyIn(e, "copy ct from stdin", "1\tx\t3\nzz\ty\t3\n", 3),
    fails("22P02", "invalid input syntax for type integer: \"zz\"",
      "COPY ct, line 2, column a: \"zz\""));
  await assert.rejects(copyIn(e, "copy ct from stdin", "5\tx\ry\n"),
    fails("22P04", "literal carriage return found in data", "COPY ct, line 1"));
  await assert.rejects(copyIn(e, "copy ct from stdin", "5\tx\t1\r\n6\ty\t1\n"),
    fails("22P04", "literal newline found in data", "COPY ct, line 2"));
  await assert.rejects(copyIn(e, "copy ct from stdin", Buffer.from([0x31, 9, 0xff, 9, 0x32, 10])),
    fails("22021", "invalid byte sequence for encoding \"UTF8\": 0xff", "COPY ct, line 1"));
  await assert.rejects(copyIn(e, "copy ct from stdin", "1\t\\xc3\t2\n"),
    fails("22021", "invalid byte sequence for encoding \"UTF8\": 0xc3"));
  const long = `${"x".repeat(120)}\n`;
  await assert.rejects(copyIn(e, "copy ct (a) from stdin", long),
    fails("22P02", undefined, `COPY ct, line 1, column a: "${"x".repeat(100)}..."`));
  assert.deepEqual((await run(e, "select count(*) from ct")).rows, [["0"]]);
  await run(e, "create table g (a int primary key, b text not null)");
  await assert.rejects(copyIn(e, "copy g from stdin", "1\tx\n1\ty\n"),
    fails("23505", "duplicate key value violates unique constraint \"g_pkey\"", "COPY g, line 2"));
  await assert.rejects(copyIn(e, "copy g from stdin", "1\t\\N\n"),
    fails("23502", undefined, "COPY g, line 1: \"1\t\\N\""));
  assert.deepEqual((await run(e, "select count(*) from g")).rows, [["0"]]);
});

test("COPY FROM csv: quotes, multi-line fields, HEADER, NULL and FORCE options", async () => {
  const e = await newEngine();
  await run(e, "create table f (a text, b text)");
  const data = "a,b\n\"ab\"cd,x\n\"q\"\"q\",\n,\"\"\n\"multi\nline\",\\.\n\"\\.\",z\n";
  for (const size of [1, 4, 1000]) {
    await run(e, "truncate f");
    assert.equal(await copyIn(e, "copy f from stdin with (format csv, header)", data, size),
      "COPY 5");
  }
  const r = await run(e, "select a, b from f");
  assert.deepEqual(r.rows, [["abcd", "x"], ["q\"q", null], [null, ""], ["multi\nline", "\\."],
    ["\\.", "z"]]);
  await run(e, "truncate f");
  await copyIn(e, "copy f from stdin (format csv, null '\\N', force_not_null (b))", "x,\\N\n");
  await copyIn(e, "copy f from stdin (format csv, null '\\N', force_null (a))", "\"\\N\",\\N\n");
  await copyIn(e, "copy f from stdin (format csv, escape '\\', delimiter ';')", "\"a\\\"b\";c\n");
  assert.deepEqual((await run(e, "select a, b from f")).rows,
    [["x", "\\N"], [null, null], ["a\"b", "c"]]);
  await assert.rejects(copyIn(e, "copy f from stdin csv", "a,\"open\n"),
    fails("22P04", "unterminated CSV quoted field"));
  await assert.rejects(copyIn(e, "copy f from stdin (format csv, header match)", "h1,h2\nq,w\n"),
    fails("22P04", "column name mismatch in header line field 1: got \"h1\", expected \"a\"",
      "COPY f, line 1: \"h1,h2\""));
  assert.equal(await copyIn(e, "copy f from stdin (format csv, header match)", "a,b\nq,w\n"),
    "COPY 1");
});

/** The CopyData messages a client would get: each chunk cut at its row ends. */
async function copyOutMessages(e: Engine, sql: string): Promise<Buffer[]> {
  const messages: Buffer[] = [];
  for await (const chunk of e.copyOut(copyStmt(sql), testContext()).chunks()) {
    let start = 0;
    for (const end of chunk.rowEnds) {
      messages.push(Buffer.from(chunk.bytes.subarray(start, end)));
      start = end;
    }
    assert.equal(start, chunk.bytes.length, "the rows cover the chunk");
  }
  return messages;
}

test("COPY TO sends one row per CopyData message, as PostgreSQL does", async () => {
  const e = await newEngine();
  await run(e, "create table r (id int, t text)");
  await run(e, "insert into r values (1, 'ä€'), (2, 'x\ty'), (3, null)");
  const text = await copyOutMessages(e, "copy r to stdout");
  assert.deepEqual(text.map((m) => m.toString("utf8")),
    ["1\tä€\n", "2\tx\\ty\n", "3\t\\N\n"]);
  const csv = await copyOutMessages(e, "copy r (id) to stdout (format csv, header)");
  assert.deepEqual(csv.map((m) => m.toString("utf8")), ["id\n", "1\n", "2\n", "3\n"]);
  // Binary: the 19-byte header rides with the first row; the trailer comes alone.
  const binary = await copyOutMessages(e, "copy (select id from r) to stdout (format binary)");
  assert.deepEqual(binary.map((m) => m.length), [19 + 10, 10, 10, 2]);
  const none = await copyOutMessages(e, "copy (select id from r where false) to stdout "
    + "(format binary)");
  assert.deepEqual(none.map((m) => m.length), [19 + 2]);
});

test("COPY TO: text and csv, column lists, queries, FORCE_QUOTE, HEADER", async () => {
  const e = await newEngine();
  await run(e, "create table ct (a int, b text, c int)");
  await copyIn(e, "copy ct from stdin csv", "5,\"he said \"\"hi\"\"\nnext line\",\n6,,7\n");
  assert.equal(await copyOut(e, "copy ct to stdout"),
    "5\the said \"hi\"\\nnext line\t\\N\n6\t\\N\t7\nCOPY 2");
  assert.equal(await copyOut(e, "copy ct to stdout (format csv, header, force_quote *)"),
    "a,b,c\n\"5\",\"he said \"\"hi\"\"\nnext line\",\n\"6\",,\"7\"\nCOPY 2");
  assert.equal(await copyOut(e, "copy ct (c, a) to stdout (format csv, null 'NULL')"),
    "NULL,5\n7,6\nCOPY 2");
  assert.equal(await copyOut(e, "copy (select 1 as x, 'a,b' as y) to stdout with csv header"),
    "x,y\n1,\"a,b\"\nCOPY 1");
  assert.equal(await copyOut(e, "copy (select 'tab\there', 'back\\slash' where false) to stdout"),
    "COPY 0");
  assert.equal(await copyOut(e,
    "copy (select 'tab\there', 'back\\slash') to stdout (delimiter '|')"),
    "tab\\there|back\\\\slash\nCOPY 1");
});

test("COPY options are checked as Postgres checks them", async () => {
  const e = await newEngine();
  await run(e, "create table ct (a int, b text); create view vv as select 1 as x");
  const cases: [string, string, string][] = [
    ["copy ct from stdin (format csv, delimiter 'ab')", "0A000",
      "COPY delimiter must be a single one-byte character"],
    ["copy ct from stdin (format text, quote '\"')", "0A000",
      "COPY quote available only in CSV mode"],
    ["copy ct from stdin (delimiter '\\')", "22023", "COPY delimiter cannot be \"\\\""],
    ["copy ct (a, a) from stdin", "42701", "column \"a\" specified more than once"],
    ["copy ct (zz) from stdin", "42703", "column \"zz\" of relation \"ct\" does not exist"],
    ["copy ct from stdin (format xml)", "22023", "COPY format \"xml\" not recognized"],
    ["copy ct from stdin (format csv, header, header)", "42601",
      "conflicting or redundant options"],
    ["copy ct to stdout (header match)", "0A000", "cannot use \"match\" with HEADER in COPY TO"],
    ["copy ct from stdin (format csv, delimiter ',', null ',')", "0A000",
      "COPY delimiter must not appear in the NULL specification"],
    ["copy ct to stdout (force_quote (a))", "0A000", "COPY force quote available only in CSV mode"],
    ["copy ct from stdin (bogus true)", "42601", "option \"bogus\" not recognized"],
    ["copy vv to stdout", "42809", "cannot copy from view \"vv\""],
    ["copy ct from stdin (format binary, delimiter ',')", "42601",
      "cannot specify DELIMITER in BINARY mode"],
  ];
  for (const [sql, code, message] of cases) {
    const start = (): unknown => (sql.includes(" from ") ? e.copyIn(copyStmt(sql), testContext())
      : e.copyOut(copyStmt(sql), testContext()));
    assert.throws(start, fails(code, message), sql);
  }
});

test("COPY to and from a server file through prepare", async () => {
  const e = await newEngine();
  const dir = mkdtempSync(join(tmpdir(), "tessera-copy-"));
  writeFileSync(join(dir, "in.csv"), "1,one\n2,two\n");
  await run(e, "create table ft (a int, b text)");
  assert.equal((await run(e, `copy ft from '${join(dir, "in.csv")}' csv`)).tag, "COPY 2");
  assert.equal((await run(e, `copy ft to '${join(dir, "out.txt")}'`)).tag, "COPY 2");
  assert.equal(readFileSync(join(dir, "out.txt"), "utf8"), "1\tone\n2\ttwo\n");
  await assert.rejects(run(e, "copy ft from '/nonexist/x'"),
    fails("58P01", "could not open file \"/nonexist/x\" for reading: No such file or directory"));
  await assert.rejects(run(e, "copy ft to 'relative.txt'"),
    fails("42602", "relative path not allowed for COPY to file"));
});

test("COPY FROM … WHERE filters rows", async () => {
  const e = await newEngine();
  await run(e, "create table w (a int, b text)");
  assert.equal(await copyIn(e, "copy w from stdin where a > 1", "1\tx\n2\ty\n3\tz\n"), "COPY 2");
});

test("COPY FROM into indexed tables: keys in any order, the first duplicate reported", async () => {
  const e = await newEngine();
  await run(e, "create table k (a int primary key, b text unique)");
  await run(e, "insert into k values (500, 'x')");
  const keys = Array.from({ length: 400 }, (_v, i) => (i * 37) % 400);
  const data = keys.map((k) => `${k}\tv${k}\n`).join("");
  assert.equal(await copyIn(e, "copy k from stdin", data), "COPY 400");
  assert.deepEqual((await run(e, "select count(*), min(a), max(a) from k")).rows,
    [["401", "0", "500"]]);
  assert.deepEqual((await run(e, "select b from k where a = 123")).rows, [["v123"]]);
  await assert.rejects(copyIn(e, "copy k from stdin", "1000\ty\n1001\tz\n1002\ty\n999\tx\n"),
    fails("23505", "duplicate key value violates unique constraint \"k_b_key\"", "COPY k, line 3"));
  await assert.rejects(copyIn(e, "copy k from stdin", "2000\tq\n2001\tw\n500\tr\n"),
    fails("23505", "duplicate key value violates unique constraint \"k_pkey\"", "COPY k, line 3"));
  assert.deepEqual((await run(e, "select count(*) from k where a >= 1000")).rows, [["0"]]);
  assert.deepEqual((await run(e, "select a from k where b = 'x'")).rows, [["500"]]);
});
