/**
 * parse_ident(text [, strict boolean]): splits a qualified SQL identifier into its names, as
 * PostgreSQL's misc.c does. Unquoted names fold ASCII letters to lower case, quoted names keep
 * their case with `""` read as one quote; nothing is truncated to NAMEDATALEN.
 *
 *   parse_ident('Sch."Tab"')   -> {sch,Tab}
 *   parse_ident('a.b[]', false) -> {a,b}   (non-strict: trailing junk after a name is ignored)
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ScalarFunction } from "./defs.js";
import { fn, str } from "./builders.js";
import { makeArray } from "./array-util.js";
import { T } from "./type-oids.js";

const isSpace = (ch: string | undefined): boolean =>
  ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || ch === "\f";
const isIdentStart = (ch: string | undefined): boolean =>
  ch !== undefined && (/[A-Za-z_]/.test(ch) || ch.charCodeAt(0) >= 0x80);
const isIdentCont = (ch: string | undefined): boolean =>
  isIdentStart(ch) || (ch !== undefined && /[0-9$]/.test(ch));

function notIdentifier(input: string, detail?: string): SqlError {
  return new SqlError(SqlState.invalidParameterValue,
    `string is not a valid identifier: "${input}"`, detail === undefined ? {} : { detail });
}

/** Reads the quoted name whose opening quote is at `at`; returns it and the index after. */
function quotedName(input: string, at: number): [string, number] {
  let name = "";
  let i = at + 1;
  for (;;) {
    const close = input.indexOf("\"", i);
    if (close < 0) throw notIdentifier(input, "String has unclosed double quotes.");
    name += input.slice(i, close);
    if (input[close + 1] !== "\"") {
      i = close + 1;
      break;
    }
    name += "\"";
    i = close + 2;
  }
  if (name === "") throw notIdentifier(input, "Quoted identifier must not be empty.");
  return [name, i];
}

/** The names of a qualified identifier. */
export function parseIdent(input: string, strict: boolean): string[] {
  const names: string[] = [];
  let i = 0;
  let afterDot = false;
  while (isSpace(input[i])) i++;
  for (;;) {
    if (input[i] === "\"") {
      const [name, next] = quotedName(input, i);
      names.push(name);
      i = next;
    } else if (isIdentStart(input[i])) {
      const start = i++;
      while (isIdentCont(input[i])) i++;
      names.push(input.slice(start, i).replace(/[A-Z]+/g, (m) => m.toLowerCase()));
    } else if (input[i] === ".") {
      throw notIdentifier(input, "No valid identifier before \".\".");
    } else {
      throw afterDot ? notIdentifier(input, "No valid identifier after \".\".")
        : notIdentifier(input);
    }
    while (isSpace(input[i])) i++;
    if (input[i] === ".") {
      afterDot = true;
      i++;
      while (isSpace(input[i])) i++;
    } else if (i >= input.length) {
      break;
    } else {
      if (strict) throw notIdentifier(input);
      break;
    }
  }
  return names;
}

export function identFunctions(): ScalarFunction[] {
  return [
    fn("parse_ident", [T.text, T.bool], T.textArray, (a) =>
      makeArray(T.text, parseIdent(str(a[0]!), a[1] === undefined ? true : a[1] === true)),
    { defaults: [true], argNames: ["str", "strict"] }),
  ];
}
