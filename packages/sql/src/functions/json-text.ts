/**
 * json (text) output of SQL values, as to_json, row_to_json, json_build_* and json_agg print
 * them: like jsonb's conversion, but the text keeps field order and PostgreSQL's json
 * spacing (`{"a":1,"b":[1,2]}` for rows and arrays).
 */
import type { Jsonb, PgArray, PgRecord, Value } from "../types/value.js";
import { isArray, isRecord, jsonbToText, jsonString } from "./text-out.js";
import { toJsonb } from "./jsonb-util.js";
import { T } from "./type-oids.js";

/**
 * Returns the json text of a value of type `type`; `pretty` (array_to_json, row_to_json)
 * breaks the line after each top-level element of an array or row.
 */
export function jsonTextOf(v: Value, type: number, zone: string, pretty: boolean): string {
  if (v === null) return "null";
  if (type === T.json) return v as string;
  const separator = pretty ? ",\n " : ",";
  if (isArray(v)) return arrayText(v, zone, separator);
  if (isRecord(v)) return recordText(v, zone, separator);
  const j: Jsonb = toJsonb(v, type, zone);
  return typeof j === "string" ? jsonString(j) : jsonbToText(j);
}

function arrayText(a: PgArray, zone: string, topSeparator: string): string {
  let index = 0;
  const build = (dim: number): string => {
    const out: string[] = [];
    for (let i = 0; i < (a.dims[dim] ?? 0); i++) {
      out.push(
        dim === a.dims.length - 1
          ? jsonTextOf(a.items[index++] ?? null, a.elementType, zone, false)
          : build(dim + 1),
      );
    }
    return `[${out.join(dim === 0 ? topSeparator : ",")}]`;
  };
  return a.dims.length === 0 ? "[]" : build(0);
}

function recordText(r: PgRecord, zone: string, separator: string): string {
  const parts = r.fields.map(
    (f, i) =>
      jsonString(r.names?.[i] ?? `f${i + 1}`) +
      ":" +
      jsonTextOf(f, r.types[i] ?? T.text, zone, false),
  );
  return `{${parts.join(separator)}}`;
}
