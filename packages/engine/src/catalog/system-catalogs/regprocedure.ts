/**
 * regprocedure text I/O: `'twice(integer)'::regprocedure` finds the function with exactly
 * those argument types (SQL functions of the catalog first, then the built-ins by name), and
 * prints as `twice(integer)`. create_distributed_function takes its function this way.
 */
import { SqlError, SqlState } from "@tessera/base";
import { formatType, parseTypeName, setRegResolver } from "@tessera/sql";
import type { Catalog } from "../catalog.js";
import { findRowType } from "../row-types.js";
import { sameArgs, sqlFunctionByOid, sqlFunctionsNamed } from "../sql-functions.js";
import { procByOid, procOidByName } from "./pg-proc.js";

/** Installs the regprocedure resolver of `catalog`; `path` is the statement's search path. */
export function installRegprocedure(catalog: Catalog, path: () => string[],
  split: (text: string) => string[]): void {
  const typeOid = (text: string): number => {
    const builtin = parseTypeName(text);
    if (builtin !== undefined) return builtin.type.oid;
    const parts = split(text);
    const found = findRowType(catalog, path(), parts.length > 1 ? parts[0] : undefined,
      parts[parts.length - 1] ?? "");
    if (found === undefined) {
      throw new SqlError(SqlState.undefinedObject, `type "${text.trim()}" does not exist`);
    }
    return found;
  };
  setRegResolver("regprocedure", {
    toName: (oid) => {
      const def = sqlFunctionByOid(catalog, oid) ?? procByOid(oid);
      if (def === undefined) return undefined;
      return `${def.name}(${def.argTypes.map((t) => formatType(t)).join(",")})`;
    },
    toOid: (text) => {
      const open = text.indexOf("(");
      const close = text.lastIndexOf(")");
      if (open < 0 || close < open) {
        throw new SqlError(SqlState.invalidTextRepresentation,
          `expected a left parenthesis`);
      }
      const parts = split(text.slice(0, open));
      const name = parts[parts.length - 1] ?? "";
      const inside = text.slice(open + 1, close).trim();
      const argTypes = inside === "" ? [] : inside.split(",").map(typeOid);
      const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
      const own = sqlFunctionsNamed(catalog, path(), schema, name)
        .find((f) => sameArgs(f.argTypes, argTypes));
      if (own !== undefined) return own.oid;
      const builtin = procOidByName(name);
      if (builtin !== undefined && sameArgs(procByOid(builtin)?.argTypes ?? [], argTypes)) {
        return builtin;
      }
      throw new SqlError(SqlState.undefinedFunction, `function "${text}" does not exist`);
    },
  });
}
