/**
 * DROP RULE / AGGREGATE / COLLATION … IF EXISTS of objects Tessera cannot create (user rules,
 * aggregates and collations): none can exist, so the statement only says so with Postgres's
 * NOTICE and succeeds, as a cleanup script expects. Naming a built-in (`sum`, "C") or leaving
 * out IF EXISTS stays 0A000 for the caller to raise.
 */
import type { ast } from "@tessera/sql";
import { resolveTypeName } from "../analyze/type-name.js";
import { functionsNamed } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import { formatTypeName } from "./types.js";

const builtinCollations = new Set(["default", "C", "POSIX", "ucs_basic"]);

const strings = (list: readonly ast.Node[] | undefined): string[] =>
  (list ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));

/** Handles the DROP when it only skips absent objects; undefined when it cannot. */
export function dropAbsent(catalog: Catalog, path: readonly string[], stmt: ast.DropStmt,
  notice: (message: string) => void): string | undefined {
  if (stmt.missing_ok !== true) return undefined;
  const messages: string[] = [];
  for (const obj of stmt.objects ?? []) {
    const message = absentMessage(catalog, path, stmt.removeType, obj);
    if (message === undefined) return undefined;
    messages.push(message);
  }
  for (const m of messages) notice(`${m}, skipping`);
  const word = stmt.removeType?.replace("OBJECT_", "") ?? "";
  return `DROP ${word}`;
}

function absentMessage(catalog: Catalog, path: readonly string[], kind: string | undefined,
  obj: ast.Node): string | undefined {
  switch (kind) {
    case "OBJECT_RULE": {
      const parts = "List" in obj ? strings(obj.List.items) : [];
      const rule = parts.pop() ?? "";
      const table = parts.pop() ?? "";
      const schema = parts.pop();
      if (schema !== undefined && !catalog.schemaExists(schema)) {
        return `schema "${schema}" does not exist`;
      }
      if (catalog.findRelation(path, schema, table) === undefined) {
        return `relation "${table}" does not exist`;
      }
      return `rule "${rule}" for relation "${table}" does not exist`;
    }
    case "OBJECT_COLLATION": {
      const parts = "List" in obj ? strings(obj.List.items) : [];
      const name = parts.pop() ?? "";
      const schema = parts.pop();
      if (schema !== undefined && !catalog.schemaExists(schema)) {
        return `schema "${schema}" does not exist`;
      }
      return builtinCollations.has(name) ? undefined : `collation "${name}" does not exist`;
    }
    case "OBJECT_AGGREGATE": {
      if (!("ObjectWithArgs" in obj)) return undefined;
      const parts = strings(obj.ObjectWithArgs.objname);
      const name = parts.pop() ?? "";
      const schema = parts.pop();
      if (schema !== undefined && !catalog.schemaExists(schema)) {
        return `schema "${schema}" does not exist`;
      }
      if (functionsNamed(name).length > 0) return undefined;
      const args = obj.ObjectWithArgs.objargs;
      const types = args === undefined ? "*" : args.map((a) => {
        if (!("TypeName" in a)) return "?";
        const t = resolveTypeName(a.TypeName);
        return formatTypeName(t.type, -1);
      }).join(", ");
      return `aggregate ${name}(${types}) does not exist`;
    }
    default:
      return undefined;
  }
}
