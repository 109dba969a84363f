/**
 * Simple views over one Citus table, merged into the query that reads them, as PostgreSQL's
 * planner pulls a simple subquery up into its parent. Expanded as a subquery
 * (`view-expansion.ts`), `SELECT count(*) FROM ev_v WHERE dev = 4` would be planned as a
 * FROM subquery (every row of the table pulled to the coordinator); merged, it is a query on
 * the table itself, which the distributed planner routes to one shard or pushes down to every
 * shard like any other, joins with reference and colocated tables included:
 *
 *   CREATE VIEW ev_v (d, val) AS SELECT dev, v FROM ev WHERE v > 0;
 *   SELECT d, k.name FROM ev_v x JOIN kinds k ON k.dev = x.d WHERE d = 4
 *     -> SELECT x.dev AS d, k.name FROM public.ev x JOIN kinds k ON k.dev = x.dev AND (v > 0)
 *        WHERE x.dev = 4
 *
 * The merge renames columns, so it applies only where that is exact; otherwise the caller
 * keeps the subquery (slower, same answer):
 *   - the view: one SELECT of one Citus table (or of one such view, merged first), each
 *     output a plain column (or a lone `*`), a WHERE without subqueries; no DISTINCT,
 *     GROUP BY, HAVING, window, ORDER BY, LIMIT, WITH;
 *   - the query: one SELECT without WITH, set operations or subqueries, whose FROM items are
 *     tables and views (joined or listed; no USING, NATURAL or FULL join beside the view, no
 *     join alias above it); each column reference must resolve as it did: `alias.col` to a
 *     view column, an unqualified `col` to exactly one of the view and the other items, never
 *     to a table column the view hides, or else (in GROUP BY) to an output name. A bare name
 *     as an ORDER BY or DISTINCT ON item that is an output name stays (it names that output
 *     column, which keeps its name).
 * The view's WHERE goes where it filters the same rows: the ON of the join right above the
 * view (inner, or the view on the nullable side), else the query's WHERE (a FROM list item,
 * or the preserved side of an outer join in the FROM list). The view's columns map to the
 * table's by position, as the view's stored projection does (CREATE VIEW keeps the query
 * under a projection naming its columns).
 */
import { assert, limits, oid } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { MetadataCache } from "../metadata/metadata-cache.js";
import type { ShellRelation } from "../operations/shard-ddl.js";
import type { Catalog } from "./catalog-type.js";
import { isRecord, someNode } from "./tree-walk.js";

/** Finds the relation a FROM item names; undefined for WITH queries and unknown names. */
export type Resolver = (rv: ast.RangeVar) => ShellRelation | undefined;

/** A view that is a column rename of one Citus table. */
interface SimpleView {
  readonly table: ast.RangeVar;
  /** The qualifier the view's own column references may use for the table. */
  readonly qualifier: string;
  /** View column name -> table column name. */
  readonly columns: ReadonlyMap<string, string>;
  /** View columns in order (for `*`). */
  readonly order: readonly string[];
  readonly where: ast.Node | undefined;
  /** The table's own column names: a name the view hides must not reach the table. */
  readonly tableColumns: ReadonlySet<string>;
}

/** The view's place in the query: where its WHERE goes. */
type Placement = { readonly kind: "where" } | { readonly kind: "on"; readonly join: object };

/**
 * `select` with one of its views (`viewOf`) merged into it, or undefined when none can be
 * (the rules at the top). The caller merges again until nothing changes.
 */
export function flattenOneView(select: ast.SelectStmt, viewOf: Resolver, relationOf: Resolver,
  catalog: Catalog, cache: MetadataCache, depth = 0): ast.SelectStmt | undefined {
  if (!plainOuter(select)) return undefined;
  const items = fromItems(select.fromClause ?? []);
  if (items === undefined) return undefined;
  for (const item of items) {
    const view = viewOf(item.rv);
    const simple = view === undefined ? undefined : simpleView(view, catalog, cache, depth);
    if (view === undefined || simple === undefined || item.placement === undefined) continue;
    const others = items.filter((other) => other !== item).map((other) => relationOf(other.rv));
    if (others.some((other) => other === undefined)) return undefined;
    const merged = merge(select, { item, view, simple,
      others: others.map((o) => new Set(o!.columns.filter((c) => !c.dropped).map((c) => c.name))),
      otherAliases: items.filter((o) => o !== item).map((o) => o.rv.alias?.aliasname ??
        o.rv.relname ?? "") });
    if (merged !== undefined) return merged;
  }
  return undefined;
}

/** One FROM item naming a relation, with where a view there would put its WHERE. */
interface FromItem {
  readonly rv: ast.RangeVar;
  /** The RangeVar's node object, to be replaced. */
  readonly node: object;
  readonly placement: Placement | undefined;
}

/** The RangeVars of a FROM list, or undefined when it holds anything else. */
function fromItems(from: readonly ast.Node[]): FromItem[] | undefined {
  const items: FromItem[] = [];
  const visit = (node: ast.Node, placement: Placement | undefined, top: boolean): boolean => {
    if ("RangeVar" in node) {
      items.push({ rv: node.RangeVar, node, placement });
      return true;
    }
    if (!("JoinExpr" in node)) return false;
    const join = node.JoinExpr;
    const left = join.larg;
    const right = join.rarg;
    if (left === undefined || right === undefined) return false;
    const plain = join.isNatural !== true && (join.usingClause ?? []).length === 0 &&
      join.alias === undefined && join.jointype !== "JOIN_FULL";
    const on: Placement | undefined = plain ? { kind: "on", join } : undefined;
    const kind = join.jointype ?? "JOIN_INNER";
    const preserved = plain && top ? { kind: "where" } as const : undefined;
    const leftPlace = kind === "JOIN_LEFT" ? preserved : on;
    const rightPlace = kind === "JOIN_RIGHT" ? preserved : on;
    return visit(left, leftPlace, false) && visit(right, rightPlace, false);
  };
  for (const node of from) {
    if (!visit(node, { kind: "where" }, true)) return undefined;
  }
  return items;
}

interface Merge {
  readonly item: FromItem;
  readonly view: ShellRelation;
  readonly simple: SimpleView;
  /** The columns of each other FROM item. */
  readonly others: readonly ReadonlySet<string>[];
  readonly otherAliases: readonly string[];
}

/** The query with the view merged, or undefined when a reference cannot be mapped. */
function merge(select: ast.SelectStmt, how: Merge): ast.SelectStmt | undefined {
  const { item, view, simple } = how;
  const rv = item.rv;
  if ((rv.alias?.colnames ?? []).length > 0) return undefined;
  const alias = rv.alias?.aliasname ?? view.name;
  if (how.otherAliases.includes(alias)) return undefined;
  const outputs = new Set((select.targetList ?? []).flatMap((t) => {
    const name = "ResTarget" in t ? outputName(t.ResTarget) : undefined;
    return name === undefined ? [] : [name];
  }));
  const renamer = new ColumnRenamer({ view: simple, alias, outputs, others: how.others,
    single: how.others.length === 0 });
  const where = simple.where === undefined ? undefined
    : requalify(simple.where, simple.qualifier, alias);
  if (where === null) return undefined;
  const base: ast.Node = { RangeVar: { ...simple.table, alias: { aliasname: alias } } };
  const targetList = renamer.targets(select.targetList ?? []);
  const { sortClause, distinctClause, groupClause, ...others } = select;
  const rest = renamer.tree({ ...others, targetList: [] }, { node: item.node, base,
    where: item.placement?.kind === "on" ? { join: item.placement.join, quals: where }
      : undefined }) as ast.SelectStmt;
  const sort = sortClause?.map((item) => ("SortBy" in item && item.SortBy.node !== undefined
    ? { SortBy: { ...item.SortBy, node: renamer.item(item.SortBy.node) } } : item));
  const distinct = distinctClause?.map((item) => renamer.item(item));
  const group = renamer.group(groupClause);
  if (targetList === undefined || renamer.failed) return undefined;
  const conditions = [item.placement?.kind === "where" ? where : undefined, rest.whereClause]
    .filter((c): c is ast.Node => c !== undefined);
  return { ...rest, targetList, ...(conditions.length > 0 && { whereClause: and(conditions) }),
    ...(sort !== undefined && { sortClause: sort }),
    ...(distinct !== undefined && { distinctClause: distinct }),
    ...(group !== undefined && { groupClause: group }) };
}

function and(conditions: readonly ast.Node[]): ast.Node {
  return conditions.length === 1 ? conditions[0]!
    : { BoolExpr: { boolop: "AND_EXPR", args: [...conditions] } };
}

/** The view as a column rename of one Citus table, or undefined when it is more. */
function simpleView(view: ShellRelation, catalog: Catalog, cache: MetadataCache,
  depth: number): SimpleView | undefined {
  const wrapper = view.viewQuery;
  const from = wrapper !== null && "SelectStmt" in wrapper
    ? wrapper.SelectStmt.fromClause?.[0] : undefined;
  const inner = from !== undefined && "RangeSubselect" in from
    ? from.RangeSubselect.subquery : undefined;
  if (inner === undefined || !("SelectStmt" in inner)) return undefined;
  let select = inner.SelectStmt;
  if (!plainSelect(select) || someNode(select, (r) => "SubLink" in r)) return undefined;
  const first = select.fromClause?.[0];
  if (select.fromClause?.length !== 1 || first === undefined || !("RangeVar" in first)) {
    return undefined;
  }
  // A view of a simple view: the inner view merged into this one's query first.
  if (storedRelation(catalog, first.RangeVar)?.kind === "v") {
    assert(depth < limits.treeDepthMax, "views nest within the tree depth limit");
    const stored = (rv: ast.RangeVar): ShellRelation | undefined => storedRelation(catalog, rv);
    const viewOf = (rv: ast.RangeVar): ShellRelation | undefined =>
      (stored(rv)?.kind === "v" ? stored(rv) : undefined);
    const merged = flattenOneView(select, viewOf, stored, catalog, cache, depth + 1);
    if (merged === undefined) return undefined;
    select = merged;
  }
  const item = select.fromClause?.[0];
  if (item === undefined || !("RangeVar" in item)) return undefined;
  const table = item.RangeVar;
  const relation = storedRelation(catalog, table);
  if (relation === undefined || cache.table(oid(relation.oid)) === undefined) return undefined;
  const qualifier = table.alias?.aliasname ?? table.relname ?? "";
  const sources = sourceColumns(select.targetList ?? [], relation, qualifier);
  const order = view.columns.filter((c) => !c.dropped).map((c) => c.name);
  if (sources === undefined || sources.length < order.length) return undefined;
  const columns = new Map(order.map((name, i) => [name, sources[i]!]));
  const tableColumns = new Set(relation.columns.filter((c) => !c.dropped).map((c) => c.name));
  return { table, qualifier, columns, order, where: select.whereClause, tableColumns };
}

/** A relation a view's stored query names (schema-qualified there, so no search path). */
function storedRelation(catalog: Catalog, rv: ast.RangeVar): ShellRelation | undefined {
  return catalog.findRelation(["public"], rv.schemaname, rv.relname ?? "");
}

/** The table columns the view's select list reads, in order, or undefined if not plain. */
function sourceColumns(targets: readonly ast.Node[], relation: ShellRelation,
  qualifier: string): string[] | undefined {
  const names: string[] = [];
  for (const target of targets) {
    const value = "ResTarget" in target ? target.ResTarget.val : undefined;
    const fields = value !== undefined && "ColumnRef" in value ? value.ColumnRef.fields ?? []
      : undefined;
    if (fields === undefined || fields.length > 2) return undefined;
    if (fields.length === 2 && stringOf(fields[0]) !== qualifier) return undefined;
    const last = fields[fields.length - 1];
    if (last !== undefined && "A_Star" in last) {
      if (targets.length !== 1) return undefined;
      return relation.columns.filter((c) => !c.dropped).map((c) => c.name);
    }
    const name = stringOf(last);
    if (name === undefined) return undefined;
    names.push(name);
  }
  return names;
}

/** A SELECT that only filters and projects: no grouping, ordering, limits or set operation. */
function plainSelect(select: ast.SelectStmt): boolean {
  return (select.op === undefined || select.op === "SETOP_NONE") &&
    select.withClause === undefined && (select.distinctClause ?? []).length === 0 &&
    (select.groupClause ?? []).length === 0 && select.havingClause === undefined &&
    (select.windowClause ?? []).length === 0 && (select.sortClause ?? []).length === 0 &&
    select.limitCount === undefined && select.limitOffset === undefined &&
    (select.lockingClause ?? []).length === 0 && (select.valuesLists ?? []).length === 0 &&
    select.intoClause === undefined;
}

/** The reading query may group, order and limit; it must not hold other queries. */
function plainOuter(select: ast.SelectStmt): boolean {
  return (select.op === undefined || select.op === "SETOP_NONE") &&
    select.withClause === undefined && (select.fromClause ?? []).length > 0 &&
    select.intoClause === undefined && (select.lockingClause ?? []).length === 0 &&
    !someNode(select, (r) => "SubLink" in r || "RangeSubselect" in r ||
      "RangeFunction" in r || "CommonTableExpr" in r);
}

/** What the reading query's column references are renamed by. */
interface RenameContext {
  readonly view: SimpleView;
  readonly alias: string;
  /** The query's output names. */
  readonly outputs: ReadonlySet<string>;
  /** The columns of each other FROM item. */
  readonly others: readonly ReadonlySet<string>[];
  /** Whether the view is the query's only FROM item (`*` is then the view's). */
  readonly single: boolean;
}

/** The FROM item to replace and the view's WHERE to add to a join's ON. */
interface Replacement {
  readonly node: object;
  readonly base: ast.Node;
  readonly where: { readonly join: object; readonly quals: ast.Node | undefined } | undefined;
}

/** Renames the reading query's references to view columns into the table's columns. */
class ColumnRenamer {
  failed = false;
  /** Set while renaming GROUP BY, where output names are visible. */
  private outputsVisible = false;

  constructor(private readonly ctx: RenameContext) {}

  /** The select list, `*` expanded and each renamed column keeping its output name. */
  targets(targets: readonly ast.Node[]): ast.Node[] | undefined {
    const out: ast.Node[] = [];
    for (const target of targets) {
      if (!("ResTarget" in target)) return undefined;
      const res = target.ResTarget;
      const fields = res.val !== undefined && "ColumnRef" in res.val
        ? res.val.ColumnRef.fields ?? [] : undefined;
      if (fields !== undefined && fields.some((f) => "A_Star" in f)) {
        const star = this.star(fields);
        if (star === "view") {
          for (const name of this.ctx.view.order) out.push(this.column(name, name));
          continue;
        }
        if (star === "other") {
          out.push(target);
          continue;
        }
        return undefined;
      }
      const val = this.tree(res.val, undefined) as ast.Node | undefined;
      const named = res.name ?? this.viewColumn(fields ?? []);
      out.push({ ResTarget: { ...res, ...(val !== undefined && { val }),
        ...(named !== undefined && { name: named }) } });
    }
    return out;
  }

  /**
   * Any tree with its column references renamed, the view's FROM item replaced by the
   * table and the view's WHERE added to its join; sets `failed` on a reference it cannot map.
   */
  tree(tree: unknown, replace: Replacement | undefined): unknown {
    if (Array.isArray(tree)) return tree.map((item) => this.tree(item, replace));
    if (!isRecord(tree)) return tree;
    if (replace !== undefined && tree === replace.node) return replace.base;
    const ref = tree["ColumnRef"];
    if (isRecord(ref)) return this.reference(ref as ast.ColumnRef, tree);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tree)) out[key] = this.tree(value, replace);
    if (replace?.where !== undefined && tree === replace.where.join) {
      const quals = replace.where.quals;
      if (quals !== undefined) {
        const on = out["quals"] as ast.Node | undefined;
        out["quals"] = on === undefined ? quals : and([on, quals]);
      }
    }
    return out;
  }

  /**
   * An ORDER BY or DISTINCT ON item: a bare name of an output column names that column, as
   * in PostgreSQL (the output keeps its name, so the name still finds it); anything else is
   * an expression over the input columns.
   */
  item(item: ast.Node): ast.Node {
    const fields = "ColumnRef" in item ? item.ColumnRef.fields ?? [] : [];
    const single = fields.length === 1 ? stringOf(fields[0]) : undefined;
    if (single !== undefined && this.ctx.outputs.has(single)) return item;
    return this.tree(item, undefined) as ast.Node;
  }

  /** GROUP BY: a bare name is an input column first, else an output column (kept). */
  group(items: readonly ast.Node[] | undefined): ast.Node[] | undefined {
    this.outputsVisible = true;
    try {
      return items?.map((item) => this.tree(item, undefined) as ast.Node);
    } finally {
      this.outputsVisible = false;
    }
  }

  private reference(ref: ast.ColumnRef, original: unknown): unknown {
    const fields = ref.fields ?? [];
    const name = this.viewColumn(fields);
    if (name !== undefined) return this.column(name, undefined).ResTarget.val;
    if (fields.length === 2 && stringOf(fields[0]) !== this.ctx.alias) return original;
    const bare = fields.length === 1 ? stringOf(fields[0]) : undefined;
    const hidden = bare !== undefined && this.ctx.view.tableColumns.has(bare);
    if (bare !== undefined && !hidden && this.ctx.others.some((c) => c.has(bare))) {
      return original;
    }
    // An output name in GROUP BY stays, unless the table would read it as its own column.
    if (bare !== undefined && !hidden && this.outputsVisible && this.ctx.outputs.has(bare)) {
      return original;
    }
    this.failed = true;
    return original;
  }

  /**
   * The view column a reference names (`col` or `alias.col`), or undefined; an unqualified
   * name another FROM item has too is ambiguous, and fails.
   */
  private viewColumn(fields: readonly ast.Node[]): string | undefined {
    if (fields.length < 1 || fields.length > 2) return undefined;
    if (fields.length === 2 && stringOf(fields[0]) !== this.ctx.alias) return undefined;
    const name = stringOf(fields[fields.length - 1]);
    if (name === undefined || !this.ctx.view.columns.has(name)) return undefined;
    if (fields.length === 1 && this.ctx.others.some((c) => c.has(name))) {
      this.failed = true;
      return undefined;
    }
    return name;
  }

  /** Whose `*` a select-list star is: the view's, another item's, or unknown. */
  private star(fields: readonly ast.Node[]): "view" | "other" | undefined {
    if (fields.length === 1) return this.ctx.single ? "view" : undefined;
    if (fields.length !== 2) return undefined;
    return stringOf(fields[0]) === this.ctx.alias ? "view" : "other";
  }

  /** `alias.<table column>` for a view column, as a select-list entry named `name`. */
  private column(view: string, name: string | undefined): { ResTarget: ast.ResTarget } {
    const source = this.ctx.view.columns.get(view)!;
    const val: ast.Node = { ColumnRef: { fields: [{ String: { sval: this.ctx.alias } },
      { String: { sval: source } }] } };
    return { ResTarget: { val, ...(name !== undefined && { name }) } };
  }
}

/**
 * The view's WHERE with references qualified by the table's name in the view moved to the
 * alias of the reading query, and unqualified ones qualified by it too (other FROM items
 * may have columns of the same names); null when a reference is qualified some other way.
 */
function requalify(where: ast.Node, qualifier: string, alias: string): ast.Node | null {
  let failed = false;
  const visit = (tree: unknown): unknown => {
    if (Array.isArray(tree)) return tree.map(visit);
    if (!isRecord(tree)) return tree;
    const ref = tree["ColumnRef"];
    if (isRecord(ref)) {
      const fields = (ref as ast.ColumnRef).fields ?? [];
      if (fields.length === 2 && stringOf(fields[0]) !== qualifier) failed = true;
      if (fields.length > 2 || fields.some((f) => "A_Star" in f)) failed = true;
      return { ColumnRef: { ...ref, fields: [{ String: { sval: alias } }, ...fields.slice(-1)] } };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(tree)) out[key] = visit(value);
    return out;
  };
  const result = visit(where) as ast.Node;
  return failed ? null : result;
}

/** The name a select-list entry gives its column: its AS name, or a column's own name. */
function outputName(target: ast.ResTarget): string | undefined {
  if (target.name !== undefined) return target.name;
  const fields = target.val !== undefined && "ColumnRef" in target.val
    ? target.val.ColumnRef.fields ?? [] : [];
  return stringOf(fields[fields.length - 1]);
}

function stringOf(field: ast.Node | undefined): string | undefined {
  return field !== undefined && "String" in field ? field.String.sval : undefined;
}
