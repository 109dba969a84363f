/**
 * String, LIKE and regular-expression functions against PostgreSQL 15's printed results.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSqlError } from "@tessera/base";
import { call, n, opText, srfText, text } from "./test-util.js";
import { T } from "./type-oids.js";

const t1 = [T.text];
const t2 = [T.text, T.text];
const t3 = [T.text, T.text, T.text];

test("basic string functions", () => {
  const cases: [string, number[], (string | number)[], string][] = [
    ["length", t1, ["héllo"], "5"],
    ["octet_length", t1, ["héllo"], "6"],
    ["lower", t1, ["ÀBC"], "Àbc"],
    ["upper", t1, ["abc"], "ABC"],
    ["initcap", t1, ["hello wORLD-foo bar_baz"], "Hello World-Foo Bar_Baz"],
    ["initcap", t1, ["ünïcödé"], "üNïCöDé"],
    ["octet_length", [T.bpchar], ["Ünï  "], "7"],
    ["substr", [T.text, T.int4, T.int4], ["hello", 2, 3], "ell"],
    ["substr", [T.text, T.int4, T.int4], ["hello", -1, 3], "h"],
    ["substring", [T.text, T.int4], ["hello", 3], "llo"],
    ["position", t2, ["hello", "lo"], "4"],
    ["btrim", t2, ["xxhixx", "x"], "hi"],
    ["ltrim", t1, ["  hi  "], "hi  "],
    ["rtrim", t1, ["  hi  "], "  hi"],
    ["replace", t3, ["abcabc", "b", "XY"], "aXYcaXYc"],
    ["split_part", [T.text, T.text, T.int4], ["a,b,c", ",", 2], "b"],
    ["split_part", [T.text, T.text, T.int4], ["a,b,c", ",", -1], "c"],
    ["left", [T.text, T.int4], ["hello", -2], "hel"],
    ["right", [T.text, T.int4], ["hello", 2], "lo"],
    ["lpad", [T.text, T.int4, T.text], ["hi", 5, "xy"], "xyxhi"],
    ["rpad", [T.text, T.int4], ["hello", 3], "hel"],
    ["repeat", [T.text, T.int4], ["ab", 3], "ababab"],
    ["md5", t1, ["abc"], "900150983cd24fb0d6963f7d28e17f72"],
    ["reverse", t1, ["abc"], "cba"],
    ["ascii", t1, ["A"], "65"],
    ["chr", [T.int4], [65], "A"],
    ["translate", t3, ["12345", "143", "ax"], "a2x5"],
    ["quote_ident", t1, ["Foo bar"], '"Foo bar"'],
    ["quote_ident", t1, ["select"], '"select"'],
    ["quote_ident", t1, ["abc"], "abc"],
    ["quote_literal", t1, ["O'Re\\illy"], "E'O''Re\\\\illy'"],
    ["to_hex", [T.int4], [-1], "ffffffff"],
  ];
  for (const [name, types, args, expected] of cases) {
    assert.equal(text(name, types, args), expected, `${name}(${args.join(", ")})`);
  }
  assert.equal(text("to_hex", [T.int8], [255n]), "ff");
  assert.equal(text("quote_nullable", t1, [null]), "NULL");
  assert.equal(text("encode", [T.bytea, T.text], [new Uint8Array([97, 98, 99]), "base64"]), "YWJj");
  assert.equal(
    text("encode", [T.bytea, T.text], [new Uint8Array([0, 255]), "escape"]),
    "\\000\\377",
  );
});

test("concat, concat_ws and format print any type", () => {
  assert.equal(
    text(
      "concat",
      [T.any],
      ["a", null, 1, n("2.50"), true],
      [T.text, T.text, T.int4, T.numeric, T.bool],
    ),
    "a12.50t",
  );
  assert.equal(
    text("concat_ws", [T.text, T.any], [",", "a", null, "b"], [T.text, T.text, T.text, T.text]),
    "a,b",
  );
  assert.equal(
    text(
      "format",
      [T.text, T.any],
      ["%s|%I|%L|%%|%2$s|%-5s|%5s", "x", "Y z", null, "ab", "cd"],
      [T.text, T.text, T.text, T.text, T.text, T.text],
    ),
    'x|"Y z"|NULL|%|Y z|     |   ab',
  );
  assert.equal(text("format", [T.text, T.any], ["%L", "it's"], [T.text, T.text]), "'it''s'");
});

test("LIKE and ILIKE", () => {
  assert.equal(opText("~~", T.text, T.text, "ab", "a%"), "t");
  assert.equal(opText("~~", T.text, T.text, "ab", "A%"), "f");
  assert.equal(opText("~~*", T.text, T.text, "ab", "A%"), "t");
  assert.equal(opText("~~", T.text, T.text, "a_c", "a\\_c"), "t");
  assert.equal(opText("~~", T.text, T.text, "abc", "a\\_c"), "f");
  assert.equal(text("like_escape", t2, ["a#_c", "#"]), "a\\_c");
  assert.equal(opText("~~", T.text, T.text, "a\nb", "a_b"), "t");
});

test("regular expressions", () => {
  assert.equal(opText("~", T.text, T.text, "abc", "^a.c$"), "t");
  assert.equal(opText("~*", T.text, T.text, "ABC", "b"), "t");
  assert.equal(opText("~", T.text, T.text, "foo bar", "\\mbar\\M"), "t");
  assert.equal(opText("~", T.text, T.text, "x", "[[:alpha:]]"), "t");
  assert.equal(text("regexp_match", t2, ["foobarbequebaz", "(bar)(beque)"]), "{bar,beque}");
  assert.equal(text("regexp_match", t2, ["a.b", "\\."]), "{.}");
  assert.equal(text("regexp_replace", t3, ["Thomas", ".[mN]a.", "M"]), "ThM");
  assert.equal(
    text("regexp_replace", [T.text, T.text, T.text, T.text], ["abcabc", "b", "X", "g"]),
    "aXcaXc",
  );
  assert.equal(
    text("regexp_replace", t3, ["hello world", "(\\w+) (\\w+)", "\\2 \\1"]),
    "world hello",
  );
  assert.equal(
    text("regexp_split_to_array", t2, ["hello world  foo", "\\s+"]),
    "{hello,world,foo}",
  );
  assert.equal(text("regexp_split_to_array", t2, ["abc", ""]), "{a,b,c}");
  assert.equal(text("substring", t2, ["foobar", "o(.)b"]), "o");
  assert.equal(text("regexp_count", t2, ["ababab", "ab"]), "3");
  assert.deepEqual(
    srfText("regexp_matches", t3, ["foobarbequebazbar", "ba(.)", "g"], T.textArray),
    ["{r}", "{z}", "{r}"],
  );
});

test("parse_ident splits qualified names as PostgreSQL does", () => {
  const one = [T.text, T.bool];
  assert.equal(text("parse_ident", one, ["Schemax.Tabley", true]), "{schemax,tabley}");
  assert.equal(text("parse_ident", one, [' "Sch""X" . tab ', true]), '{"Sch\\"X",tab}');
  assert.equal(text("parse_ident", [T.text, T.bool], ["foo.boo[]", false]), "{foo,boo}");
  for (const bad of ["foo.boo[]", " ", 'a."b', "a.", ".a", '""']) {
    assert.throws(() => call("parse_ident", one, [bad, true]),
      (e: unknown) => isSqlError(e) && e.code === "22023" &&
        e.message === `string is not a valid identifier: "${bad}"`);
  }
});

test("format widths from arguments and over-long results", () => {
  assert.equal(text("format", [T.text, T.any], [">>%*1$s<<", 6, "ab"], [T.text, T.int4, T.text]),
    ">>    ab<<");
  assert.throws(() => call("format", [T.text, T.any], ["%*0$s", "x"], [T.text, T.text]),
    (e: unknown) => isSqlError(e) && e.code === "22023");
  assert.throws(() => call("repeat", [T.text, T.int4], ["ab", 1073741824]),
    (e: unknown) => isSqlError(e) && e.code === "54000");
  assert.throws(() => call("lpad", [T.text, T.int4], ["ab", 2147483647]),
    (e: unknown) => isSqlError(e) && e.code === "54000");
  assert.equal(text("notlike", [T.text, T.text], ["abc", "a%"]), "f");
  assert.equal(text("texticregexeq", [T.text, T.text], ["ABC", "b"]), "t");
});

test("regular expressions: C-locale \\s, backreferences, collating names, directors", () => {
  const two = [T.text, T.text];
  assert.equal(opText("~", T.text, T.text, "a\u00a0b", "a\\sb"), "f");
  assert.equal(opText("~", T.text, T.text, "a\tb", "a[\\s]b"), "t");
  assert.equal(text("regexp_match", [T.text, T.text, T.text], ["aBcAbC", "(a)(b)(c)\\1\\2\\3",
    "i"]), "{a,B,c}");
  assert.equal(text("regexp_match", two, ["a.b", "[[.period.]]"]), "{.}");
  assert.equal(text("regexp_match", two, ["a.b", "***=a.b"]), "{a.b}");
  assert.equal(text("regexp_match", two, ["ab", "***:a.b"]), null);
  for (const [pattern, reason] of [["\\1(a)", "invalid backreference number"],
    ["(?z)a", "invalid embedded option"]]) {
    assert.throws(() => call("regexp_match", two, ["abc", pattern!]),
      (e: unknown) => isSqlError(e) && e.code === "2201B" &&
        e.message === `invalid regular expression: ${reason}`);
  }
});
