/**
 * DROP … IF EXISTS of kinds of objects Tessera cannot create (rules, aggregates, collations,
 * policies, casts, conversions, servers, foreign tables, event triggers, publications,
 * statistics, access methods, languages, operator classes and families): no user object of
 * the kind can exist, so the statement only says so with Postgres's NOTICE and succeeds, as a
 * cleanup script expects. Naming a built-in (`sum`, "C", btree) or leaving out IF EXISTS
 * stays 0A000 for the caller to raise.
 */
import type { ast } from "@tessera/sql";
import { resolveTypeName } from "../analyze/type-name.js";
import { accessMethodNamed, operatorClasses } from "./access-methods.js";
import { functionsNamed } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import { findCastDef } from "./type-io.js";
import { formatTypeName } from "./types.js";

const builtinCollations = new Set(["default", "C", "POSIX", "ucs_basic"]);
const builtinLanguages = new Set(["internal", "c", "sql", "plpgsql"]);

/** Kinds named by one (possibly qualified) name: the words of their NOTICE. */
const plainKinds: Readonly<Record<string, string>> = {
  OBJECT_CONVERSION: "conversion", OBJECT_FOREIGN_SERVER: "server",
  OBJECT_EVENT_TRIGGER: "event trigger", OBJECT_PUBLICATION: "publication",
  OBJECT_STATISTIC_EXT: "statistics object", OBJECT_ACCESS_METHOD: "access method",
  OBJECT_LANGUAGE: "language", OBJECT_FOREIGN_TABLE: "foreign table",
};

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
    case "OBJECT_RULE": case "OBJECT_POLICY": {
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
      const word = kind === "OBJECT_RULE" ? "rule" : "policy";
      return `${word} "${rule}" for relation "${table}" does not exist`;
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
    case "OBJECT_CAST": return castMessage(obj);
    case "OBJECT_OPCLASS": case "OBJECT_OPFAMILY": {
      const parts = "List" in obj ? strings(obj.List.items) : [];
      const method = parts.shift() ?? "";
      const name = parts.pop() ?? "";
      if (accessMethodNamed(method) === undefined) return undefined;
      if (operatorClasses.some((c) => c.name === name)) return undefined;
      const word = kind === "OBJECT_OPCLASS" ? "operator class" : "operator family";
      return `${word} "${name}" does not exist for access method "${method}"`;
    }
    default:
      return plainMessage(catalog, path, kind, obj);
  }
}

function plainMessage(catalog: Catalog, path: readonly string[], kind: string | undefined,
  obj: ast.Node): string | undefined {
  const word = kind === undefined ? undefined : plainKinds[kind];
  if (word === undefined) return undefined;
  const parts = "List" in obj ? strings(obj.List.items) : "String" in obj ? [obj.String.sval ?? ""]
    : [];
  const name = parts.pop() ?? "";
  const schema = parts.pop();
  if (schema !== undefined && !catalog.schemaExists(schema)) {
    return `schema "${schema}" does not exist`;
  }
  if (kind === "OBJECT_ACCESS_METHOD" && accessMethodNamed(name) !== undefined) return undefined;
  if (kind === "OBJECT_LANGUAGE" && builtinLanguages.has(name)) return undefined;
  // A table of that name is no foreign table, but Postgres then refuses the DROP.
  if (kind === "OBJECT_FOREIGN_TABLE" &&
    catalog.findRelation(path, schema, name) !== undefined) return undefined;
  return `${word} "${name}" does not exist`;
}

/** DROP CAST IF EXISTS (source AS target): absent unless a built-in cast joins the types. */
function castMessage(obj: ast.Node): string | undefined {
  const items = "List" in obj ? obj.List.items ?? [] : [];
  const types: number[] = [];
  for (const item of items) {
    if (!("TypeName" in item)) return undefined;
    try {
      types.push(resolveTypeName(item.TypeName).type);
    } catch {
      const names = strings(item.TypeName.names);
      return `type "${names[names.length - 1] ?? ""}" does not exist`;
    }
  }
  const [source, target] = types;
  if (source === undefined || target === undefined) return undefined;
  if (findCastDef(source, target) !== undefined) return undefined;
  return `cast from type ${formatTypeName(source, -1)} to type ${formatTypeName(target, -1)} ` +
    "does not exist";
}
