/**
 * Resolves a raw TypeName (`integer`, `varchar(10)`, `numeric(10,2)`, `int[]`,
 * `pg_catalog.int4`) to a type OID and typmod, as Postgres's typenameTypeIdAndMod.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid, arrayOf, typeNamed } from "../catalog/types.js";

export interface ResolvedType {
  readonly type: number;
  readonly typmod: number;
  /** The type's name as written, for serial detection. */
  readonly name: string;
}

/** Returns the type and typmod a TypeName denotes, or raises 42704. */
export function resolveTypeName(typeName: ast.TypeName): ResolvedType {
  const names = (typeName.names ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const name = names[names.length - 1] ?? "";
  if (typeName.pct_type === true) throw notSupported("%TYPE references");
  const info = typeNamed(name, typeName.location);
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

function typmodFor(type: number, mods: readonly number[], location?: number): number {
  const loc = location === undefined ? {} : { location };
  switch (type) {
    case Oid.varchar:
    case Oid.bpchar: {
      const length = mods[0]!;
      if (length < 1) {
        throw new SqlError(SqlState.invalidParameterValue,
          `length for type ${type === Oid.varchar ? "varchar" : "char"} must be at least 1`, loc);
      }
      return length + 4;
    }
    case Oid.numeric: {
      const precision = mods[0]!;
      const scale = mods[1] ?? 0;
      if (precision < 1 || precision > 1000) {
        throw new SqlError(SqlState.invalidParameterValue,
          `NUMERIC precision ${precision} must be between 1 and 1000`, loc);
      }
      return ((precision << 16) | (scale & 0xffff)) + 4;
    }
    case Oid.timestamp:
    case Oid.timestamptz:
    case Oid.time:
    case Oid.timetz:
    case Oid.interval:
      return mods[mods.length - 1]!;
    default:
      throw new SqlError(SqlState.syntaxError, `type modifier is not allowed for type "${type}"`,
        loc);
  }
}
