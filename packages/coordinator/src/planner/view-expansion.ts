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
 * Views that read no Citus table stay as they are (the local engine reads them).
 */
import { assert, limits, oid } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { MetadataCache } from "../metadata/metadata-cache.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import type { Catalog } from "./catalog-type.js";
import { isRecord, someNode } from "./tree-walk.js";

/** `stmt` with every view that reads a Citus table expanded; `stmt` itself when none does. */
export function expandCitusViews(stmt: ast.Node, catalog: Catalog, path: readonly string[],
  cache: MetadataCache): ast.Node {
  const ctes = new Set<string>();
  someNode(stmt, (record) => {
    const cte = record["CommonTableExpr"];
    if (isRecord(cte) && typeof cte["ctename"] === "string") ctes.add(cte["ctename"]);
    return false;
  });
  const viewOf = (rv: ast.RangeVar): ShellRelation | undefined => {
    if (rv.schemaname === undefined && ctes.has(rv.relname ?? "")) return undefined;
    const relation = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
    return relation?.kind === "v" && relation.viewQuery !== null &&
      readsCitusTable(relation, catalog, cache, 0) ? relation : undefined;
  };
  return expand(stmt, viewOf, catalog, cache, 0) as ast.Node;
}

function expand(tree: unknown, viewOf: (rv: ast.RangeVar) => ShellRelation | undefined,
  catalog: Catalog, cache: MetadataCache, depth: number): unknown {
  assert(depth <= limits.treeDepthMax * 4, "views and queries nest within the depth limit");
  if (Array.isArray(tree)) return tree.map((item) => expand(item, viewOf, catalog, cache, depth));
  if (!isRecord(tree)) return tree;
  const rv = tree["RangeVar"];
  if (isRecord(rv)) {
    const rangeVar = rv as ast.RangeVar;
    const view = viewOf(rangeVar);
    if (view !== undefined) {
      // The view's own query names its tables schema-qualified: no search path needed.
      const inner = (relation: ast.RangeVar): ShellRelation | undefined => {
        const found = catalog.findRelation(["public"], relation.schemaname,
          relation.relname ?? "");
        return found?.kind === "v" && found.viewQuery !== null &&
          readsCitusTable(found, catalog, cache, 0) ? found : undefined;
      };
      return { RangeSubselect: {
        subquery: expand(storedQuery(view), inner, catalog, cache, depth + 1),
        alias: rangeVar.alias ?? { aliasname: view.name },
      } };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    out[key] = expand(value, viewOf, catalog, cache, depth + 1);
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
