/**
 * pg_describe_object, pg_identify_object and pg_identify_object_as_address (objectaddress.c)
 * for the object classes Tessera has: relations and their columns (pg_class), types
 * (pg_type), functions (pg_proc), schemas (pg_namespace), constraints (pg_constraint), roles
 * (pg_authid), databases (pg_database), defaults (pg_attrdef), view rules (pg_rewrite),
 * collations, extensions, languages and access methods: what pg_depend's rows name.
 *
 *   pg_describe_object('pg_class'::regclass, 's1.t'::regclass, 2)  -> column v of table s1.t
 *   pg_identify_object(...)  -> (table column, s1, t, s1.t.v)
 *   pg_identify_object_as_address(...)  -> (table column, {s1,t,v}, {})
 *
 * Descriptions qualify a name only when the search path would not find it; identities always
 * do. An unknown object gives NULL (describe) or a row of NULLs after its type (identify); an
 * unknown class raises XX000 `unrecognized object class: N`, as Postgres.
 */
import { SqlError, SqlState } from "@tessera/base";
import { formatType, makeArray, type Value } from "@tessera/sql";
import type { EvalLike } from "../../analyze/expr.js";
import type { Catalog } from "../catalog.js";
import type { FunctionDef, ScalarDef, SrfDef } from "../builtins.js";
import { roleByOid } from "../roles.js";
import { sqlFunctionByOid } from "../sql-functions.js";
import { Oid } from "../types.js";
import { quoteIdent } from "../../plan/explain-deparse.js";
import { catalogView } from "./object-defs.js";
import { indexByOid, namespaceName } from "./oids.js";
import { constraintByOid } from "./pg-constraint.js";
import { procByOid } from "./pg-proc.js";
import { systemRows } from "./admin-functions.js";

/** One object's three spellings. */
interface Identity {
  readonly type: string;
  readonly schema: string | null;
  readonly name: string | null;
  readonly identity: string | null;
  readonly description: string | null;
  readonly names: readonly string[] | null;
  readonly args: readonly string[];
}

const textArray = 1009;
const missing = (type: string): Identity => ({ type, schema: null, name: null,
  identity: null, description: null, names: null, args: [] });

const relationKinds: Readonly<Record<string, string>> = { r: "table", p: "table",
  v: "view", m: "materialized view", S: "sequence", i: "index", c: "composite type",
  f: "foreign table" };

function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

function relationIdentity(catalog: Catalog, oid: number, subId: number, ctx: EvalLike):
  Identity {
  const rel = catalog.relation(oid);
  const found = rel ?? catalog.sequence(oid);
  const index = found === undefined ? indexByOid(catalog, oid) : undefined;
  const schema = found?.schema ?? index?.relation.schema;
  const name = found?.name ?? index?.index.name;
  if (schema === undefined || name === undefined) {
    return missing(subId === 0 ? "relation" : "table column");
  }
  const kind = index !== undefined ? "index" : rel === undefined ? "sequence"
    : relationKinds[rel.partitionKey !== undefined ? "p" : rel.kind] ?? "table";
  const path = catalogView(catalog, ctx).path;
  const visible = catalog.lookupName(path, undefined, name)?.oid === oid;
  const shown = visible ? quoteIdent(name) : qualified(schema, name);
  if (subId === 0) {
    return { type: kind, schema, name, identity: qualified(schema, name),
      description: `${kind} ${shown}`, names: [schema, name], args: [] };
  }
  const column = rel?.columns[subId - 1];
  const type = `${kind} column`;
  if (column === undefined || column.dropped) return missing(type);
  return { type, schema, name, identity: `${qualified(schema, name)}.${quoteIdent(column.name)}`,
    description: `column ${quoteIdent(column.name)} of ${kind} ${shown}`,
    names: [schema, name, column.name], args: [] };
}

/** A type's name as format_type prints it, qualified (user types always, when `force`). */
function typeText(catalog: Catalog, oid: number, ctx: EvalLike, force: boolean): string | null {
  const found = systemRows(catalog, "pg_type", ctx, ["oid", "typname", "typnamespace"]);
  const row = found?.rows.find((r) => r[found.at[0]!] === oid);
  if (found === undefined || row === undefined) return null;
  const name = row[found.at[1]!] as string;
  const schema = namespaceName(catalog, row[found.at[2]!] as number) ?? "pg_catalog";
  if (schema === "pg_catalog") {
    let text: string;
    try {
      text = formatType(oid, -1);
    } catch {
      text = name;
    }
    return force && text.replace(/\[\]$/, "") === name.replace(/^_/, "")
      ? `pg_catalog.${text}` : text;
  }
  const array = name.startsWith("_");
  const base = array ? name.slice(1) : name;
  const visible = !force && catalogView(catalog, ctx).path.includes(schema);
  return `${visible ? quoteIdent(base) : qualified(schema, base)}${array ? "[]" : ""}`;
}

function typeIdentity(catalog: Catalog, oid: number, ctx: EvalLike): Identity {
  const found = systemRows(catalog, "pg_type", ctx, ["oid", "typname", "typnamespace"]);
  const row = found?.rows.find((r) => r[found.at[0]!] === oid);
  if (found === undefined || row === undefined) return missing("type");
  const schema = namespaceName(catalog, row[found.at[2]!] as number) ?? "pg_catalog";
  const identity = typeText(catalog, oid, ctx, true)!.replace(/^pg_catalog\./, "");
  const userIdentity = schema === "pg_catalog" ? identity : typeText(catalog, oid, ctx, true)!;
  return { type: "type", schema, name: row[found.at[1]!] as string, identity: userIdentity,
    description: `type ${typeText(catalog, oid, ctx, false)!}`, names: [userIdentity],
    args: [] };
}

function functionIdentity(catalog: Catalog, oid: number, ctx: EvalLike): Identity {
  const own = sqlFunctionByOid(catalog, oid);
  const def = own ?? procByOid(oid);
  if (def === undefined) return missing("function");
  const schema = own?.schema ?? "pg_catalog";
  const path = catalogView(catalog, ctx).path;
  const args = def.argTypes.map((t) => typeText(catalog, t, ctx, true) ?? String(t));
  const shownArgs = def.argTypes.map((t) => typeText(catalog, t, ctx, false) ?? String(t));
  const shown = path.includes(schema) ? quoteIdent(def.name) : qualified(schema, def.name);
  return { type: "function", schema, name: null,
    identity: `${qualified(schema, def.name)}(${args.join(",")})`,
    description: `function ${shown}(${shownArgs.join(",")})`, names: [schema, def.name], args };
}

function constraintIdentity(catalog: Catalog, oid: number, ctx: EvalLike): Identity {
  const c = constraintByOid(catalog, oid);
  if (c === undefined) return missing("constraint");
  const table = relationIdentity(catalog, c.relation.oid, 0, ctx);
  const { schema, name } = c.relation;
  return { type: "table constraint", schema, name: null,
    identity: `${quoteIdent(c.name)} on ${qualified(schema, name)}`,
    description: `constraint ${quoteIdent(c.name)} on ${table.description ?? ""}`,
    names: [schema, name, c.name], args: [] };
}

function simple(type: string, name: string | undefined): Identity {
  if (name === undefined) return missing(type);
  return { type, schema: null, name, identity: quoteIdent(name),
    description: `${type} ${quoteIdent(name)}`, names: [name], args: [] };
}

/** The row of `oid` in catalog `relName`, as the named columns' values. */
function rowOf(catalog: Catalog, relName: string, oid: number, ctx: EvalLike,
  columns: readonly string[]): Value[] | undefined {
  const found = systemRows(catalog, relName, ctx, ["oid", ...columns]);
  const row = found?.rows.find((r) => r[found.at[0]!] === oid);
  return row === undefined ? undefined : found!.at.slice(1).map((i) => row[i]!);
}

/** A default (pg_attrdef): `default value for column x of table s.t`. */
function defaultIdentity(catalog: Catalog, oid: number, ctx: EvalLike): Identity {
  const row = rowOf(catalog, "pg_attrdef", oid, ctx, ["adrelid", "adnum"]);
  if (row === undefined) return missing("default value");
  const column = relationIdentity(catalog, row[0] as number, row[1] as number, ctx);
  if (column.names === null) return missing("default value");
  return { type: "default value", schema: null, name: null, identity: `for ${column.identity}`,
    description: `default value for ${column.description}`, names: column.names, args: [] };
}

/** A view's rule (pg_rewrite): `rule _RETURN on view s.v`. */
function ruleIdentity(catalog: Catalog, oid: number, ctx: EvalLike): Identity {
  const row = rowOf(catalog, "pg_rewrite", oid, ctx, ["rulename", "ev_class"]);
  if (row === undefined) return missing("rule");
  const view = relationIdentity(catalog, row[1] as number, 0, ctx);
  if (view.names === null) return missing("rule");
  const rule = row[0] as string;
  return { type: "rule", schema: null, name: null,
    identity: `${quoteIdent(rule)} on ${view.identity}`,
    description: `rule ${rule} on ${view.description}`, names: [...view.names, rule],
    args: [] };
}

function collationIdentity(catalog: Catalog, oid: number, ctx: EvalLike): Identity {
  const row = rowOf(catalog, "pg_collation", oid, ctx, ["collname", "collnamespace"]);
  if (row === undefined) return missing("collation");
  const name = row[0] as string;
  const schema = namespaceName(catalog, row[1] as number) ?? "pg_catalog";
  const visible = catalogView(catalog, ctx).path.includes(schema);
  return { type: "collation", schema, name: quoteIdent(name),
    identity: qualified(schema, name),
    description: `collation ${visible ? quoteIdent(name) : qualified(schema, name)}`,
    names: [schema, name], args: [] };
}

/** Objects known by a name alone: extensions, languages, access methods. */
function namedRow(catalog: Catalog, type: string, relName: string, column: string,
  oid: number, ctx: EvalLike): Identity {
  return simple(type, rowOf(catalog, relName, oid, ctx, [column])?.[0] as string | undefined);
}

function identify(catalog: Catalog, classId: number, oid: number, subId: number,
  ctx: EvalLike): Identity {
  switch (classId) {
    case 2604: return defaultIdentity(catalog, oid, ctx);
    case 2618: return ruleIdentity(catalog, oid, ctx);
    case 3456: return collationIdentity(catalog, oid, ctx);
    case 3079: return namedRow(catalog, "extension", "pg_extension", "extname", oid, ctx);
    case 2612: return namedRow(catalog, "language", "pg_language", "lanname", oid, ctx);
    case 2601: return namedRow(catalog, "access method", "pg_am", "amname", oid, ctx);
    case 1259: return relationIdentity(catalog, oid, subId, ctx);
    case 1247: return typeIdentity(catalog, oid, ctx);
    case 1255: return functionIdentity(catalog, oid, ctx);
    case 2615: return simple("schema", namespaceName(catalog, oid));
    case 2606: return constraintIdentity(catalog, oid, ctx);
    case 1260: return simple("role", roleByOid(catalog, oid)?.name);
    case 1262: return simple("database", oid === 5 ? ctx.database : undefined);
    default:
      throw new SqlError(SqlState.internalError, `unrecognized object class: ${classId}`);
  }
}

/**
 * pg_identify_object and pg_identify_object_as_address return one record; as set functions of
 * one row with named columns, `(f(...)).*` and `FROM f(...)` both give their columns.
 */
export function objectIdentityFunctions(catalog: Catalog): FunctionDef[] {
  const args = [Oid.oid, Oid.oid, Oid.int4];
  const run = (a: Value[], ctx: EvalLike): Identity =>
    identify(catalog, a[0] as number, a[1] as number, a[2] as number, ctx);
  const describe: ScalarDef = { kind: "scalar", name: "pg_describe_object", argTypes: args,
    returnType: Oid.text, volatility: "s", strict: true,
    impl: (a, ctx) => run(a, ctx).description };
  const identifyObject: SrfDef = { kind: "srf", name: "pg_identify_object", argTypes: args,
    returnType: Oid.record, volatility: "s", strict: true,
    outColumns: [{ name: "type", type: Oid.text }, { name: "schema", type: Oid.text },
      { name: "name", type: Oid.text }, { name: "identity", type: Oid.text }],
    impl: (a, ctx) => {
      const id = run(a, ctx);
      return [[id.type, id.schema, id.name, id.identity]];
    } };
  const address: SrfDef = { kind: "srf", name: "pg_identify_object_as_address",
    argTypes: args, returnType: Oid.record, volatility: "s", strict: true,
    outColumns: [{ name: "type", type: Oid.text }, { name: "object_names", type: textArray },
      { name: "object_args", type: textArray }],
    impl: (a, ctx) => {
      const id = run(a, ctx);
      return [[id.type, id.names === null ? null : makeArray(Oid.text, [...id.names]),
        id.names === null ? null : makeArray(Oid.text, [...id.args])]];
    } };
  return [describe, identifyObject, address];
}
