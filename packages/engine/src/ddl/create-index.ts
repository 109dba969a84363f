/**
 * CREATE [UNIQUE] INDEX [IF NOT EXISTS] [name] ON table [USING method] (key [opclass], …)
 * [WHERE …].
 *
 * A key is a column or an expression: `(lower(alt_code), qty desc)`. Columns give the key by
 * position; an expression, or a WHERE (a partial index), makes the index computed: its key
 * comes from compiled expressions over the stored row, and a row the WHERE rejects has no
 * entry, so `create unique index on t (code) where code is not null` only forbids duplicate
 * non-null codes. Names follow Postgres's ChooseIndexName: t_a_b_idx, t_lower_qty_idx.
 * USING picks the access method and each key's operator class (`catalog/access-methods.ts`):
 * btree and hash indexes are built; gist, gin, brin and spgist ones are only recorded.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Row } from "@tessera/sql";
import type { StatementContext } from "../api.js";
import { analyzeExpr, asBoolean } from "../analyze/expr-analyze.js";
import type { Expr } from "../analyze/expr.js";
import { tableItem } from "../analyze/modify-target.js";
import { Scope, type StatementScope } from "../analyze/scope.js";
import { createIndex } from "../catalog/indexes.js";
import { btreeGistClass } from "../catalog/exclusion.js";
import type { Catalog } from "../catalog/catalog.js";
import { accessMethodNamed, defaultOpclass, isScannedMethod, resolveOpclass,
  type AccessMethod, type IndexMethod } from "../catalog/access-methods.js";
import type { ComputedKey, Relation } from "../catalog/relation.js";
import { checkRelOptions } from "../catalog/rel-options.js";
import { catalogView, storedExprText } from "../catalog/system-catalogs/object-defs.js";
import type { Engine } from "../engine.js";
import { compileExpr } from "../execute/compile.js";
import { refuseTableInUse } from "../plpgsql/trigger-checks.js";

export function createIndexStmt(engine: Engine, stmt: ast.IndexStmt, statement: StatementScope,
  ctx: StatementContext, notice: (m: string) => void): string {
  const { catalog } = statement;
  const rel = indexedTable(stmt, statement);
  refuseTableInUse(rel, "CREATE INDEX");
  const method = indexMethod(stmt.accessMethod ?? "btree", notice);
  if (method.name !== "btree" && rel.partitionKey !== undefined) {
    throw notSupported(`index access method "${method.name}" on partitioned tables`);
  }
  checkRelOptions(stmt.options);
  const elems = (stmt.indexParams ?? []).map((p) => {
    if (!("IndexElem" in p)) throw notSupported("this index element");
    return p.IndexElem;
  });
  checkMethodAllows(method, stmt, elems.length);
  const columns = elems.map((e) => (e.name === undefined ? -1 : columnPosition(rel, e.name)));
  const computed = columns.includes(-1) || stmt.whereClause !== undefined
    ? computedKey(rel, elems, columns, stmt.whereClause, statement, ctx) : undefined;
  const types = columns.map((c, k) => (c >= 0 ? rel.columns[c]!.type : computed!.types[k]!));
  const access = { method: method.name as IndexMethod,
    opclasses: elems.map((e, k) => keyOpclass(method, e, types[k]!, catalog)) };
  const base = stmt.idxname ?? `${rel.name}_${elems.map((e, k) =>
    (columns[k]! >= 0 ? rel.columns[columns[k]!]!.name : exprName(e.expr))).join("_")}_idx`;
  if (stmt.idxname !== undefined && catalog.nameTaken(rel.schema, base)) {
    if (stmt.if_not_exists === true) {
      notice(`relation "${base}" already exists, skipping`);
      return "CREATE INDEX";
    }
    throw new SqlError(SqlState.duplicateTable, `relation "${base}" already exists`);
  }
  let name = base;
  for (let i = 1; catalog.nameTaken(rel.schema, name); i++) name = `${base}${i}`;
  const key = isScannedMethod(access.method) ? computed
    : recordedOnlyKey(rel, columns, types, computed);
  createIndex(catalog, rel, name, columns, stmt.unique === true, false, false,
    key === undefined ? undefined : { key, rt: engine.runtime([], ctx) },
    elems.map((e) => e.ordering === "SORTBY_DESC"), access, stmt.nulls_not_distinct === true);
  return "CREATE INDEX";
}

/** The access method USING names (DefineIndex): rtree is gist, heap is no index method. */
function indexMethod(name: string, notice: (m: string) => void): AccessMethod {
  let found = accessMethodNamed(name);
  if (found === undefined && name === "rtree") {
    notice('substituting access method "gist" for obsolete method "rtree"');
    found = accessMethodNamed("gist");
  }
  if (found === undefined) {
    throw new SqlError(SqlState.undefinedObject, `access method "${name}" does not exist`);
  }
  if (found.type !== "i") {
    throw new SqlError(SqlState.internalError, `index access method handler function ${
      found.handler} did not return an IndexAmRoutine struct`);
  }
  return found;
}

/** UNIQUE, INCLUDE and several key columns, refused where the method lacks them. */
function checkMethodAllows(method: AccessMethod, stmt: ast.IndexStmt, keys: number): void {
  const refuse = (what: string): SqlError => new SqlError(SqlState.featureNotSupported,
    `access method "${method.name}" does not support ${what}`);
  if (stmt.unique === true && !method.canUnique) throw refuse("unique indexes");
  const including = (stmt.indexIncludingParams ?? []).length > 0;
  if (including && !method.canInclude) throw refuse("included columns");
  if (including && method.name !== "btree") {
    throw notSupported(`INCLUDE columns in ${method.name} indexes`);
  }
  if (keys > 1 && !method.canMulticol) throw refuse("multicolumn indexes");
}

/**
 * The operator class of one key column, and the ordering options the method must allow. A
 * btree key of a type without a default class (json) keeps 0, as before.
 */
function keyOpclass(method: AccessMethod, elem: ast.IndexElem, type: number,
  catalog: Catalog): number {
  const names = (elem.opclass ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  if ((elem.opclassopts ?? []).length > 0) throw notSupported("operator class options");
  const am = method.name as IndexMethod;
  // With btree_gist, a scalar gist key takes its class (`catalog/exclusion.ts`).
  const oid = names.length === 0 && am === "btree" ? defaultOpclass(am, type)?.oid ?? 0
    : (btreeGistClass(catalog, am, type, names) ?? resolveOpclass(am, type, names)).oid;
  if (!method.canOrder) {
    const refuse = (what: string): SqlError => new SqlError(SqlState.featureNotSupported,
      `access method "${method.name}" does not support ${what} options`);
    if ((elem.ordering ?? "SORTBY_DEFAULT") !== "SORTBY_DEFAULT") throw refuse("ASC/DESC");
    if ((elem.nulls_ordering ?? "SORTBY_NULLS_DEFAULT") !== "SORTBY_NULLS_DEFAULT") {
      throw refuse("NULLS FIRST/LAST");
    }
  }
  return oid;
}

/**
 * The key of a gist, gin, brin or spgist index: its catalog text (columns, expressions,
 * WHERE), but no row ever has an entry, so the index stays empty and no plan reads it.
 */
function recordedOnlyKey(rel: Relation, columns: readonly number[], types: readonly number[],
  computed: ComputedKey | undefined): ComputedKey {
  return {
    exprs: computed?.exprs ?? columns.map(() => null),
    predicate: computed?.predicate ?? null,
    predicateText: computed?.predicateText ?? null,
    names: computed?.names ?? columns.map((c) => rel.columns[c]!.name),
    types,
    keyOf: () => null,
  };
}

function indexedTable(stmt: ast.IndexStmt, statement: StatementScope): Relation {
  const rv = stmt.relation!;
  const rel = statement.catalog.findRelation(statement.path, rv.schemaname, rv.relname ?? "");
  if (rel === undefined) {
    throw new SqlError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`);
  }
  if (rel.kind !== "r" && rel.kind !== "m") {
    const kind = rel.kind === "v" ? "views" : "sequences";
    throw new SqlError(SqlState.wrongObjectType, `cannot create index on relation "${rel.name}"`,
      { detail: `This operation is not supported for ${kind}.` });
  }
  return rel;
}

function columnPosition(rel: Relation, name: string): number {
  const i = rel.columns.findIndex((c) => c.name === name && !c.dropped);
  if (i < 0) throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`);
  return i;
}

/** The name part of an expression key, as FigureColname gives it ("lower"), or "expr". */
function exprName(expr: ast.Node | undefined): string {
  if (expr !== undefined && "FuncCall" in expr) {
    const parts = expr.FuncCall.funcname ?? [];
    const last = parts[parts.length - 1];
    if (last !== undefined && "String" in last) return last.String.sval ?? "expr";
  }
  return "expr";
}

/** Analyzes the key expressions and WHERE of a computed index and compiles its key. */
function computedKey(rel: Relation, elems: readonly ast.IndexElem[], columns: number[],
  where: ast.Node | undefined, statement: StatementScope, ctx: StatementContext): ComputedKey {
  const scope = new Scope(statement, undefined);
  scope.items.push(tableItem(rel, rel.name, 0));
  const view = catalogView(statement.catalog, ctx);
  const keys: Expr[] = elems.map((e, k) => (columns[k]! >= 0
    ? { kind: "var", index: columns[k]!, type: rel.columns[columns[k]!]!.type,
      typmod: rel.columns[columns[k]!]!.typmod, name: e.name!, tableOid: rel.oid,
      attnum: columns[k]! + 1 }
    : analyzeExpr(e.expr!, scope)));
  const names = elems.map((e, k) => (columns[k]! >= 0 ? e.name!
    : storedExprText(view, rel, e.expr!, true)));
  const predicate = where === undefined ? null
    : compileExpr(asBoolean(analyzeExpr(where, scope), "WHERE", scope));
  const parts = keys.map((e) => compileExpr(e));
  return {
    exprs: elems.map((e, k) => (columns[k]! >= 0 ? null : e.expr!)),
    predicate: where ?? null, names, types: keys.map((e) => e.type),
    predicateText: where === undefined ? null : storedExprText(view, rel, where, false),
    keyOf: (row: Row, rt) => {
      if (predicate !== null && predicate(row, rt) !== true) return null;
      return parts.map((part) => part(row, rt));
    },
  };
}
