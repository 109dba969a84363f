import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { makeTid, tidInput, tidOfOrdinal, tidOutput, tidIo } from "./tid.js";
import {
  formatSnapshot, parseId32, parseSnapshot, snapshotIo, strtou64, visibleInSnapshot, xid8Io,
} from "./xact-ids.js";

describe("tid", () => {
  test("reads what Postgres 15's tidin reads", () => {
    const cases: [string, string][] = [
      ["(1,2)", "(1,2)"], ["(,2)", "(0,2)"], ["(1,)", "(1,0)"], ["(-1,2)", "(4294967295,2)"],
      ["ab(1,2)zz", "(1,2)"], ["(1,-0)", "(1,0)"], ["(-2147483648,1)", "(2147483648,1)"],
      ["( 1,2)", "(1,2)"], ["(4294967295,65535)", "(4294967295,65535)"],
    ];
    for (const [text, printed] of cases) assert.equal(tidOutput(tidInput(text)), printed, text);
  });

  test("refuses what tidin refuses, with 22P02", () => {
    for (const text of ["( 1 , 2 )", "(1,2", "(4294967296,1)", "(1,65536)", "(1,2,3)", "1,2)",
      "(-2147483649,1)", "(1,-1)", ""]) {
      assert.throws(() => tidInput(text), { code: "22P02" }, text);
    }
  });

  test("orders by block, then offset; binary round trip", () => {
    assert.ok(makeTid(0, 9) < makeTid(1, 1));
    assert.equal(tidIo.compare(makeTid(2, 3), makeTid(2, 3)), 0);
    const value = makeTid(4294967295, 65535);
    assert.equal(tidIo.receive!(tidIo.send!(value, {} as never), -1, {} as never), value);
  });

  test("ordinals fill 291-version blocks from offset 1", () => {
    assert.equal(tidOutput(tidOfOrdinal(0)), "(0,1)");
    assert.equal(tidOutput(tidOfOrdinal(290)), "(0,291)");
    assert.equal(tidOutput(tidOfOrdinal(291)), "(1,1)");
  });
});

describe("xid, xid8, cid", () => {
  test("read as C's strtoul(…, 0), unchecked, as Postgres 15 reads them", () => {
    assert.equal(parseId32("abc"), 0);
    assert.equal(parseId32("-1"), 4294967295);
    assert.equal(parseId32("0x10"), 16);
    assert.equal(parseId32("010"), 8);
    assert.equal(parseId32(" 12 "), 12);
    assert.equal(parseId32("99999999999"), 1215752191);
    assert.equal(strtou64("18446744073709551616"), 18446744073709551615n);
    assert.equal(strtou64("-1"), 18446744073709551615n);
    assert.equal(strtou64("0x"), 0n);
    assert.equal(xid8Io.output(xid8Io.input("42", -1, {} as never), {} as never), "42");
  });
});

describe("snapshots", () => {
  test("parse, drop duplicates, print canonically", () => {
    assert.equal(formatSnapshot(parseSnapshot("10:20:12,12,13")), "10:20:12,13");
    assert.equal(snapshotIo.input("10:20:", -1, {} as never), "10:20:");
    const parts = parseSnapshot("10:20:12,15");
    assert.deepEqual(parts, { xmin: 10n, xmax: 20n, xip: [12n, 15n] });
    const bytes = snapshotIo.send!("10:20:12,15", {} as never);
    assert.equal(snapshotIo.receive!(bytes, -1, {} as never), "10:20:12,15");
  });

  test("refuse what parse_snapshot refuses", () => {
    for (const text of ["10:20:15,12", "0:20:", "20:10:", "10:20:20", "10:20:9", "10:20",
      "10:20:12;13", "x:20:"]) {
      assert.throws(() => parseSnapshot(text), { code: "22P02" }, text);
    }
  });

  test("visibility: below xmin yes, from xmax no, in between unless running", () => {
    const snapshot = parseSnapshot("10:20:12,15");
    assert.equal(visibleInSnapshot(9n, snapshot), true);
    assert.equal(visibleInSnapshot(12n, snapshot), false);
    assert.equal(visibleInSnapshot(13n, snapshot), true);
    assert.equal(visibleInSnapshot(20n, snapshot), false);
  });
});
