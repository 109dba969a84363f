import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext } from "./context.js";
import {
  macaddr8Io, macaddr8ToMacaddr, macaddrIo, parseMacaddr, parseMacaddr8,
} from "./macaddr.js";
import { formatMoney, moneyIo, numericToMoney, parseMoney } from "./money.js";
import { Decimal } from "decimal.js";

const ctx = defaultFormatContext;

describe("macaddr", () => {
  test("reads every form macaddr_in reads (checked against PostgreSQL 15)", () => {
    for (const text of ["08:00:2b:01:02:03", "08-00-2B-01-02-03", "08002b:010203",
      "08002b-010203", "0800.2b01.0203", "0800-2b01-0203", "08002b010203",
      "  08:00:2b:01:02:03  ", "8:0:2b:1:2:3", "0x8:0:2b:1:2:3"]) {
      assert.equal(parseMacaddr(text), "08:00:2b:01:02:03", text);
    }
  });

  test("refuses with 22P02, and octets out of range with 22003", () => {
    for (const text of ["08:00:2b:01:02", "08:00:2b:01:02:03:04", "zz:00:2b:01:02:03",
      "08:00-2b:01:02:03", ""]) {
      assert.throws(() => parseMacaddr(text), { code: "22P02" }, text);
    }
    for (const text of ["08:00:2b:01:02:100", "08:00:2b:01:02:-1"]) {
      assert.throws(() => parseMacaddr(text), { code: "22003" }, text);
    }
  });

  test("macaddr8 reads 6 or 8 bytes with one separator kind", () => {
    assert.equal(parseMacaddr8("08:00:2b:01:02:03"), "08:00:2b:ff:fe:01:02:03");
    assert.equal(parseMacaddr8("0800.2b01.0203.0405"), "08:00:2b:01:02:03:04:05");
    assert.equal(parseMacaddr8(" 08-00-2B-01-02-03-04-05 "), "08:00:2b:01:02:03:04:05");
    for (const text of ["08:00:2b:01:02:03:04", "08:00-2b:01:02:03:04:05",
      "08:00:2b:01:02:03 x", "0:00:2b:01:02:03"]) {
      assert.throws(() => parseMacaddr8(text), { code: "22P02" }, text);
    }
    assert.throws(() => macaddr8ToMacaddr("08:00:2b:01:02:03:04:05"), { code: "22003" });
  });

  test("orders bytewise; binary round trip", () => {
    assert.ok(macaddrIo.compare("08:00:2b:01:02:03", "0a:00:00:00:00:00") < 0);
    const bytes = macaddrIo.send!("08:00:2b:01:02:03", ctx);
    assert.deepEqual([...bytes], [8, 0, 0x2b, 1, 2, 3]);
    assert.equal(macaddrIo.receive!(bytes, -1, ctx), "08:00:2b:01:02:03");
    const eight = "08:00:2b:01:02:03:04:05";
    assert.equal(macaddr8Io.receive!(macaddr8Io.send!(eight, ctx), -1, ctx), eight);
    assert.throws(() => macaddrIo.receive!(new Uint8Array(5), -1, ctx));
  });
});

describe("money", () => {
  test("reads as cash_in under lc_monetary C", () => {
    const cases: [string, string][] = [["1234.56", "$1,234.56"], ["(12.3)", "-$12.30"],
      ["$-1,2,3.456", "-$123.46"], ["12.345", "$12.35"], ["-12.345", "-$12.35"],
      [" 12 ", "$12.00"], ["", "$0.00"], ["$ 5 $", "$5.00"], ["12.3-", "-$12.30"],
      ["-92233720368547758.08", "-$92,233,720,368,547,758.08"]];
    for (const [text, printed] of cases) assert.equal(formatMoney(parseMoney(text)), printed, text);
    for (const text of ["1e3", "1.2.3", "abc"]) {
      assert.throws(() => parseMoney(text), { code: "22P02" }, text);
    }
    assert.throws(() => parseMoney("92233720368547758.08"), { code: "22003" });
  });

  test("numeric conversion rounds half away from zero; binary is int8", () => {
    assert.equal(numericToMoney(new Decimal("1.005")), 101n);
    assert.equal(numericToMoney(new Decimal("-1.005")), -101n);
    assert.throws(() => numericToMoney(new Decimal(NaN)), { code: "0A000" });
    assert.equal(moneyIo.receive!(moneyIo.send!(-123n, ctx), -1, ctx), -123n);
  });
});
