/**
 * The column types of a foreign key: whether a referencing column may point at a referenced
 * column of another type (Postgres accepts the pair when the referenced type's btree family
 * compares the two types, or when the referencing type converts to it implicitly), and the
 * conversion of a key from one side's column types to the other's, so index probes and
 * cascaded values compare and store values of the right type (int8 against int4, ...).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import { baseTypeOf } from "./domains.js";
import type { Relation } from "./relation.js";
import { currentAnalysisSettings, findCastDef } from "./type-io.js";
import { Oid, formatTypeName } from "./types.js";

/** Types one btree operator family compares across (integer_ops, float_ops). */
const families: readonly (readonly number[])[] = [
  [Oid.int2, Oid.int4, Oid.int8],
  [Oid.float4, Oid.float8],
];

function baseType(type: number): number {
  return baseTypeOf(type).type;
}

/** True when a referencing column of type `fk` may reference one of type `pk`. */
function compatible(fk: number, pk: number): boolean {
  const a = baseType(fk);
  const b = baseType(pk);
  if (a === b) return true;
  if (families.some((f) => f.includes(a) && f.includes(b))) return true;
  return findCastDef(a, b)?.context === "i";
}

/** Raises 42804 when a column pair of a new foreign key has incompatible types. */
export function checkKeyTypes(name: string, child: Relation, columns: readonly number[],
  parent: Relation, refColumns: readonly number[]): void {
  columns.forEach((c, k) => {
    const fkCol = child.columns[c]!;
    const pkCol = parent.columns[refColumns[k]!]!;
    if (compatible(fkCol.type, pkCol.type)) return;
    throw new SqlError(SqlState.datatypeMismatch,
      `foreign key constraint "${name}" cannot be implemented`,
      { detail: `Key columns "${fkCol.name}" and "${pkCol.name}" are of incompatible types: ` +
        `${formatTypeName(fkCol.type, -1)} and ${formatTypeName(pkCol.type, -1)}.` });
  });
}

/**
 * Converts `key`, values of `from`'s columns `fromCols`, to the types of `to`'s columns
 * `toCols`; undefined when a value has no equal of the other type (out of range).
 */
export function convertKey(key: readonly Value[], from: Relation, fromCols: readonly number[],
  to: Relation, toCols: readonly number[]): Value[] | undefined {
  const out = key.slice();
  for (let k = 0; k < key.length; k++) {
    const v = key[k] ?? null;
    if (v === null) continue;
    const source = baseType(from.columns[fromCols[k]!]!.type);
    const target = baseType(to.columns[toCols[k]!]!.type);
    if (source === target) continue;
    const cast = findCastDef(source, target);
    if (cast === undefined) continue;
    try {
      out[k] = cast.fn(v, -1, false, currentAnalysisSettings());
    } catch {
      return undefined;
    }
  }
  return out;
}
