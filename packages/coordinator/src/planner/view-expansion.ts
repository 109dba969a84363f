/**
 * Views over Citus tables, expanded before distributed planning. A view is stored on the
 * coordinator like any other (CREATE VIEW runs locally; its query is bound to the schemas
 * its tables were found in), but reading it through the local engine would read the empty
 * shell tables. So each FROM item naming such a view, directly or through other views,
 * becomes its query as a subquery under the view's name, as PostgreSQL's rewriter expands a
 * view, and the distributed planner plans the statement with the Citus tables in sight.
 *
 *   SELECT n FROM ev_v WHERE dev = 3
 *     -> SELECT n FROM (<ev_v's stored query>) ev_v WHERE dev = 3
 *
 * A simple view (a filter and projection of one Citus table) is merged into the query that
 * reads it instead (`view-flattening.ts`), so that the planner sees a query of the table:
 * routed to one shard, pushed down whole to each, joined with colocated or reference tables.
 *
 * Views that read no Citus table stay as they are (the local engine reads them). A write
 * through a view over a Citus table was rewritten onto the table before (`view-writes.ts`).
 */
import { assert, limits, notSupported, oid } from "@tessera/base";
import { viewOptionOn } from "@tessera/engine";
import type { ast } from "@tessera/sql";
import type { MetadataCache } from "../metadata/metadata-cache.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import type { Catalog } from "./catalog-type.js";
import { isRecord, someNode } from "./tree-walk.js";
import { flattenOneView, type Resolver } from "./view-flattening.js";

/**
 * Whether `stmt` is DDL on a view: CREATE [OR REPLACE] VIEW, or ALTER VIEW / ALTER TABLE
 * naming a view (RENAME, RENAME COLUMN, SET SCHEMA, ALTER COLUMN …). Such a statement changes
 * only the coordinator's catalog and runs in the local engine, whatever tables the view reads.
 * DROP VIEW names no relation the distributed planner looks at and goes there by itself.
 *
 * Views are not created on the workers, unlike Citus (which propagates a view whose
 * dependencies are distributed, so that MX workers can query it): a Tessera worker holds
 * shards and no shell tables, so a view naming `events` could not be defined there, and every
 * query reaches the shards through the coordinator, which expands the view.
 */
export function isViewDdl(stmt: ast.Node, catalog: Catalog, path: readonly string[]): boolean {
  if ("ViewStmt" in stmt) return true;
  const target = "RenameStmt" in stmt ? stmt.RenameStmt.relation
    : "AlterObjectSchemaStmt" in stmt ? stmt.AlterObjectSchemaStmt.relation
      : "AlterTableStmt" in stmt ? stmt.AlterTableStmt.relation : undefined;
  if (target === undefined) return false;
  const relation = catalog.findRelation(path, target.schemaname, target.relname ?? "");
  return relation?.kind === "v";
}

/** `stmt` with every view that reads a Citus table expanded; `stmt` itself when none does. */
export function expandCitusViews(stmt: ast.Node, catalog: Catalog, path: readonly string[],
  cache: MetadataCache): ast.Node {
  const scope = scopeOf(stmt, path, catalog, cache);
  return expand(stmt, scope, catalog, cache, 0) as ast.Node;
}

/** How FROM items resolve at one level: the query's own, or a view's stored query. */
interface Scope {
  /** The relation a FROM item names (undefined for a WITH query or an unknown name). */
  readonly relationOf: Resolver;
  /** The view over Citus tables a FROM item names, or undefined. */
  readonly viewOf: Resolver;
}

/**
 * The scope of `query`: names found along `path` (a view's stored query names its tables
 * schema-qualified, so any path does there), except the names of its WITH queries.
 */
function scopeOf(query: ast.Node, path: readonly string[], catalog: Catalog,
  cache: MetadataCache): Scope {
  const ctes = new Set<string>();
  someNode(query, (record) => {
    const cte = record["CommonTableExpr"];
    if (isRecord(cte) && typeof cte["ctename"] === "string") ctes.add(cte["ctename"]);
    return false;
  });
  const relationOf = (rv: ast.RangeVar): ShellRelation | undefined => {
    if (rv.schemaname === undefined && ctes.has(rv.relname ?? "")) return undefined;
    return catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
  };
  const viewOf = (rv: ast.RangeVar): ShellRelation | undefined => {
    const relation = relationOf(rv);
    const citus = relation?.kind === "v" && relation.viewQuery !== null &&
      readsCitusTable(relation, catalog, cache, 0);
    // Flattened, its WHERE would meet the query's own: no barrier (ddl/view-options.ts).
    if (citus && viewOptionOn(relation, "security_barrier")) {
      throw notSupported("security_barrier views over distributed tables");
    }
    return citus ? relation : undefined;
  };
  return { relationOf, viewOf };
}

function expand(tree: unknown, scope: Scope, catalog: Catalog, cache: MetadataCache,
  depth: number): unknown {
  assert(depth <= limits.treeDepthMax * 4, "views and queries nest within the depth limit");
  if (Array.isArray(tree)) return tree.map((item) => expand(item, scope, catalog, cache, depth));
  if (!isRecord(tree)) return tree;
  const select = tree["SelectStmt"];
  if (isRecord(select)) {
    let merged: ast.SelectStmt | undefined;
    // Each merge takes one view out of the FROM list, so this ends.
    for (let next = select as ast.SelectStmt | undefined; next !== undefined;) {
      next = flattenOneView(next, scope.viewOf, scope.relationOf, catalog, cache);
      if (next !== undefined) merged = next;
    }
    if (merged !== undefined) {
      return { SelectStmt: expand(merged, scope, catalog, cache, depth + 1) };
    }
  }
  const rv = tree["RangeVar"];
  if (isRecord(rv)) {
    const rangeVar = rv as ast.RangeVar;
    const view = scope.viewOf(rangeVar);
    if (view !== undefined) {
      const query = storedQuery(view);
      return { RangeSubselect: {
        subquery: expand(query, scopeOf(query, ["public"], catalog, cache), catalog, cache,
          depth + 1),
        alias: rangeVar.alias ?? { aliasname: view.name },
      } };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    // The table CREATE TABLE AS and SELECT INTO create is no FROM item.
    if (key === "into" || key === "intoClause") {
      out[key] = value;
      continue;
    }
    // The branches of a set operation are SELECTs without the node wrapper.
    const branch = (key === "larg" || key === "rarg") && isRecord(value) &&
      typeof tree["op"] === "string";
    const expanded = expand(branch ? { SelectStmt: value } : value, scope, catalog, cache,
      depth + 1);
    out[key] = branch ? (expanded as { SelectStmt: unknown }).SelectStmt : expanded;
  }
  return out;
}

/**
 * The view's query without the projection CREATE VIEW wraps it in, when that projection
 * changes nothing: every entry of the query's select list already carries the view's column
 * name (no `*`, no set operation). The distributed planner then sees the query itself (a
 * router or pushdown query stays one) instead of a subquery of a subquery.
 */
function storedQuery(view: ShellRelation): ast.Node {
  const wrapper = view.viewQuery!;
  if (!("SelectStmt" in wrapper)) return wrapper;
  const from = wrapper.SelectStmt.fromClause?.[0];
  if (from === undefined || !("RangeSubselect" in from)) return wrapper;
  const inner = from.RangeSubselect.subquery;
  if (inner === undefined || !("SelectStmt" in inner)) return wrapper;
  const select = inner.SelectStmt;
  if (select.op !== undefined && select.op !== "SETOP_NONE") return wrapper;
  const names = view.columns.filter((c) => !c.dropped).map((c) => c.name);
  const targets = select.targetList ?? [];
  if (targets.length !== names.length) return wrapper;
  const same = targets.every((t, i) => "ResTarget" in t && outputName(t.ResTarget) === names[i]);
  return same ? inner : wrapper;
}

/** The name a select-list entry gives its column when it is plain to see, else undefined. */
function outputName(target: ast.ResTarget): string | undefined {
  if (target.name !== undefined) return target.name;
  const value = target.val;
  if (value === undefined || !("ColumnRef" in value)) return undefined;
  const last = value.ColumnRef.fields?.[value.ColumnRef.fields.length - 1];
  return last !== undefined && "String" in last ? last.String.sval : undefined;
}

/** The first Citus table `view` reads, directly or through other views, or undefined. */
export function citusTableRead(view: ShellRelation, catalog: Catalog, cache: MetadataCache,
  depth: number): ShellRelation | undefined {
  assert(depth <= limits.treeDepthMax, "views nest within the tree depth limit");
  if (view.viewQuery === null) return undefined;
  let found: ShellRelation | undefined;
  someNode(view.viewQuery, (record) => {
    const rv = record["RangeVar"];
    if (!isRecord(rv)) return false;
    const rangeVar = rv as ast.RangeVar;
    const relation = catalog.findRelation(["public"], rangeVar.schemaname,
      rangeVar.relname ?? "");
    if (relation === undefined) return false;
    if (cache.table(oid(relation.oid)) !== undefined) found = relation;
    else if (relation.kind === "v" && relation.oid !== view.oid) {
      found = citusTableRead(relation, catalog, cache, depth + 1);
    }
    return found !== undefined;
  });
  return found;
}

function readsCitusTable(view: ShellRelation, catalog: Catalog, cache: MetadataCache,
  depth: number): boolean {
  return citusTableRead(view, catalog, cache, depth) !== undefined;
}
