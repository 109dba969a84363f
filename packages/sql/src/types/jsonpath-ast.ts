/**
 * The jsonpath tree (PostgreSQL's JsonPathItem chain, as a tree) and its canonical printing,
 * as jsonpath_out: keys quoted, filters without spaces, binary operators parenthesised by
 * priority, the whole expression parenthesised at top level.
 *
 *   '$.a > 1'                  -> ($."a" > 1)
 *   'strict $.a[1 to last, 2]' -> strict $."a"[1 to last,2]
 */
import type { Decimal } from "decimal.js";
import { formatJsonb } from "./jsonb.js";
import { formatNumeric } from "./numeric.js";

export type JpBinOp =
  | "&&" | "||" | "==" | "!=" | "<" | ">" | "<=" | ">=" | "starts with"
  | "+" | "-" | "*" | "/" | "%";

export type JpNode =
  | { readonly k: "root" }
  | { readonly k: "current" }
  | { readonly k: "last" }
  | { readonly k: "var"; readonly name: string }
  | { readonly k: "num"; readonly v: Decimal }
  | { readonly k: "str"; readonly v: string }
  | { readonly k: "bool"; readonly v: boolean }
  | { readonly k: "null" }
  | { readonly k: "bin"; readonly op: JpBinOp; readonly l: JpNode; readonly r: JpNode }
  | { readonly k: "unary"; readonly op: "+" | "-"; readonly arg: JpNode }
  | { readonly k: "not"; readonly arg: JpNode }
  | { readonly k: "isUnknown"; readonly arg: JpNode }
  | { readonly k: "exists"; readonly arg: JpNode }
  | { readonly k: "like"; readonly arg: JpNode; readonly pattern: string; readonly flags: string }
  | { readonly k: "chain"; readonly head: JpNode; readonly steps: readonly JpStep[] };

export interface JpSubscript {
  readonly from: JpNode;
  readonly to?: JpNode;
}

/** `last` in `.**{…}` bounds is this value, PG_UINT32_MAX. */
export const JP_ANY_LAST = 4294967295;

export type JpMethod =
  "type" | "size" | "double" | "ceiling" | "floor" | "abs" | "keyvalue" | "datetime";

export type JpStep =
  | { readonly k: "key"; readonly name: string }
  | { readonly k: "anyKey" }
  | { readonly k: "anyArray" }
  | { readonly k: "index"; readonly subs: readonly JpSubscript[] }
  | { readonly k: "any"; readonly first: number; readonly last: number }
  | { readonly k: "filter"; readonly pred: JpNode }
  | { readonly k: "method"; readonly name: JpMethod; readonly arg?: string };

/** A parsed jsonpath: its mode and expression. */
export interface JsonPath {
  readonly lax: boolean;
  readonly expr: JpNode;
}

/** Prints a jsonpath as PostgreSQL's jsonpath_out. */
export function printJsonPath(path: JsonPath): string {
  return (path.lax ? "" : "strict ") + printNode(path.expr, true);
}

function quote(s: string): string {
  return formatJsonb(s);
}

/** operationPriority() of jsonpath.c. */
function priority(node: JpNode): number {
  if (node.k === "bin") {
    switch (node.op) {
      case "||": return 0;
      case "&&": return 1;
      case "+": case "-": return 3;
      case "*": case "/": case "%": return 4;
      default: return 2;
    }
  }
  if (node.k === "chain") return priority(node.head);
  return node.k === "unary" ? 5 : 6;
}

function child(node: JpNode, parent: JpNode): string {
  return printNode(node, priority(node) <= priority(parent));
}

function printNode(node: JpNode, brackets: boolean): string {
  const wrap = (s: string): string => (brackets ? `(${s})` : s);
  switch (node.k) {
    case "root": return "$";
    case "current": return "@";
    case "last": return "last";
    case "var": return "$" + quote(node.name);
    case "num": return formatNumeric(node.v);
    case "str": return quote(node.v);
    case "bool": return node.v ? "true" : "false";
    case "null": return "null";
    case "bin": return wrap(`${child(node.l, node)} ${node.op} ${child(node.r, node)}`);
    case "unary": return wrap(node.op + child(node.arg, node));
    case "not": return `!(${printNode(node.arg, false)})`;
    case "isUnknown": return `(${printNode(node.arg, false)}) is unknown`;
    case "exists": return `exists (${printNode(node.arg, false)})`;
    case "like": {
      const flags = node.flags === "" ? "" : ` flag "${node.flags}"`;
      return wrap(`${child(node.arg, node)} like_regex ${quote(node.pattern)}${flags}`);
    }
    case "chain": {
      const head = node.head.k === "num" ? `(${printNode(node.head, false)})`
        : printNode(node.head, brackets);
      return head + node.steps.map(printStep).join("");
    }
  }
}

function printStep(step: JpStep): string {
  switch (step.k) {
    case "key": return "." + quote(step.name);
    case "anyKey": return ".*";
    case "anyArray": return "[*]";
    case "index": {
      const subs = step.subs.map((s) => printNode(s.from, false)
        + (s.to === undefined ? "" : " to " + printNode(s.to, false)));
      return `[${subs.join(",")}]`;
    }
    case "any": return "." + printAny(step.first, step.last);
    case "filter": return `?(${printNode(step.pred, false)})`;
    case "method":
      return `.${step.name}(${step.arg === undefined ? "" : quote(step.arg)})`;
  }
}

function printAny(first: number, last: number): string {
  const level = (n: number): string => (n === JP_ANY_LAST ? "last" : String(n));
  if (first === 0 && last === JP_ANY_LAST) return "**";
  if (first === last) return `**{${level(first)}}`;
  return `**{${level(first)} to ${level(last)}}`;
}
