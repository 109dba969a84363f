/**
 * Assignment to a field of a field: `d.c2.q2 := 42`. The parser picks the datum the target
 * starts with (`d`, or its field `d.c2`); the names after it go down through composite values,
 * each level rebuilt with the new field, as PostgreSQL's assignment indirection does.
 *
 *   d.c2.q2 := 42   ->  datum d.c2, path [q2]: d.c2 := row(d.c2.q1, 42)
 */
import { SqlError, SqlState } from "@tessera/base";
import type { PgRecord, Value } from "@tessera/sql";
import { formatTypeName } from "../catalog/types.js";
import type { Frame, Typed } from "./frame.js";

/** The field names of `names` (the target as written) below datum `varno`. */
export function nestedFieldPath(frame: Frame, varno: number,
  names: readonly string[]): readonly string[] {
  const d = frame.datum(varno);
  const own = d.kind === "recfield" ? d.field : d.kind === "var" || d.kind === "rec" ? d.name
    : undefined;
  if (own === undefined) return [];
  const at = names.indexOf(own, d.kind === "recfield" ? 1 : 0);
  return at < 0 ? [] : names.slice(at + 1);
}

/**
 * `current` with the field at `path` set to `value`; `column` is the target's first name,
 * which PostgreSQL's errors call the column.
 */
export function withNestedField(frame: Frame, current: Typed, path: readonly string[],
  value: Typed, column: string): Value {
  const [name, ...rest] = path;
  const typeName = formatTypeName(current.type, -1);
  const columns = frame.host.resolveType(typeName).columns;
  if (columns === undefined) {
    throw new SqlError(SqlState.datatypeMismatch, `cannot assign to field "${name}" of column ` +
      `"${column}" because its type ${typeName} is not a composite type`);
  }
  const at = columns.findIndex((c) => c.name === name);
  if (at < 0) {
    throw new SqlError(SqlState.undefinedColumn, `cannot assign to field "${name}" of column ` +
      `"${column}" because there is no such column in data type ${typeName}`);
  }
  const record = current.value as PgRecord | null;
  const fields = columns.map((_, i) => record?.fields[i] ?? null);
  const target = columns[at]!.type;
  const old: Typed = { value: fields[at] ?? null, type: target };
  fields[at] = rest.length > 0 ? withNestedField(frame, old, rest, value, column)
    : value.value === null || value.type === target ? value.value
    : frame.host.cast(value.value, value.type, target, -1);
  return { kind: "record", fields, types: columns.map((c) => c.type),
    names: columns.map((c) => c.name) };
}
