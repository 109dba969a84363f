/**
 * Resolves a raw TypeName (`integer`, `varchar(10)`, `numeric(10,2)`, `int[]`,
 * `pg_catalog.int4`) to a type OID and typmod, as Postgres's typenameTypeIdAndMod.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import { typmodFromModifiers, type ast } from "@tessera/sql";
import { arrayOf, typeByNameOrUndefined, typeNamed } from "../catalog/types.js";
import { enumTypeByName } from "../catalog/enum-types.js";
import { compositeTypeByName } from "../catalog/composite-types.js";
import { domainTypeByName } from "../catalog/domains.js";
import { rangeTypeByName } from "../catalog/range-types.js";

export interface ResolvedType {
  readonly type: number;
  readonly typmod: number;
  /** The type's name as written, for serial detection. */
  readonly name: string;
}

/** Finds a table's row type by schema and name (`row-types.ts`), where a catalog is at hand. */
export type RowTypeLookup = (schema: string | undefined, name: string) => number | undefined;

/** Returns the type and typmod a TypeName denotes, or raises 42704. */
export function resolveTypeName(typeName: ast.TypeName, rowTypes?: RowTypeLookup):
  ResolvedType {
  if ((typeName.names ?? []).length === 0 && (typeName.typeOid ?? 0) !== 0) {
    // A TypeName built from a known OID (an attribute of a composite type).
    return { type: typeName.typeOid!, typmod: typeName.typemod ?? -1, name: "" };
  }
  const names = (typeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const name = names[names.length - 1] ?? "";
  if (typeName.pct_type === true) throw notSupported("%TYPE references");
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const builtin = schema === undefined || schema === "pg_catalog"
    ? typeByNameOrUndefined(name) : undefined;
  const rowType = builtin === undefined
    ? rowTypes?.(schema, name) ?? enumTypeByName(schema, name) ??
      compositeTypeByName(schema, name) ?? domainTypeByName(schema, name) ??
      rangeTypeByName(schema, name) : undefined;
  if (rowType !== undefined) {
    if ((typeName.arrayBounds ?? []).length > 0) {
      const array = arrayOf(rowType);
      if (array === 0) throw notSupported(`arrays of ${name}`);
      return { type: array, typmod: -1, name };
    }
    return { type: rowType, typmod: -1, name };
  }
  const info = builtin ?? typeNamed(name, typeName.location);
  const mods = (typeName.typmods ?? []).map((m) => {
    if ("A_Const" in m && m.A_Const.ival !== undefined) return m.A_Const.ival.ival ?? 0;
    throw new SqlError(SqlState.syntaxError, "type modifiers must be simple constants");
  });
  let typmod = typeName.typemod ?? -1;
  if (mods.length > 0) typmod = typmodFor(info.oid, mods, typeName.location);
  let type = info.oid;
  if ((typeName.arrayBounds ?? []).length > 0) {
    type = arrayOf(type);
    if (type === 0) throw notSupported(`arrays of ${name}`);
  }
  return { type, typmod, name };
}

/** Computes the typmod as the type's typmodin does, with the error at the type name. */
function typmodFor(type: number, mods: readonly number[], location?: number): number {
  try {
    return typmodFromModifiers(type, mods);
  } catch (error) {
    if (error instanceof SqlError && location !== undefined && error.position === undefined) {
      throw new SqlError(error.code, error.message, { ...error.fields, location });
    }
    throw error;
  }
}
