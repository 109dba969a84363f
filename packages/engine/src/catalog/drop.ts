/**
 * DROP TABLE / VIEW / INDEX / SEQUENCE / SCHEMA [IF EXISTS] … [CASCADE | RESTRICT]: resolves
 * the names, asks `depend.ts` what else would go, refuses (2BP01) or tells (NOTICE) as
 * Postgres does, then removes everything.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Catalog } from "./catalog.js";
import { removeTable } from "./create-table.js";
import { dropAbsent } from "./drop-absent.js";
import { describe, objectsToDrop, type DbObject, type Doomed } from "./depend.js";

type Word = "table" | "view" | "materialized view" | "index" | "sequence" | "schema";

const words: Partial<Record<NonNullable<ast.DropStmt["removeType"]>, Word>> = {
  OBJECT_TABLE: "table", OBJECT_VIEW: "view", OBJECT_MATVIEW: "materialized view",
  OBJECT_INDEX: "index",
  OBJECT_SEQUENCE: "sequence", OBJECT_SCHEMA: "schema",
};

/** What Postgres's DropErrorMsgWrongType says to use for an object of each kind. */
const useInstead: Record<Word, string> = {
  table: "Use DROP TABLE to remove a table.", view: "Use DROP VIEW to remove a view.",
  "materialized view": "Use DROP MATERIALIZED VIEW to remove a materialized view.",
  index: "Use DROP INDEX to remove an index.", sequence: "Use DROP SEQUENCE to remove a sequence.",
  schema: "",
};

/** Sends a NOTICE, with a DETAIL when given. */
export type Notice = (message: string, detail?: string) => void;

export function dropObjects(catalog: Catalog, path: readonly string[], stmt: ast.DropStmt,
  notice: Notice): string {
  const word = stmt.removeType === undefined ? undefined : words[stmt.removeType];
  if (word === undefined) {
    const skipped = dropAbsent(catalog, path, stmt, notice);
    if (skipped !== undefined) return skipped;
    throw notSupported(`DROP ${stmt.removeType ?? "?"}`);
  }
  const targets: DbObject[] = [];
  for (const obj of stmt.objects ?? []) {
    const parts = ("List" in obj ? obj.List.items ?? [] : [obj])
      .map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    const found = resolve(catalog, path, word, parts);
    if (found !== undefined) {
      targets.push(found);
      continue;
    }
    const name = parts[parts.length - 1]!;
    if (stmt.missing_ok === true) {
      notice(`${word} "${name}" does not exist, skipping`);
      continue;
    }
    const code = word === "index" ? SqlState.undefinedObject
      : word === "schema" ? SqlState.invalidSchemaName : SqlState.undefinedTable;
    throw new SqlError(code, `${word} "${name}" does not exist`);
  }
  const doomed = objectsToDrop(catalog, targets);
  report(catalog, path, targets, doomed, stmt.behavior === "DROP_CASCADE", notice);
  for (const d of doomed) remove(catalog, d.obj);
  return `DROP ${word.toUpperCase()}`;
}

/** Finds the object a DROP names, checking its kind; undefined when there is none. */
function resolve(catalog: Catalog, path: readonly string[], word: Word, parts: string[]):
  DbObject | undefined {
  const name = parts[parts.length - 1]!;
  if (word === "schema") return catalog.schemaExists(name) ? { kind: "schema", name } : undefined;
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const found = catalog.lookupName(path, schema, name);
  if (found === undefined) return undefined;
  const rel = catalog.relation(found.oid);
  const seq = catalog.sequence(found.oid);
  const index = rel === undefined && seq === undefined
    ? catalog.findIndex([found.schema], found.schema, name) : undefined;
  const actual: Word = rel !== undefined ? (rel.kind === "v" ? "view"
    : rel.kind === "m" ? "materialized view" : "table")
    : seq !== undefined ? "sequence" : "index";
  if (actual !== word) {
    const article = word === "index" ? "an" : "a";
    throw new SqlError(SqlState.wrongObjectType, `"${name}" is not ${article} ${word}`,
      { hint: useInstead[actual] });
  }
  if (rel !== undefined) return { kind: "relation", rel };
  if (seq !== undefined) return { kind: "sequence", seq };
  if (index === undefined) return undefined;
  if (index.index.constraintName !== null) {
    const table = describe(catalog, path, { kind: "relation", rel: index.relation });
    throw new SqlError(SqlState.dependentObjectsStillExist,
      `cannot drop index ${name} because constraint ${index.index.constraintName} on ${table} ` +
      "requires it",
      { hint: `You can drop constraint ${index.index.constraintName} on ${table} instead.` });
  }
  return { kind: "index", rel: index.relation, index: index.index };
}

/** Raises 2BP01 for dependents without CASCADE, or tells what CASCADE drops as well. */
function report(catalog: Catalog, path: readonly string[], targets: readonly DbObject[],
  doomed: readonly Doomed[], cascade: boolean, notice: Notice): void {
  const reported = doomed.filter((d) => d.reported);
  if (reported.length === 0) return;
  const text = (obj: DbObject): string => describe(catalog, path, obj);
  if (!cascade) {
    const message = targets.length === 1
      ? `cannot drop ${text(targets[0]!)} because other objects depend on it`
      : "cannot drop desired object(s) because other objects depend on them";
    throw new SqlError(SqlState.dependentObjectsStillExist, message, {
      detail: reported.map((d) => `${text(d.obj)} depends on ${text(d.on!)}`).join("\n"),
      hint: "Use DROP ... CASCADE to drop the dependent objects too." });
  }
  if (reported.length === 1) {
    notice(`drop cascades to ${text(reported[0]!.obj)}`);
    return;
  }
  const lines = reported.map((d) => `drop cascades to ${text(d.obj)}`);
  notice(`drop cascades to ${reported.length} other objects`, lines.join("\n"));
}

function remove(catalog: Catalog, obj: DbObject): void {
  switch (obj.kind) {
    case "relation":
      if (catalog.relation(obj.rel.oid) !== undefined) removeTable(catalog, obj.rel);
      return;
    case "sequence":
      if (catalog.sequence(obj.seq.oid) !== undefined) catalog.removeSequence(obj.seq);
      return;
    case "index":
      if (!obj.rel.indexes.includes(obj.index)) return;
      obj.rel.indexes = obj.rel.indexes.filter((i) => i !== obj.index);
      catalog.releaseName(obj.rel.schema, obj.index.name);
      obj.rel.version++;
      return;
    case "schema":
      catalog.dropSchema(obj.name);
      return;
    case "fkey":
      obj.rel.foreignKeys = obj.rel.foreignKeys.filter((fk) => fk !== obj.fk);
      obj.rel.version++;
      return;
    case "default":
      obj.rel.columns[obj.column]!.defaultExpr = null;
      return;
  }
}
