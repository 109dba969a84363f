import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultFormatContext } from "../context.js";
import { parseTimestamp } from "./timestamp.js";
import { parseIsoTimestamp } from "./timestamp-fast.js";

const berlin = { ...defaultFormatContext, timeZone: "Europe/Berlin" };

/** A leading space keeps text off the fast path, so the general decoder reads it. */
function general(text: string, withZone: boolean): bigint | string {
  try {
    return parseTimestamp(` ${text}`, berlin, withZone);
  } catch (error) {
    return (error as Error).message.replace(`" ${text}"`, `"${text}"`);
  }
}

function fast(text: string, withZone: boolean): bigint | string {
  try {
    return parseTimestamp(text, berlin, withZone);
  } catch (error) {
    return (error as Error).message;
  }
}

test("ISO timestamps read the same on the fast path", () => {
  let seed = 11;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const two = (n: number): string => String(n).padStart(2, "0");
  const zones = ["", "+00", "-05", "+05:30", "+0530", "+15:59", "-16", "+1", "Z", " UTC"];
  for (let round = 0; round < 4000; round++) {
    const date = `${1000 + random(9000)}-${two(random(14))}-${two(random(33))}`;
    const time = `${two(random(26))}:${two(random(62))}:${two(random(62))}`;
    const fraction = ["", ".", ".5", ".123456", ".1234567", ".000"][random(6)]!;
    const text = `${date}${random(5) === 0 ? "T" : " "}${time}${fraction}${zones[random(10)]}`;
    for (const withZone of [false, true]) {
      assert.deepEqual(fast(text, withZone), general(text, withZone), `${text} ${withZone}`);
    }
  }
});

test("the fast path leaves what it cannot be sure of to the decoder", () => {
  assert.equal(parseIsoTimestamp("2024-01-01 00:00:01", true), undefined);
  assert.equal(parseIsoTimestamp("2024-02-30 00:00:01+00", true), undefined);
  assert.equal(parseIsoTimestamp("2024-01-01 24:00:00+00", true), undefined);
  assert.equal(parseIsoTimestamp("2024-01-01 00:00:01.1234567+00", false), undefined);
  assert.equal(parseIsoTimestamp("0999-01-01 00:00:01", false), undefined);
  assert.equal(parseIsoTimestamp("2024-01-01 00:00:01+00", true), 757_382_401_000_000n);
});
