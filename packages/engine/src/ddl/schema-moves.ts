/**
 * Moving objects between schemas: ALTER SCHEMA … RENAME TO, and ALTER TABLE / VIEW /
 * SEQUENCE … SET SCHEMA. Postgres keys objects by OID, so both only change the schema an
 * object's name lives in; here the catalog's name map is keyed by (schema, name), so the
 * names move with the objects. A table takes its indexes and the sequences it owns along,
 * as Postgres's AlterTableNamespace does. Postgres's column defaults call nextval with the
 * sequence's OID; ours keep its name, so the defaults that name a moved sequence are
 * rewritten to its new qualified name. Both run as utility statements and so are logged
 * and replayed like the other DDL (`storage/redo.ts`).
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { isTempSchema, type Catalog } from "../catalog/catalog.js";
import { walk } from "../catalog/depend.js";
import { qualifiedNameText, splitQualifiedName } from "../catalog/qualified-name.js";
import type { Column, Relation, Sequence } from "../catalog/relation.js";
import { followRelationRename } from "./view-follow.js";

/** SQLSTATE reserved_name. */
const reservedName = "42939";

/** ALTER SCHEMA from RENAME TO to. */
export function renameSchema(catalog: Catalog, from: string, to: string): string {
  if (!catalog.schemaExists(from)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${from}" does not exist`);
  }
  if (catalog.schemaExists(to)) {
    throw new SqlError(SqlState.duplicateSchema, `schema "${to}" already exists`);
  }
  if (to.startsWith("pg_")) {
    throw new SqlError(reservedName, `unacceptable schema name "${to}"`,
      { detail: 'The prefix "pg_" is reserved for system schemas.' });
  }
  if (from === "pg_catalog" || from === "information_schema" || isTempSchema(from)) {
    throw notSupported(`renaming system schema "${from}"`);
  }
  const relations = [...catalog.allRelations()].filter((r) => r.schema === from);
  const sequences = [...catalog.allSequences()].filter((s) => s.schema === from);
  const defaults = defaultsNaming(catalog, new Set(sequences.map((seq) => seq.oid)));
  catalog.renameSchema(from, to);
  for (const rel of relations) moveRelation(catalog, rel, to);
  for (const seq of sequences) moveSequence(catalog, seq, to);
  requalify(catalog, defaults);
  return "ALTER SCHEMA";
}

const setSchemaTags: Readonly<Record<string, string>> = {
  OBJECT_TABLE: "ALTER TABLE", OBJECT_VIEW: "ALTER VIEW", OBJECT_SEQUENCE: "ALTER SEQUENCE",
};

/** ALTER TABLE / VIEW / SEQUENCE name SET SCHEMA target. */
export function setSchema(catalog: Catalog, path: readonly string[],
  stmt: ast.AlterObjectSchemaStmt, notice: (message: string) => void): string {
  const kind = stmt.objectType ?? "";
  const tag = setSchemaTags[kind];
  if (tag === undefined || stmt.relation === undefined) {
    throw notSupported(`SET SCHEMA of ${kind.replace("OBJECT_", "").toLowerCase()}`);
  }
  const rv = stmt.relation;
  const name = rv.relname ?? "";
  const shown = rv.schemaname === undefined ? name : `${rv.schemaname}.${name}`;
  const found = catalog.lookupName(path, rv.schemaname, name);
  const rel = found === undefined ? undefined : catalog.relation(found.oid);
  const seq = found === undefined ? undefined : catalog.sequence(found.oid);
  if (rel === undefined && seq === undefined) {
    if (stmt.missing_ok !== true) {
      throw new SqlError(SqlState.undefinedTable, `relation "${shown}" does not exist`);
    }
    notice(`relation "${shown}" does not exist, skipping`);
    return tag;
  }
  const target = stmt.newschema ?? "";
  const from = found!.schema;
  const temp = target === "pg_temp" || isTempSchema(target);
  if (!temp && !catalog.schemaExists(target)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${target}" does not exist`);
  }
  if (temp || isTempSchema(from)) {
    throw new SqlError(SqlState.featureNotSupported,
      "cannot move objects into or out of temporary schemas");
  }
  if (target === "pg_catalog" || target === "information_schema") {
    throw notSupported(`moving relations into ${target}`);
  }
  if (from === target) return tag;
  if (catalog.nameTaken(target, name)) {
    throw new SqlError(SqlState.duplicateTable,
      `relation "${name}" already exists in schema "${target}"`);
  }
  if (rel !== undefined) checkIndexNames(catalog, rel, target);
  const moved = seq !== undefined ? [seq] : [...catalog.allSequences()]
    .filter((owned) => owned.ownedBy?.relationOid === rel!.oid && owned.schema === from);
  const defaults = defaultsNaming(catalog, new Set(moved.map((m) => m.oid)));
  if (rel !== undefined) moveRelation(catalog, rel, target);
  for (const m of moved) moveSequence(catalog, m, target);
  requalify(catalog, defaults);
  return tag;
}

function checkIndexNames(catalog: Catalog, rel: Relation, target: string): void {
  for (const index of rel.indexes) {
    if (catalog.nameTaken(target, index.name)) {
      throw new SqlError(SqlState.duplicateTable,
        `relation "${index.name}" already exists in schema "${target}"`);
    }
  }
}

function moveRelation(catalog: Catalog, rel: Relation, to: string): void {
  const from = rel.schema;
  catalog.releaseName(rel.schema, rel.name);
  for (const index of rel.indexes) catalog.releaseName(rel.schema, index.name);
  rel.schema = to;
  catalog.claimName(to, rel.name, rel.oid);
  for (const index of rel.indexes) catalog.claimName(to, index.name, index.oid);
  rel.version++;
  followRelationRename(catalog, rel, rel.name, from);
}

function moveSequence(catalog: Catalog, seq: Sequence, to: string): void {
  catalog.releaseName(seq.schema, seq.name);
  seq.schema = to;
  catalog.claimName(to, seq.name, seq.oid);
}

/** A column default's nextval literals that name sequences about to move, with their OIDs. */
interface NamingDefault {
  readonly column: Column;
  readonly literals: ReadonlyMap<string, number>;
}

export function defaultsNaming(catalog: Catalog, moving: ReadonlySet<number>): NamingDefault[] {
  const found: NamingDefault[] = [];
  if (moving.size === 0) return found;
  for (const rel of catalog.allRelations()) {
    for (const column of rel.columns) {
      if (column.defaultExpr === null) continue;
      const literals = new Map<string, number>();
      walk(column.defaultExpr, 0, (node) => {
        const literal = nextvalLiteral(node);
        if (literal === undefined) return;
        const parts = splitQualifiedName(literal);
        const seq = catalog.findSequence([rel.schema, "pg_catalog"],
          parts.length > 1 ? parts[0] : undefined, parts[parts.length - 1]!);
        if (seq !== undefined && moving.has(seq.oid)) literals.set(literal, seq.oid);
      });
      if (literals.size > 0) found.push({ column, literals });
    }
  }
  return found;
}

/** Points the defaults found by `defaultsNaming` at their sequences' new names. */
export function requalify(catalog: Catalog, defaults: readonly NamingDefault[]): void {
  for (const { column, literals } of defaults) {
    const rename = (literal: string): string => {
      const seq = catalog.sequence(literals.get(literal) ?? 0);
      return seq === undefined ? literal : qualifiedNameText(seq.schema, seq.name);
    };
    column.defaultExpr = rewriteLiterals(column.defaultExpr, rename) as ast.Node;
  }
}

/** The string argument of a `nextval('…')` call, or undefined for any other node. */
function nextvalLiteral(node: ast.Node): string | undefined {
  if (!("FuncCall" in node)) return undefined;
  const fn = node.FuncCall.funcname ?? [];
  const last = fn[fn.length - 1];
  if (last === undefined || !("String" in last) || last.String.sval !== "nextval") {
    return undefined;
  }
  let arg = node.FuncCall.args?.[0];
  while (arg !== undefined && "TypeCast" in arg) arg = arg.TypeCast.arg;
  return arg !== undefined && "A_Const" in arg ? arg.A_Const.sval?.sval : undefined;
}

/** A copy of a raw expression with the nextval literals renamed. */
function rewriteLiterals(value: unknown, rename: (literal: string) => string): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => rewriteLiterals(v, rename));
  const node = value as Record<string, unknown>;
  if ("FuncCall" in node && nextvalLiteral(node as ast.Node) !== undefined) {
    return renameCall(node as { FuncCall: ast.FuncCall }, rename);
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(node)) out[key] = rewriteLiterals(field, rename);
  return out;
}

function renameCall(node: { FuncCall: ast.FuncCall }, rename: (literal: string) => string):
  ast.Node {
  const [first, ...rest] = node.FuncCall.args ?? [];
  const renameArg = (arg: ast.Node): ast.Node => {
    if ("TypeCast" in arg) {
      return { TypeCast: { ...arg.TypeCast, arg: renameArg(arg.TypeCast.arg!) } };
    }
    if (!("A_Const" in arg)) return arg;
    const literal = arg.A_Const.sval?.sval ?? "";
    return { A_Const: { ...arg.A_Const, sval: { sval: rename(literal) } } };
  };
  return { FuncCall: { ...node.FuncCall, args: [renameArg(first!), ...rest] } };
}
