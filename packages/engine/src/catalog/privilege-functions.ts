/**
 * The access privilege inquiry functions: has_table_privilege, has_sequence_privilege,
 * has_schema_privilege and has_database_privilege, for the current role or a named one, with
 * the object by name or OID and a privilege list such as 'SELECT, INSERT WITH GRANT OPTION'
 * (true when any is held),
 * answered from `privileges.ts` as Postgres's aclchk does; the function and column ones are
 * `routine-column-privilege-functions.ts`'s.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { Value } from "@tessera/sql";
import type { EvalLike } from "../analyze/expr.js";
import { registerEngineFunction } from "./builtins.js";
import type { Catalog } from "./catalog.js";
import { Oid } from "./types.js";
import { findRole, requireRole } from "./roles.js";
import { holds, kindPrivileges, Priv, type AclKind } from "./privileges.js";
import { registerRoutineColumnPrivilegeFunctions } from "./routine-column-privilege-functions.js";
import { databaseOids } from "./system-catalogs/pg-roles.js";

type Target = { kind: AclKind; oid: number; name: string } | null;
type Resolve = (catalog: Catalog, object: Value, ctx: EvalLike) => Target;

const privilegeWords: Readonly<Record<string, string>> = {
  select: Priv.select, insert: Priv.insert, update: Priv.update, delete: Priv.delete,
  truncate: Priv.truncate, references: Priv.references, trigger: Priv.trigger,
  usage: Priv.usage, create: Priv.create, connect: Priv.connect, temporary: Priv.temporary,
  temp: Priv.temporary,
};

/** Registers the functions over `catalog`. */
export function registerPrivilegeFunctions(catalog: Catalog): void {
  const kinds: [string, Resolve, string][] = [
    ["has_table_privilege", resolveRelation(false), "arwdDxt"],
    ["has_sequence_privilege", resolveRelation(true), kindPrivileges.sequence],
    ["has_schema_privilege", resolveSchema, kindPrivileges.schema],
    ["has_database_privilege", resolveDatabase, kindPrivileges.database],
  ];
  for (const [name, resolve, allowed] of kinds) {
    for (const objectType of [Oid.text, Oid.oid]) {
      registerEngineFunction({ kind: "scalar", name, argTypes: [objectType, Oid.text],
        returnType: Oid.bool, volatility: "s", strict: true,
        impl: ([object, priv], ctx) => answer(catalog, ctx.user, object!, priv as string,
          resolve, allowed, ctx) });
      registerEngineFunction({ kind: "scalar", name, argTypes: [Oid.name, objectType, Oid.text],
        returnType: Oid.bool, volatility: "s", strict: true,
        impl: ([user, object, priv], ctx) => answer(catalog, user as string, object!,
          priv as string, resolve, allowed, ctx) });
    }
  }
  registerRoutineColumnPrivilegeFunctions(catalog);
}

function answer(catalog: Catalog, user: string, object: Value, privText: string,
  resolve: Resolve, allowed: string, ctx: EvalLike): Value {
  const wanted = parsePrivileges(privText, allowed);
  const role = user === ctx.user ? findRole(catalog, user) : requireRole(catalog, user);
  const target = resolve(catalog, object, ctx);
  if (target === null) return null;
  if (role === undefined) return true; // the cluster's internal user, not a role
  return wanted.some(({ letter, grantOption }) =>
    holds(catalog, target.kind, target.oid, role.oid, letter, grantOption));
}

/** Reads 'SELECT, UPDATE WITH GRANT OPTION' (case and spaces free), as convert_any_priv. */
function parsePrivileges(text: string, allowed: string):
  { letter: string; grantOption: boolean }[] {
  return text.split(",").map((part) => {
    const words = part.trim().toLowerCase().split(/\s+/);
    const grantOption = words.length === 4 && words.slice(1).join(" ") === "with grant option";
    const letter = privilegeWords[words[0] ?? ""];
    if ((words.length !== 1 && !grantOption) || letter === undefined ||
      !allowed.includes(letter)) {
      throw new SqlError(SqlState.invalidParameterValue,
        `unrecognized privilege type: "${part.trim()}"`);
    }
    return { letter, grantOption };
  });
}

/** Splits 'schema.name' with Postgres's identifier rules (unquoted parts fold to lower case). */
function qualifiedName(text: string): string[] {
  const parts: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")*)"|([^."\s]+))\s*(\.|$)/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, "\"")
      : (match[2] ?? "").toLowerCase());
    if (match[3] === "") break;
  }
  if (parts.length === 0 || parts.length > 3) {
    throw new SqlError(SqlState.invalidName, `invalid name syntax`);
  }
  return parts;
}

function pathOf(catalog: Catalog, ctx: EvalLike): readonly string[] {
  return catalog.searchPath(ctx.setting("search_path"), ctx.user, ctx.backendPid ?? 0);
}

function resolveRelation(sequenceOnly: boolean): Resolve {
  return (catalog, object, ctx) => {
    let found: { kind: AclKind; oid: number; name: string } | undefined;
    if (typeof object === "string") {
      const parts = qualifiedName(object);
      const name = parts[parts.length - 1]!;
      const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
      const path = pathOf(catalog, ctx);
      const rel = catalog.findRelation(path, schema, name);
      const seq = rel === undefined ? catalog.findSequence(path, schema, name) : undefined;
      if (rel === undefined && seq === undefined) {
        throw new SqlError(SqlState.undefinedTable, `relation "${object}" does not exist`);
      }
      found = seq !== undefined ? { kind: "sequence", oid: seq.oid, name: seq.name }
        : { kind: "table", oid: rel!.oid, name: rel!.name };
    } else {
      const oid = Number(object);
      const rel = catalog.relation(oid);
      const seq = [...catalog.allSequences()].find((s) => s.oid === oid);
      if (rel === undefined && seq === undefined) return null;
      found = seq !== undefined ? { kind: "sequence", oid, name: seq.name }
        : { kind: "table", oid, name: rel!.name };
    }
    if (sequenceOnly && found.kind !== "sequence") {
      throw new SqlError(SqlState.wrongObjectType, `"${found.name}" is not a sequence`);
    }
    return found;
  };
}

function resolveSchema(catalog: Catalog, object: Value): Target {
  const schemas = catalog.allSchemas();
  if (typeof object === "string") {
    const oid = schemas.find(([name]) => name === object)?.[1];
    if (oid === undefined) {
      throw new SqlError(SqlState.invalidSchemaName, `schema "${object}" does not exist`);
    }
    return { kind: "schema", oid, name: object };
  }
  const found = schemas.find(([, oid]) => oid === Number(object));
  return found === undefined ? null : { kind: "schema", oid: found[1], name: found[0] };
}

function resolveDatabase(_catalog: Catalog, object: Value): Target {
  if (typeof object === "string") {
    const oid = databaseOids.get(object);
    if (oid === undefined) {
      throw new SqlError(SqlState.invalidCatalogName, `database "${object}" does not exist`);
    }
    return { kind: "database", oid, name: object };
  }
  const found = [...databaseOids].find(([, oid]) => oid === Number(object));
  return found === undefined ? null : { kind: "database", oid: found[1], name: found[0] };
}
