/**
 * Fused casts: closures for cast shapes common enough to skip their intermediate value.
 *
 * `(payload ->> 'humidity')::numeric` would print the member's number to text and parse the
 * text back, per row. The fused closure reads the jsonb object's member directly: a JSON
 * number is the Decimal jsonb input already parsed with numeric input, display scale and all,
 * so it is returned as stored; a JSON string goes through numeric input (the cast's own
 * function); JSON null or a missing member is SQL NULL. Anything else (a non-object, a number
 * without a display scale, a negative zero, a nested container) takes the original path, text
 * then numeric input, with its errors.
 */
import {
  JsonbTextObject, type Jsonb, type Row, type ScaledDecimal, type Value,
} from "@tessera/sql";
import type { Expr } from "../analyze/expr.js";
import type { Runtime } from "./runtime.js";

type Compiled = (row: Row, rt: Runtime) => Value;

/** Whether a cast carries a fusion `compileFusedCast` knows how to build. */
export function isFusableCast(expr: Expr & { kind: "cast" }): boolean {
  if (expr.fusion !== "jsonbFieldNumeric") return false;
  // The arg may have been rewritten since analysis (a grouped column, say): check its shape.
  const arg = expr.arg;
  if (arg.kind !== "call" || arg.name !== "->>" || arg.args.length !== 2) return false;
  const key = arg.args[1]!;
  return key.kind === "const" && typeof key.value === "string";
}

/**
 * Builds the fused closure of a cast `isFusableCast` accepted. `compile` compiles a child
 * expression; `original` is the unfused closure, the fallback.
 */
export function compileFusedCast(
  expr: Expr & { kind: "cast" },
  compile: (e: Expr) => Compiled,
  original: Compiled,
): Compiled {
  const call = expr.arg as Expr & { kind: "call" };
  const json = compile(call.args[0]!);
  const key = (call.args[1] as Expr & { kind: "const" }).value as string;
  const fn = expr.fn;
  return (row, rt) => {
    const doc = json(row, rt) as Jsonb;
    if (doc === null || typeof doc !== "object" || !("kind" in doc) || doc.kind !== "object") {
      return original(row, rt);
    }
    let member: Jsonb | undefined;
    if (doc instanceof JsonbTextObject) member = doc.member(key);
    else {
      const entries = doc.entries;
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]!;
        if (entry[0] === key) {
          member = entry[1];
          break;
        }
      }
    }
    if (member === undefined) return null;
    if (typeof member === "string") return fn(member, rt.ctx);
    if (member !== null && typeof member === "object" && "kind" in member) {
      if (member.kind === "null") return null;
      if (member.kind === "number") {
        const value = member.value;
        const exact = (value as ScaledDecimal).dscale !== undefined;
        if (exact && !(value.isZero() && value.isNegative())) return value;
      }
    }
    return original(row, rt);
  };
}
