/**
 * Writes through automatically updatable views (PostgreSQL's rewriteTargetView): INSERT,
 * UPDATE and DELETE naming a view become the same statement on the view's table, before
 * analysis, on the raw tree. The coordinator uses the same rewrite for views over Citus
 * tables, then plans the result as a write to the table (routed when the distribution column
 * is pinned).
 *
 *   CREATE VIEW tv (i, d) AS SELECT id, dev FROM t WHERE dev > 0;
 *   UPDATE tv SET d = 5 WHERE i = 1 RETURNING *
 *     -> UPDATE public.t tv SET dev = 5 WHERE tv.id = 1 AND tv.dev > 0
 *        RETURNING tv.id AS i, tv.dev AS d
 *
 * A view qualifies as PostgreSQL's rules say: one table or view in FROM and nothing but a
 * WHERE besides; no DISTINCT, GROUP BY, HAVING, set operation, WITH, LIMIT/OFFSET, aggregate,
 * window function or set-returning function (55000 "cannot insert into view", the reason as
 * DETAIL). A view column that is an expression rather than a table column reads through but
 * cannot be written (0A000). The view's WHERE joins that of UPDATE and DELETE; references to
 * the view's columns become references to the table's, qualified by the view's alias; a name
 * the view hides (a table column it does not show) is unknown (42703). A view of a view
 * rewrites twice; the rewrite stops at a view with an INSTEAD OF trigger for the command,
 * whose triggers take the write (`view-instead-of.ts`).
 *
 * WITH CHECK OPTION gives the conditions a new row must meet (`ViewCheck`), over the table's
 * columns under the same alias: the view's own WHERE, and with CASCADED those of the views
 * below it too; a view below with a check option of its own is always checked.
 */
import { SqlError, SqlState, assert, limits, notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { Relation } from "../catalog/relation.js";
import type { Plan } from "../plan/plan.js";
import { hasInsteadOfTrigger } from "../plpgsql/trigger-store.js";
import { Scope, type StatementScope } from "./scope.js";
import { analyzeSubquery } from "./subquery.js";
import { withViewDefaults } from "./view-defaults.js";

/** A condition a row written through a view with a check option must meet. */
export interface ViewCheck {
  /** The view whose check option it is, for the error message. */
  readonly view: string;
  /** A boolean expression over the table's columns, qualified by `alias`. */
  readonly condition: ast.Node;
}

/** A write to a view, rewritten onto its table. */
export interface ViewWrite {
  readonly stmt: ast.Node;
  /** The table written in the end (a view only when its INSTEAD OF triggers take the write). */
  readonly table: Relation;
  /** The name the table goes by in `stmt` and in the checks. */
  readonly alias: string;
  /** Checks of the views passed through, innermost first (PostgreSQL's order). */
  readonly checks: readonly ViewCheck[];
}

type Command = "insert" | "update" | "delete";

/**
 * Rewrites INSERT, UPDATE or DELETE on a view onto the view's table; undefined when `stmt`
 * writes no view. Views of views are followed down to the table.
 */
export function rewriteViewWrite(stmt: ast.Node, statement: StatementScope):
  ViewWrite | undefined {
  let current = stmt;
  let checks: ViewCheck[] = [];
  let cascaded = false;
  let rewritten: { alias: string; table: Relation } | undefined;
  for (let depth = 0; ; depth++) {
    assert(depth <= limits.treeDepthMax, "views nest within the tree depth limit");
    const target = writeTarget(current);
    if (target === undefined) return undefined;
    const { catalog, path } = statement;
    const rv = target.rv;
    const rel = catalog.findRelation(path, rv.schemaname, rv.relname ?? "");
    if (rel === undefined || rel.kind !== "v") {
      return rewritten === undefined || rel === undefined ? undefined
        : { stmt: current, table: rel, alias: rewritten.alias, checks };
    }
    if (hasInsteadOfTrigger(catalog, rel, target.command)) {
      // Its INSTEAD OF triggers take the write (`view-instead-of.ts`), from here down.
      if (rewritten === undefined) return undefined;
      if (checks.length > 0) throw notSupported("check options of views over a view with " +
        "INSTEAD OF triggers");
      return { stmt: current, table: rel, alias: rewritten.alias, checks };
    }
    const view = updatableView(rel, target.command, statement);
    const alias = rv.alias?.aliasname ?? rel.name;
    const step = new ViewStep(rel, view, alias, target.command);
    const own = rel.viewCheck !== undefined || cascaded;
    checks = checks.map((c) => ({ view: c.view, condition: step.expr(c.condition) }));
    current = step.statement(current);
    if (own && view.where !== undefined) {
      checks.unshift({ view: rel.name, condition: step.where() });
    }
    if (rel.viewCheck === "cascaded") cascaded = true;
    rewritten = { alias, table: rel };
  }
}

/** The target of a write statement and which kind of write it is. */
function writeTarget(stmt: ast.Node): { rv: ast.RangeVar; command: Command } | undefined {
  if ("InsertStmt" in stmt && stmt.InsertStmt.relation !== undefined) {
    return { rv: stmt.InsertStmt.relation, command: "insert" };
  }
  if ("UpdateStmt" in stmt && stmt.UpdateStmt.relation !== undefined) {
    return { rv: stmt.UpdateStmt.relation, command: "update" };
  }
  if ("DeleteStmt" in stmt && stmt.DeleteStmt.relation !== undefined) {
    return { rv: stmt.DeleteStmt.relation, command: "delete" };
  }
  return undefined;
}

/** A view as a column map over one table or view. */
interface UpdatableView {
  /** The relation the view reads, as its stored query names it (schema-qualified). */
  readonly base: ast.RangeVar;
  /** The name the stored query gives the base inside the view. */
  readonly qualifier: string;
  /** Per view column: the base column it shows, or the expression it computes. */
  readonly columns: ReadonlyMap<string, ViewColumn>;
  /** View columns in order. */
  readonly order: readonly string[];
  readonly where: ast.Node | undefined;
  /** The base's own columns (hidden ones included), to refuse names the view hides. */
  readonly baseColumns: ReadonlySet<string>;
}

type ViewColumn = { readonly column: string } | { readonly expr: ast.Node };

const verbs: Record<Command, { verb: string; noun: string; rule: string }> = {
  insert: { verb: "insert into", noun: "inserting into", rule: "INSERT" },
  update: { verb: "update", noun: "updating", rule: "UPDATE" },
  delete: { verb: "delete from", noun: "deleting from", rule: "DELETE" },
};

/** The view as a column map, or PostgreSQL's 55000 naming why it cannot be written. */
export function updatableView(view: Relation, command: Command, statement: StatementScope):
  UpdatableView {
  const reason = notUpdatable(view, command, statement);
  if (typeof reason === "string") {
    const { verb, noun, rule } = verbs[command];
    throw new SqlError(SqlState.objectNotInPrerequisiteState,
      `cannot ${verb} view "${view.name}"`,
      { detail: reason, hint: `To enable ${noun} the view, provide an INSTEAD OF ${rule} ` +
        `trigger or an unconditional ON ${rule} DO INSTEAD rule.` });
  }
  return reason;
}

/**
 * Why `view` is not automatically updatable (PostgreSQL's view_query_is_auto_updatable,
 * in its order), or the view as a column map when it is.
 */
export function notUpdatable(view: Relation, command: Command | "check",
  statement: StatementScope): string | UpdatableView {
  const select = innerSelect(view);
  const not = (what: string): string => `Views ${what} are not automatically updatable.`;
  if ((select.distinctClause ?? []).length > 0) return not("containing DISTINCT");
  if ((select.groupClause ?? []).length > 0) return not("containing GROUP BY");
  if (select.havingClause !== undefined) return not("containing HAVING");
  if (select.op !== undefined && select.op !== "SETOP_NONE") {
    return not("containing UNION, INTERSECT, or EXCEPT");
  }
  if (select.withClause !== undefined) return not("containing WITH");
  if (select.limitCount !== undefined || select.limitOffset !== undefined) {
    return not("containing LIMIT or OFFSET");
  }
  const computed = computes(select, statement);
  if (computed !== undefined) return not(`that return ${computed}`);
  const from = select.fromClause ?? [];
  const single = not("that do not select from a single table or view");
  if (from.length !== 1 || (select.valuesLists ?? []).length > 0) return single;
  const item = from[0]!;
  if ("RangeTableSample" in item) return not("containing TABLESAMPLE");
  if (!("RangeVar" in item) || item.RangeVar.inh === false) return single;
  const base = item.RangeVar;
  const rel = statement.catalog.findRelation(["public"], base.schemaname, base.relname ?? "");
  if (rel === undefined || (rel.kind !== "r" && rel.kind !== "v") ||
    rel.virtualRows !== undefined) {
    return single;
  }
  const qualifier = base.alias?.aliasname ?? base.relname ?? "";
  const baseColumns = new Set(rel.columns.filter((c) => !c.dropped).map((c) => c.name));
  const order = view.columns.filter((c) => !c.dropped).map((c) => c.name);
  const sources = viewSources(select.targetList ?? [], [...baseColumns], qualifier);
  const columns = new Map(order.map((name, i) => [name, sources[i]!]));
  if (command !== "delete" && ![...columns.values()].some((c) => "column" in c)) {
    return not("that have no updatable columns");
  }
  return { base, qualifier, columns, order, where: select.whereClause, baseColumns };
}

/** The view's query inside the projection CREATE VIEW stores it under. */
function innerSelect(view: Relation): ast.SelectStmt {
  const wrapper = view.viewQuery;
  assert(wrapper !== null && "SelectStmt" in wrapper, "a view stores a SELECT");
  const from = wrapper.SelectStmt.fromClause?.[0];
  assert(from !== undefined && "RangeSubselect" in from, "a view's query is a subquery");
  const inner = from.RangeSubselect.subquery;
  assert(inner !== undefined && "SelectStmt" in inner, "a view's query is a SELECT");
  return inner.SelectStmt;
}

/** What the view's plan computes that a table does not hold: aggregates, windows, SRFs. */
function computes(select: ast.SelectStmt, statement: StatementScope): string | undefined {
  if ((select.op ?? "SETOP_NONE") !== "SETOP_NONE" || (select.fromClause ?? []).length === 0) {
    return undefined;
  }
  const scope: StatementScope = { ...statement, params: { types: [] } };
  const plan = analyzeSubquery({ SelectStmt: select }, new Scope(scope, undefined)).plan;
  let found: string | undefined;
  const visit = (p: Plan): void => {
    if (p.kind === "agg") found ??= "aggregate functions";
    if (p.kind === "window") found ??= "window functions";
    if (p.kind === "project" && p.srfs.length > 0) found ??= "set-returning functions";
    if (p.kind === "subqueryScan" || p.kind === "modify") return;
    const input = (p as { input?: Plan }).input;
    if (input !== undefined) visit(input);
  };
  visit(plan);
  return found;
}

/** Per select-list entry of the view's query: the base column it reads, or its expression. */
function viewSources(targets: readonly ast.Node[], baseColumns: readonly string[],
  qualifier: string): ViewColumn[] {
  const out: ViewColumn[] = [];
  for (const target of targets) {
    const val = "ResTarget" in target ? target.ResTarget.val : undefined;
    if (val === undefined) continue;
    const fields = "ColumnRef" in val ? val.ColumnRef.fields ?? [] : undefined;
    if (fields !== undefined && fields.some((f) => "A_Star" in f)) {
      out.push(...baseColumns.map((column) => ({ column })));
      continue;
    }
    const name = fields === undefined ? undefined : columnName(fields, qualifier);
    out.push(name !== undefined && baseColumns.includes(name) ? { column: name }
      : { expr: val });
  }
  return out;
}

/** The column a reference names when it is `col` or `qualifier.col`, else undefined. */
function columnName(fields: readonly ast.Node[], qualifier: string): string | undefined {
  if (fields.length === 1) return stringOf(fields[0]);
  if (fields.length === 2 && stringOf(fields[0]) === qualifier) return stringOf(fields[1]);
  return undefined;
}

export function stringOf(field: ast.Node | undefined): string | undefined {
  return field !== undefined && "String" in field ? field.String.sval : undefined;
}

/** One level of the rewrite: a statement on the view becomes one on the view's base. */
class ViewStep {
  constructor(private readonly rel: Relation, private readonly view: UpdatableView,
    private readonly alias: string, private readonly command: Command) {}

  /** The statement on the base. */
  statement(stmt: ast.Node): ast.Node {
    const base: ast.RangeVar = { ...this.view.base, alias: { aliasname: this.alias },
      inh: true, relpersistence: "p" };
    if ("InsertStmt" in stmt) return { InsertStmt: this.insert(stmt.InsertStmt, base) };
    if ("UpdateStmt" in stmt) {
      const update = stmt.UpdateStmt;
      return { UpdateStmt: { ...update, relation: base,
        targetList: (update.targetList ?? []).map((t) => this.assignment(t)),
        ...this.filtered(update.whereClause),
        ...(update.returningClause !== undefined &&
          { returningClause: this.returning(update.returningClause, update.fromClause ?? []) })
      } };
    }
    assert("DeleteStmt" in stmt, "a write is an INSERT, UPDATE or DELETE");
    const del = stmt.DeleteStmt;
    return { DeleteStmt: { ...del, relation: base, ...this.filtered(del.whereClause),
      ...(del.returningClause !== undefined &&
        { returningClause: this.returning(del.returningClause, del.usingClause ?? []) }) } };
  }

  /** The view's WHERE over the base's columns, qualified by the alias. */
  where(): ast.Node {
    return requalify(this.view.where!, this.view.qualifier, this.alias);
  }

  /** Any expression of the statement with view columns turned into the base's. */
  expr(tree: ast.Node): ast.Node {
    return this.rename(tree, false) as ast.Node;
  }

  private insert(original: ast.InsertStmt, base: ast.RangeVar): ast.InsertStmt {
    const given = (original.cols ?? []).map((c) => ("ResTarget" in c ? c.ResTarget : {}));
    const listed = given.length > 0 ? given.map((c) => c.name ?? "")
      : this.view.order.slice(0, insertWidth(original) ?? this.view.order.length);
    // The view's own column defaults come first (`view-defaults.ts`).
    const { insert, names } = withViewDefaults(this.rel, original, listed);
    const cols = names.map((name, i): ast.Node => ({ ResTarget: {
      ...given[i], name: this.writable(name) } }));
    const conflict = insert.onConflictClause;
    return { ...insert, relation: base, cols,
      ...(insert.selectStmt !== undefined && { selectStmt: insert.selectStmt }),
      ...(conflict !== undefined && { onConflictClause: this.onConflict(conflict) }),
      ...(insert.returningClause !== undefined &&
        { returningClause: this.returning(insert.returningClause, []) }) };
  }

  private onConflict(clause: ast.OnConflictClause): ast.OnConflictClause {
    const infer = clause.infer;
    const elems = infer?.indexElems?.map((e) => ("IndexElem" in e && e.IndexElem.name !== undefined
      ? { IndexElem: { ...e.IndexElem, name: this.writable(e.IndexElem.name) } }
      : this.expr(e)));
    return { ...clause,
      ...(infer !== undefined && { infer: { ...infer,
        ...(elems !== undefined && { indexElems: elems }),
        ...(infer.whereClause !== undefined && { whereClause: this.expr(infer.whereClause) }) } }),
      ...(clause.targetList !== undefined &&
        { targetList: clause.targetList.map((t) => this.assignment(t)) }),
      ...(clause.whereClause !== undefined && { whereClause: this.expr(clause.whereClause) }) };
  }

  /** An UPDATE SET entry: the view column's base column, the value renamed. */
  private assignment(target: ast.Node): ast.Node {
    if (!("ResTarget" in target)) return target;
    const res = target.ResTarget;
    return { ResTarget: { ...res, name: this.writable(res.name ?? ""),
      ...(res.val !== undefined && { val: this.expr(res.val) }) } };
  }

  /** The base column a written view column names; 0A000 for a computed one. */
  private writable(name: string): string {
    const column = this.view.columns.get(name);
    if (column === undefined) {
      throw new SqlError(SqlState.undefinedColumn,
        `column "${name}" of relation "${this.rel.name}" does not exist`);
    }
    if ("column" in column) return column.column;
    const verb = this.command === "insert" ? "insert into" : "update";
    throw new SqlError(SqlState.featureNotSupported,
      `cannot ${verb} column "${name}" of view "${this.rel.name}"`,
      { detail: "View columns that are not columns of their base relation are not updatable." });
  }

  /** The statement's WHERE renamed, AND the view's WHERE. */
  private filtered(where: ast.Node | undefined): { whereClause?: ast.Node } {
    const own = where === undefined ? undefined : this.expr(where);
    const view = this.view.where === undefined ? undefined : this.where();
    const parts = [own, view].filter((p): p is ast.Node => p !== undefined);
    if (parts.length === 0) return {};
    return { whereClause: parts.length === 1 ? parts[0]!
      : { BoolExpr: { boolop: "AND_EXPR", args: parts } } };
  }

  /** RETURNING with `*` and bare view columns keeping the view's column names. */
  private returning(clause: ast.ReturningClause, from: readonly ast.Node[]):
    ast.ReturningClause {
    const exprs: ast.Node[] = [];
    for (const item of clause.exprs ?? []) {
      const res = "ResTarget" in item ? item.ResTarget : undefined;
      const fields = res?.val !== undefined && "ColumnRef" in res.val
        ? res.val.ColumnRef.fields ?? [] : undefined;
      if (res === undefined || fields === undefined) {
        exprs.push(res === undefined ? item : { ResTarget: { ...res,
          ...(res.val !== undefined && { val: this.expr(res.val) }) } });
        continue;
      }
      const star = fields.some((f) => "A_Star" in f) &&
        (fields.length === 1 || stringOf(fields[0]) === this.alias);
      if (star) {
        for (const name of this.view.order) exprs.push(this.output(name, name));
        // A bare `*` is every FROM item's columns too, after the target's.
        if (fields.length === 1) exprs.push(...fromAliases(from).map(qualifiedStar));
        continue;
      }
      const named = columnName(fields, this.alias);
      const shown = named !== undefined && this.view.columns.has(named) ? named : undefined;
      const name = res.name ?? shown;
      exprs.push({ ResTarget: { ...res, val: this.expr(res.val!),
        ...(name !== undefined && { name }) } });
    }
    return { ...clause, exprs };
  }

  private output(name: string, as: string): ast.Node {
    return { ResTarget: { name: as, val: this.reference(name) } };
  }

  /** The base expression for view column `name`, over the alias. */
  private reference(name: string): ast.Node {
    const column = this.view.columns.get(name)!;
    if ("column" in column) {
      return { ColumnRef: { fields: [{ String: { sval: this.alias } },
        { String: { sval: column.column } }] } };
    }
    return requalify(column.expr, this.view.qualifier, this.alias);
  }

  /**
   * Renames column references: `col` and `alias.col` naming a view column become the base's;
   * `alias.x` naming no view column, and a bare name the view hides, are 42703. Inside a
   * subquery only `alias.col` is renamed (a bare name there may be the subquery's own).
   */
  private rename(tree: unknown, nested: boolean): unknown {
    if (Array.isArray(tree)) return tree.map((item) => this.rename(item, nested));
    if (tree === null || typeof tree !== "object") return tree;
    const record = tree as Record<string, unknown>;
    const ref = record["ColumnRef"] as ast.ColumnRef | undefined;
    if (ref !== undefined) return this.renameRef(ref, tree, nested);
    const inner = nested || "SubLink" in record || "RangeSubselect" in record;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) out[key] = this.rename(value, inner);
    return out;
  }

  private renameRef(ref: ast.ColumnRef, original: unknown, nested: boolean): unknown {
    const fields = ref.fields ?? [];
    if (fields.some((f) => "A_Star" in f)) return original;
    if (this.command === "insert" && fields.length === 2 && stringOf(fields[0]) === "excluded") {
      const column = this.view.columns.get(stringOf(fields[1]) ?? "");
      return column !== undefined && "column" in column ? { ColumnRef: { ...ref,
        fields: [fields[0]!, { String: { sval: column.column } }] } } : original;
    }
    const qualified = fields.length === 2 && stringOf(fields[0]) === this.alias;
    const name = fields.length === 1 ? stringOf(fields[0]) : qualified
      ? stringOf(fields[1]) : undefined;
    if (name === undefined || (nested && !qualified)) return original;
    if (this.view.columns.has(name)) return this.reference(name);
    if (qualified) {
      throw new SqlError(SqlState.undefinedColumn, `column ${this.alias}.${name} does not exist`,
        { ...(ref.location !== undefined && { position: ref.location + 1 }) });
    }
    if (this.view.baseColumns.has(name)) {
      throw new SqlError(SqlState.undefinedColumn, `column "${name}" does not exist`,
        { ...(ref.location !== undefined && { position: ref.location + 1 }) });
    }
    return original;
  }
}

/** The names FROM items go by, in order: aliases, table names, a join's sides. */
function fromAliases(items: readonly ast.Node[]): string[] {
  return items.flatMap((item): string[] => {
    if ("RangeVar" in item) return [item.RangeVar.alias?.aliasname ?? item.RangeVar.relname ?? ""];
    if ("JoinExpr" in item) {
      const join = item.JoinExpr;
      if (join.alias?.aliasname !== undefined) return [join.alias.aliasname];
      return fromAliases([join.larg, join.rarg].filter((s): s is ast.Node => s !== undefined));
    }
    const alias = "RangeSubselect" in item ? item.RangeSubselect.alias
      : "RangeFunction" in item ? item.RangeFunction.alias : undefined;
    return alias?.aliasname !== undefined ? [alias.aliasname] : [];
  });
}

function qualifiedStar(alias: string): ast.Node {
  return { ResTarget: { val: { ColumnRef: { fields: [{ String: { sval: alias } },
    { A_Star: {} }] } } } };
}

/** How many columns an INSERT without a column list fills: its VALUES' width, if plain. */
function insertWidth(insert: ast.InsertStmt): number | undefined {
  const select = insert.selectStmt;
  if (select === undefined || !("SelectStmt" in select)) return 0;
  const lists = select.SelectStmt.valuesLists;
  if (lists === undefined || lists.length === 0) {
    const targets = select.SelectStmt.targetList ?? [];
    const star = targets.some((t) => "ResTarget" in t && t.ResTarget.val !== undefined &&
      "ColumnRef" in t.ResTarget.val &&
      (t.ResTarget.val.ColumnRef.fields ?? []).some((f) => "A_Star" in f));
    return star || (select.SelectStmt.op ?? "SETOP_NONE") !== "SETOP_NONE" ? undefined
      : targets.length;
  }
  return Math.max(...lists.map((l) => ("List" in l ? l.List.items?.length ?? 0 : 0)));
}

/**
 * A view's expression with its references to the base (`col`, `qualifier.col`,
 * `schema.table.col`) qualified by `alias`; references inside its subqueries that are
 * qualified by the base are moved to the alias too.
 */
export function requalify(expr: ast.Node, qualifier: string, alias: string): ast.Node {
  const visit = (tree: unknown, nested: boolean): unknown => {
    if (Array.isArray(tree)) return tree.map((item) => visit(item, nested));
    if (tree === null || typeof tree !== "object") return tree;
    const record = tree as Record<string, unknown>;
    const ref = record["ColumnRef"] as ast.ColumnRef | undefined;
    if (ref !== undefined) {
      const fields = ref.fields ?? [];
      const last = fields[fields.length - 1];
      const own = (fields.length === 1 && !nested) ||
        (fields.length >= 2 && stringOf(fields[fields.length - 2]) === qualifier);
      if (!own || last === undefined || "A_Star" in last) return tree;
      return { ColumnRef: { ...ref, fields: [{ String: { sval: alias } }, last] } };
    }
    const inner = nested || "SubLink" in record || "RangeSubselect" in record;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) out[key] = visit(value, inner);
    return out;
  };
  return visit(expr, false) as ast.Node;
}
