/**
 * JSON objects to rows (PostgreSQL's jsonfuncs.c populate_record): jsonb_to_record(set) and
 * json_to_record(set), whose columns come from the caller's column definition list, and
 * jsonb_populate_record(set) / json_populate_record(set), whose columns are the first
 * argument's row type. Both arrive as `CallInfo.resultColumns`.
 *
 * Each column takes the object's key of its name: JSON null or a missing key gives null (or
 * the base row's value when populating); json and jsonb columns take the value itself; array
 * columns take JSON arrays element by element; other types read the value's text through their
 * input function, a JSON string without its quotes:
 *
 *   jsonb_to_record('{"a": 1, "b": "x", "c": [1]}') AS t(a int, b text, c jsonb) -> (1, x, [1])
 */
import { SqlError, SqlState } from "@tessera/base";
import { typeByOid } from "../types/registry.js";
import type { FormatContext } from "../types/context.js";
import { formatJsonb, parseJsonb } from "../types/jsonb.js";
import type { Jsonb, PgArray, PgRecord, Value } from "../types/value.js";
import type { CallInfo, EvalContext, FunctionDef, ResultColumn } from "./defs.js";
import { fn, srf } from "./builders.js";
import { parseJsonSpans } from "./json-ops.js";
import { isJsonArray, isJsonNull, isJsonObject } from "./jsonb-util.js";
import { T } from "./type-oids.js";

export function jsonbRecordFunctions(): FunctionDef[] {
  const defs: FunctionDef[] = [];
  for (const [kind, type] of [["jsonb", T.jsonb], ["json", T.json]] as const) {
    const read = (v: Value): Jsonb => (kind === "json" ? parseJsonb(v as string) : v as Jsonb);
    const raw = (v: Value): RawFields | undefined => (kind === "json" ? rawFieldsOf(v as string)
      : undefined);
    const toRecord = `${kind}_to_record`;
    const toSet = `${kind}_to_recordset`;
    const populate = `${kind}_populate_record`;
    const populateSet = `${kind}_populate_recordset`;
    defs.push(
      fn(toRecord, [type], T.record, (a, ctx, call) =>
        rowOf(objectArg(read(a[0]!), toRecord), null, call, ctx, raw(a[0]!)?.[0])),
      srf(toSet, [type], T.record, (a, ctx, call) =>
        elementRows(read(a[0]!), toSet, null, call, ctx, raw(a[0]!))),
      fn(populate, [T.anyelement, type], T.anyelement, (a, ctx, call) =>
        (a[1] === null || a[1] === undefined ? a[0] ?? null
          : rowOf(objectArg(read(a[1]), populate), baseRow(a[0]), call, ctx, raw(a[1])?.[0])),
      { strict: false }),
      srf(populateSet, [T.anyelement, type], T.anyelement, (a, ctx, call) =>
        (a[1] === null || a[1] === undefined ? []
          : elementRows(read(a[1]), populateSet, baseRow(a[0]), call, ctx, raw(a[1]))),
      { strict: false }),
    );
  }
  return defs;
}

function baseRow(v: Value | undefined): PgRecord | null {
  return v === null || v === undefined ? null : v as PgRecord;
}

function objectArg(j: Jsonb, name: string): Jsonb {
  if (isJsonArray(j)) {
    throw new SqlError(SqlState.invalidParameterValue, `cannot call ${name} on an array`);
  }
  if (!isJsonObject(j)) {
    throw new SqlError(SqlState.invalidParameterValue, `cannot call ${name} on a scalar`);
  }
  return j;
}

/**
 * json keeps its text: the source text of each member of an object (or, for an array, of each
 * element object), so a json column or a non-string value reads what was written.
 */
type RawFields = (ReadonlyMap<string, string> | undefined)[];

function rawFieldsOf(text: string): RawFields {
  const members = (n: ReturnType<typeof parseJsonSpans>): ReadonlyMap<string, string> | undefined =>
    (n.kind === "object" ? new Map(n.members.map(([k, v]) => [k, v.raw])) : undefined);
  const root = parseJsonSpans(text);
  return root.kind === "array" ? root.items.map(members) : [members(root)];
}

function* elementRows(j: Jsonb, name: string, base: PgRecord | null, call: CallInfo,
  ctx: EvalContext, raws?: RawFields): Generator<PgRecord> {
  if (!isJsonArray(j)) {
    throw new SqlError(SqlState.invalidParameterValue, `cannot call ${name} on a non-array`);
  }
  for (const [i, element] of j.entries()) {
    if (!isJsonObject(element)) {
      throw new SqlError(SqlState.invalidParameterValue,
        `argument of ${name} must be an array of objects`);
    }
    yield rowOf(element, base, call, ctx, raws?.[i]);
  }
}

/** Builds the row the object `j` gives for the call's result columns. */
function rowOf(j: Jsonb, base: PgRecord | null, call: CallInfo, ctx: EvalContext,
  raws?: ReadonlyMap<string, string>): PgRecord {
  const columns = call.resultColumns ?? baseColumns(base, call);
  const entries = isJsonObject(j) ? new Map(j.entries) : new Map<string, Jsonb>();
  const fctx = formatContextOf(ctx);
  const fields = columns.map((c, i) => {
    const value = entries.get(c.name);
    if (value === undefined) return base?.fields[i] ?? null;
    const rawText = raws?.get(c.name);
    if (rawText !== undefined && typeof value !== "string" && !isJsonNull(value)
      && c.type !== T.jsonb && typeByOid(c.type)?.category !== "A") {
      return c.type === T.json ? rawText : jsonToValue(rawText, c, fctx);
    }
    return jsonToValue(value, c, fctx);
  });
  return { kind: "record", fields, types: columns.map((c) => c.type),
    names: columns.map((c) => c.name) };
}

/**
 * Without a column definition list or a named row type, the columns of an anonymous base row
 * (`jsonb_populate_record(row(1, 2), …)` has f1 and f2); a null base has none to give.
 */
function baseColumns(base: PgRecord | null, call: CallInfo): readonly ResultColumn[] {
  if (base === null) {
    if (call.argTypes.length === 2) {
      throw new SqlError(SqlState.featureNotSupported,
        "could not determine row type for result of a populate_record call");
    }
    throw new SqlError(SqlState.syntaxError,
      "a column definition list is required for functions returning \"record\"");
  }
  return base.types.map((type, i) => ({ name: base.names?.[i] ?? `f${i + 1}`, type,
    typmod: -1 }));
}

/** Converts one JSON value to a column's type, as populate_record_field. */
export function jsonToValue(j: Jsonb, column: { type: number; typmod: number },
  fctx: FormatContext): Value {
  if (isJsonNull(j)) return null;
  if (column.type === T.jsonb) return j;
  if (column.type === T.json) return formatJsonb(j);
  const type = typeByOid(column.type);
  if (type === undefined) {
    throw new SqlError(SqlState.featureNotSupported,
      `populating a column of type with OID ${column.type} from json is not supported`);
  }
  if (type.category === "A" && isJsonArray(j)) {
    return jsonToArray(j, type.elementOid, column.typmod, fctx);
  }
  if (type.category === "C" && typeof j !== "string") {
    if (isJsonObject(j)) {
      throw new SqlError(SqlState.featureNotSupported,
        "populating a composite-typed field from a JSON object is not supported");
    }
    throw new SqlError(SqlState.invalidParameterValue,
      `cannot call populate_composite on ${isJsonArray(j) ? "an array" : "a scalar"}`);
  }
  const text = typeof j === "string" ? j : formatJsonb(j);
  return type.input(text, column.typmod, fctx);
}

function jsonToArray(j: readonly Jsonb[], elementType: number, typmod: number,
  fctx: FormatContext): PgArray {
  const dims: number[] = [];
  for (let level: Jsonb = j; isJsonArray(level); level = level[0] ?? null) {
    dims.push(level.length);
    if (level.length === 0) break;
  }
  const items: Value[] = [];
  const walk = (node: Jsonb, depth: number): void => {
    // As populate_array_dim_jsonb: the innermost level takes any JSON value as an element.
    const nested = depth < dims.length;
    if (nested && (!isJsonArray(node) || node.length !== dims[depth])) {
      throw new SqlError(SqlState.invalidTextRepresentation, "malformed JSON array", {
        detail: "Multidimensional arrays must have sub-arrays with matching dimensions." });
    }
    if (!nested || !isJsonArray(node)) {
      items.push(jsonToValue(node, { type: elementType, typmod }, fctx));
      return;
    }
    for (const child of node) walk(child, depth + 1);
  };
  if (j.length > 0) for (const child of j) walk(child, 1);
  const shape = items.length === 0 ? [] : dims;
  return { kind: "array", elementType, dims: shape, lowerBounds: shape.map(() => 1), items };
}

function formatContextOf(ctx: EvalContext): FormatContext {
  return {
    dateStyle: ctx.setting("DateStyle") || "ISO, MDY",
    intervalStyle: ctx.setting("IntervalStyle") || "postgres",
    timeZone: ctx.setting("TimeZone") || "UTC",
    extraFloatDigits: Number(ctx.setting("extra_float_digits") || "1"),
    byteaOutput: ctx.setting("bytea_output") === "escape" ? "escape" : "hex",
  };
}
