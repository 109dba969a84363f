/**
 * Views stay bound to what they read. Postgres stores a view's query bound to OIDs and
 * column numbers, so the search_path of a later session, or renaming a table, a view or a
 * column, never changes what a view reads. Tessera stores the parsed query and analyzes it
 * when the view is used, so:
 *
 *   CREATE VIEW             every FROM item naming a table or view is stored with the schema
 *                           it was found in (`bindRelations`)
 *   table or view renamed   every FROM item naming it (in its old schema, and not a WITH
 *   or moved                query of that name) gets the new name and schema, and keeps the old
 *                           one as its alias (Postgres prints `FROM t2 t` too)
 *   column renamed          every column reference that reaches it gets the new name: a
 *                           qualified one through a FROM item naming the table (by alias or
 *                           name), an unqualified one at a query level whose FROM holds the
 *                           table and no other FROM item with a column of that name
 *
 * The view's own column names are fixed when it is created (CREATE VIEW wraps the query in
 * a projection that names them), so they stay as they were, as in Postgres. Each rewrite
 * replaces the view's stored query with a new tree: a rolled-back block puts the old back.
 */
import type { ast } from "@tessera/sql";
import type { Catalog } from "../catalog/catalog.js";
import type { Relation } from "../catalog/relation.js";

type Tree = unknown;

/**
 * `query` with each FROM item that names a table or view (not a WITH query) qualified by the
 * schema `path` finds it in.
 */
export function bindRelations(catalog: Catalog, path: readonly string[], query: ast.Node):
  ast.Node {
  const ctes = cteNames(query);
  return mapTree(query, (node) => {
    if (!isRecord(node) || !("RangeVar" in node)) return undefined;
    const rv = node["RangeVar"] as ast.RangeVar;
    const name = rv.relname ?? "";
    if (rv.schemaname !== undefined || ctes.has(name)) return undefined;
    const rel = catalog.findRelation(path, undefined, name);
    return rel === undefined ? undefined : { RangeVar: { ...rv, schemaname: rel.schema } };
  }) as ast.Node;
}

/** After `rel` (a table or view) was renamed or moved: its views name it anew. */
export function followRelationRename(catalog: Catalog, rel: Relation, oldName: string,
  oldSchema = rel.schema): void {
  for (const view of dependentViews(catalog, rel)) {
    const ctes = cteNames(view.viewQuery);
    // Column references qualified by the old name first, while the FROM items still have it.
    const qualifiers = new ColumnRewriter(catalog, rel, { kind: "qualifier", from: oldName,
      to: rel.name, schema: oldSchema }, ctes);
    const requalified = oldName === rel.name ? view.viewQuery
      : qualifiers.query(view.viewQuery, []);
    view.viewQuery = mapTree(requalified, (node) => {
      if (!isRecord(node) || !("RangeVar" in node)) return undefined;
      const rv = node["RangeVar"] as ast.RangeVar;
      if (!names(rv, oldSchema, oldName, ctes)) return undefined;
      return { RangeVar: { ...rv, relname: rel.name,
        ...(rv.schemaname !== undefined && { schemaname: rel.schema }) } };
    }) as ast.Node;
    view.version++;
  }
}

/** After column `from` of `rel` became `to`: the references of its views follow. */
export function followColumnRename(catalog: Catalog, rel: Relation, from: string,
  to: string): void {
  for (const view of dependentViews(catalog, rel)) {
    const ctes = cteNames(view.viewQuery);
    const rewriter = new ColumnRewriter(catalog, rel,
      { kind: "column", from, to, schema: rel.schema }, ctes);
    view.viewQuery = rewriter.query(view.viewQuery, []) as ast.Node;
    view.version++;
  }
}

/**
 * The views that read column `column` of `rel`, for DROP COLUMN's dependency check: those
 * whose query would change if the column were renamed, and, conservatively, every view over
 * `rel` that has a `*` (Postgres expanded it to each column when the view was made).
 */
export function viewsReadingColumn(catalog: Catalog, rel: Relation, column: string):
  Relation[] {
  return dependentViews(catalog, rel).filter((view) => {
    let star = false;
    mapTree(view.viewQuery, (node) => {
      if (isRecord(node) && "A_Star" in node) star = true;
      return undefined;
    });
    if (star) return true;
    const probe = new ColumnRewriter(catalog, rel,
      { kind: "column", from: column, to: `${column}\u0000dropped`, schema: rel.schema },
      cteNames(view.viewQuery));
    return JSON.stringify(probe.query(view.viewQuery, [])) !== JSON.stringify(view.viewQuery);
  });
}

function dependentViews(catalog: Catalog, rel: Relation): Relation[] {
  return [...catalog.allRelations()].filter((other) => (other.kind === "v" || other.kind === "m") &&
    other.viewQuery !== null && other.viewDeps?.includes(rel.oid) === true);
}

/** True when the FROM item `rv` names the relation `schema`.`name` (as the query has it). */
function names(rv: ast.RangeVar, schema: string, name: string, ctes: ReadonlySet<string>):
  boolean {
  if (rv.relname !== name) return false;
  if (rv.schemaname !== undefined) return rv.schemaname === schema;
  return !ctes.has(name);
}

function cteNames(query: Tree): Set<string> {
  const out = new Set<string>();
  mapTree(query, (node) => {
    if (isRecord(node) && "CommonTableExpr" in node) {
      out.add((node["CommonTableExpr"] as ast.CommonTableExpr).ctename ?? "");
    }
    return undefined;
  });
  return out;
}

/** A FROM item of one query level: the name its columns are qualified by, and its columns. */
interface FromItem {
  readonly ref: string;
  readonly isTarget: boolean;
  /** Column names, or null when not known (a subquery or function in FROM). */
  readonly columns: ReadonlySet<string> | null;
}

/**
 * What a `ColumnRewriter` renames: the column `from` of the relation (its last field), or the
 * qualifier `from` that names the relation itself (under its old name) in a FROM clause.
 */
interface Renaming {
  readonly kind: "column" | "qualifier";
  readonly from: string;
  readonly to: string;
  /** The relation's schema as the stored query has it. */
  readonly schema: string;
}

class ColumnRewriter {
  private readonly from: string;
  private readonly to: string;
  /** The name the relation has in the stored query. */
  private readonly storedName: string;

  constructor(private readonly catalog: Catalog, private readonly rel: Relation,
    private readonly renaming: Renaming, private readonly ctes: ReadonlySet<string>) {
    this.from = renaming.from;
    this.to = renaming.to;
    this.storedName = renaming.kind === "qualifier" ? renaming.from : rel.name;
  }

  /** Rewrites a query (a SelectStmt node, or anything holding them) under `outer` levels. */
  query(node: Tree, outer: readonly FromItem[][]): Tree {
    return mapTree(node, (child) => {
      if (!isRecord(child) || !("SelectStmt" in child)) return undefined;
      const stmt = child["SelectStmt"] as ast.SelectStmt;
      const level = this.fromItems(stmt.fromClause ?? []);
      const levels = [level, ...outer];
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(stmt)) {
        out[key] = key === "fromClause" ? this.fromClause(value, levels, outer)
          : key === "larg" || key === "rarg" || key === "withClause"
            ? this.query(value, outer) : this.expressions(value, levels);
      }
      return { SelectStmt: out };
    });
  }

  /** FROM: subqueries are their own levels (LATERAL ones see this one); ON and USING refer
   * to this level. */
  private fromClause(items: Tree, levels: readonly FromItem[][],
    outer: readonly FromItem[][]): Tree {
    return mapTree(items, (node) => {
      if (!isRecord(node)) return undefined;
      if ("RangeSubselect" in node) {
        const sub = node["RangeSubselect"] as ast.RangeSubselect;
        const seen = sub.lateral === true ? levels : outer;
        return { RangeSubselect: { ...sub, subquery: this.query(sub.subquery, seen) } };
      }
      if ("JoinExpr" in node) {
        const join = node["JoinExpr"] as ast.JoinExpr;
        const targetInside = this.fromItems([node]).some((i) => i.isTarget);
        const renameUsing = targetInside && this.renaming.kind === "column";
        return { JoinExpr: { ...join,
          larg: this.fromClause(join.larg, levels, outer),
          rarg: this.fromClause(join.rarg, levels, outer),
          quals: this.expressions(join.quals, levels),
          usingClause: renameUsing ? this.renameNames(join.usingClause) : join.usingClause } };
      }
      if ("RangeFunction" in node) return this.expressions(node, levels);
      return undefined;
    });
  }

  /** Expressions: column references resolve through `levels`; sublinks open new levels. */
  private expressions(node: Tree, levels: readonly FromItem[][]): Tree {
    return mapTree(node, (child) => {
      if (!isRecord(child)) return undefined;
      if ("SelectStmt" in child) return this.query(child, levels);
      if (!("ColumnRef" in child)) return undefined;
      const ref = child["ColumnRef"] as ast.ColumnRef;
      if (this.renaming.kind === "qualifier") {
        return this.qualifiedByTarget(ref, levels)
          ? { ColumnRef: renamedField(ref, -2, this.to) } : child;
      }
      return this.reaches(ref, levels) ? { ColumnRef: renamedField(ref, -1, this.to) } : child;
    });
  }

  /** True when `ref` is qualified by the name of an unaliased FROM item reading the target. */
  private qualifiedByTarget(ref: ast.ColumnRef, levels: readonly FromItem[][]): boolean {
    const fields = (ref.fields ?? []).map((f) => ("String" in f ? f.String.sval ?? "" : null));
    if (fields.length < 2 || fields[fields.length - 2] !== this.from) return false;
    for (const level of levels) {
      const item = level.find((i) => i.ref === this.from);
      if (item !== undefined) return item.isTarget;
    }
    return false;
  }

  /** True when `ref` is a reference to the renamed column. */
  private reaches(ref: ast.ColumnRef, levels: readonly FromItem[][]): boolean {
    const fields = (ref.fields ?? []).map((f) => ("String" in f ? f.String.sval ?? "" : null));
    if (fields[fields.length - 1] !== this.from) return false;
    if (fields.length >= 2) {
      const qualifier = fields[fields.length - 2];
      for (const level of levels) {
        const item = level.find((i) => i.ref === qualifier);
        if (item !== undefined) return item.isTarget;
      }
      return false;
    }
    for (const level of levels) {
      const holders = level.filter((i) => i.columns === null || i.columns.has(this.from));
      if (holders.length === 0) continue;
      return holders.length === 1 && holders[0]!.isTarget;
    }
    return false;
  }

  private renameNames(list: Tree): Tree {
    if (!Array.isArray(list)) return list;
    return list.map((n: Tree) => (isRecord(n) && "String" in n &&
      (n["String"] as { sval?: string }).sval === this.from ? { String: { sval: this.to } } : n));
  }

  /** The FROM items of a FROM list, joins flattened, with their reference names. */
  private fromItems(items: readonly Tree[]): FromItem[] {
    const out: FromItem[] = [];
    const visit = (node: Tree): void => {
      if (!isRecord(node)) return;
      if ("JoinExpr" in node) {
        const join = node["JoinExpr"] as ast.JoinExpr;
        visit(join.larg);
        visit(join.rarg);
        return;
      }
      if ("RangeVar" in node) {
        const rv = node["RangeVar"] as ast.RangeVar;
        const ref = rv.alias?.aliasname ?? rv.relname ?? "";
        const isTarget = names(rv, this.renaming.schema, this.storedName, this.ctes) &&
          (this.renaming.kind === "qualifier" ? rv.alias === undefined
            : (rv.alias?.colnames ?? []).length === 0);
        out.push({ ref, isTarget, columns: this.columnsOf(rv) });
        return;
      }
      const alias = (node["RangeSubselect"] as ast.RangeSubselect | undefined)?.alias ??
        (node["RangeFunction"] as ast.RangeFunction | undefined)?.alias;
      out.push({ ref: alias?.aliasname ?? "", isTarget: false, columns: null });
    };
    for (const item of items) visit(item);
    return out;
  }

  private columnsOf(rv: ast.RangeVar): ReadonlySet<string> | null {
    const aliased = rv.alias?.colnames ?? [];
    if (aliased.length > 0) {
      return new Set(aliased.map((n) => ("String" in n ? n.String.sval ?? "" : "")));
    }
    if (rv.schemaname === undefined && this.ctes.has(rv.relname ?? "")) return null;
    const rel = [...this.catalog.allRelations()].find((r) =>
      r.name === rv.relname && (rv.schemaname === undefined || r.schema === rv.schemaname));
    if (rel === undefined) return null;
    // The renamed table's columns already carry the new name; its references the old one.
    const renamed = this.renaming.kind === "column" && rel === this.rel;
    return new Set(rel.columns.filter((c) => !c.dropped)
      .map((c) => (renamed && c.name === this.to ? this.from : c.name)));
  }
}

/** `ref` with its field at `at` (negative: from the end) reading `to`. */
function renamedField(ref: ast.ColumnRef, at: number, to: string): ast.ColumnRef {
  const fields = (ref.fields ?? []).slice();
  fields[fields.length + at] = { String: { sval: to } };
  return { ...ref, fields };
}

function isRecord(value: Tree): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * A copy of `tree` where `replace` may substitute any node (returning undefined keeps
 * descending). Unchanged subtrees are copied too: stored trees are never shared.
 */
function mapTree(tree: Tree, replace: (node: Tree) => Tree | undefined): Tree {
  if (tree === null || typeof tree !== "object") return tree;
  const replaced = replace(tree);
  if (replaced !== undefined) return replaced;
  if (Array.isArray(tree)) return tree.map((item: Tree) => mapTree(item, replace));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) out[key] = mapTree(value, replace);
  return out;
}
