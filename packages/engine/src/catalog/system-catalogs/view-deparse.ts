/**
 * pg_get_viewdef: a view's stored query printed back as Postgres 15's ruleutils.c prints it,
 * always indented, with parentheses kept (`pretty` false) or dropped where precedence allows:
 *
 *    SELECT o.id,
 *       c.name AS customer
 *      FROM orders o
 *        JOIN customers c ON c.id = o.customer_id
 *     WHERE o.amount > 100::numeric;
 *
 * The clauses come from the stored parse tree; each expression is analyzed in a scope built
 * from the FROM clause (so literals carry the types the analysis gives them) and printed by
 * `rule-deparse.ts`. Column references are qualified by their FROM item's name, as PG 15 does
 * in views; a name an enclosing query level already uses gets `_1`, `_2` … as in
 * set_rtable_names. What the printer does not know raises 0A000 naming the construct.
 */
import { notSupported } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { analyzeExpr } from "../../analyze/expr-analyze.js";
import type { Expr, SubLinkExpr } from "../../analyze/expr.js";
import { mapExpr } from "../../analyze/expr-map.js";
import { coerceTo } from "../../analyze/coerce.js";
import { figureColname } from "../../analyze/naming.js";
import { Scope, type CteDef, type RangeItem, type ScopeColumn, type StatementScope }
  from "../../analyze/scope.js";
import { analyzeSubquery } from "../../analyze/subquery.js";
import { analyzeFunctionScan } from "../../analyze/from-function.js";
import { analyzeFromPart } from "../../analyze/from-rows.js";
import { analyzeWith, cycleMarkValues } from "../../analyze/with.js";
import { callsKept } from "../../analyze/sql-function-call.js";
import { quoteIdent } from "../../plan/explain-deparse.js";
import type { Relation } from "../relation.js";
import { formatTypeName, Oid } from "../types.js";
import { catalogStatement, relationName, type CatalogView } from "./object-defs.js";
import { deparseShown, deparseStored, indentSpaces, windowSpecText, type RuleContext }
  from "./rule-deparse.js";
import { defineWindows, namedWindows } from "../../analyze/window-clause.js";
import { groupingItemText } from "./view-deparse-grouping.js";
import { bareName, columnNumber, fromNames, integerConst, matchSubLinks, sqlSyntaxNames, starOf,
  stripSpacesBeforeNewlines } from "./view-deparse-nodes.js";

const std = 8;

/** pg_get_viewdef(view, pretty): the view's query, ending in `;`. */
export function viewDefinition(view: CatalogView, rel: Relation, pretty: boolean): string {
  const query = rel.viewQuery;
  if (query === null || !("SelectStmt" in query)) return "";
  const statement = catalogStatement(view, view.path);
  // PostgreSQL stores a view's SQL function calls as calls and prints them so.
  callsKept.add(statement);
  const printer = new ViewPrinter(view, pretty, statement);
  const names = rel.columns.filter((c) => !c.dropped).map((c) => c.name);
  const top = newLevel(undefined, undefined);
  top.used.add("old").add("new");
  const text = printer.query(unwrapColumnNames(query.SelectStmt, names), top, 0, names, true);
  return `${stripSpacesBeforeNewlines(text)};`;
}

/** One query level: its analysis scope and the printed name of each FROM-row position. */
interface Level {
  readonly scope: Scope | undefined;
  readonly columns: Map<number, { readonly ref: string; readonly column: string }>;
  readonly parent: Level | undefined;
  /** FROM item names of this level and the enclosing ones. */
  readonly used: Set<string>;
  /** Positions of the FROM row handed out so far. */
  width: number;
  /** WITH queries of this level: their output columns. */
  readonly ctes: Map<string, CteDef>;
}

interface OutputColumn { readonly name: string; readonly type: number; readonly typmod: number }

function newLevel(scope: Scope | undefined, parent: Level | undefined): Level {
  return { scope, columns: new Map(), parent, used: new Set(parent?.used ?? []), width: 0,
    ctes: new Map() };
}

/** ruleutils.c's output buffer with its indentation level (appendContextKeyword). */
class Buffer {
  text = "";
  constructor(public level: number) {}

  keyword(word: string, before: number, after: number, plus: number): void {
    this.level += before;
    this.text = this.text.replace(/ +$/, "");
    this.text += `\n${indentSpaces(this.level, plus)}${word}`;
    this.level = Math.max(this.level + after, 0);
  }

  /** Appends text; text starting a new line drops the spaces before it. */
  add(text: string): void {
    if (text.startsWith("\n")) this.text = this.text.replace(/ +$/, "");
    this.text += text;
  }
}

/** One SELECT's target: the analyzed expression, or a column of a `*`. */
interface Target {
  readonly expr: Expr;
  /** The name Postgres would give the column itself (the column's name for a reference). */
  readonly own: string;
  /** The output name as written (`AS x`) or figured. */
  readonly name: string;
  /** The parse tree of the entry, for its subqueries. */
  readonly node?: ast.Node;
}

class ViewPrinter {
  constructor(private readonly view: CatalogView, private readonly pretty: boolean,
    private readonly statement: StatementScope) {}

  /** get_query_def: a SELECT (or set operation) starting at indentation `indent`. */
  query(stmt: ast.SelectStmt, parent: Level, indent: number, names: readonly string[] | null,
    visible: boolean): string {
    if (stmt.lockingClause !== undefined) throw notSupported("FOR UPDATE in a view definition");
    const buf = new Buffer(indent);
    const ctes = stmt.withClause === undefined ? new Map<string, CteDef>()
      : this.withClause(stmt, parent, buf);
    let outputs: readonly string[];
    let level: Level | undefined;
    if (isSimpleValues(stmt, names) && ctes.size === 0) {
      buf.add(` ${this.values(stmt, parent, buf.level)}`);
      return buf.text;
    }
    if (stmt.op !== undefined && stmt.op !== "SETOP_NONE") {
      outputs = this.setOperation(stmt, parent, buf, names, visible, ctes);
    } else {
      ({ outputs, level } = this.basicSelect(stmt, parent, buf, names, visible, ctes));
    }
    this.orderAndLimit(stmt, level, outputs, buf);
    return buf.text;
  }

  /**
   * get_with_clause: `WITH [RECURSIVE] name[(columns)] AS (` the query on its own lines `)`.
   * The clause is analyzed as a whole first (a recursive query reads its own columns). A
   * query reads the items before it, and under RECURSIVE every item; the names the main
   * query's FROM gives are taken before the items' own, as set_rtable_names takes the outer
   * level's first (`FROM t t_1` inside a recursive `t` the main query reads as `t`).
   */
  private withClause(stmt: ast.SelectStmt, parent: Level, buf: Buffer): Map<string, CteDef> {
    const clause = stmt.withClause!;
    const scope = new Scope(this.statement, parent.scope);
    for (const [n, def] of parent.ctes) scope.ctes.set(n, def);
    analyzeWith(clause, scope);
    const items = (clause.ctes ?? []).map((node) => {
      if (!("CommonTableExpr" in node)) throw notSupported("this WITH item");
      return node.CommonTableExpr;
    });
    const defined = (name: string): CteDef => scope.ctes.get(name)!;
    const ctes = new Map<string, CteDef>();
    const used = new Set([...parent.used, ...fromNames(stmt.fromClause ?? [])]);
    buf.level += std;
    buf.add(" ");
    items.forEach((cte, i) => {
      const query = cte.ctequery;
      if (query === undefined || !("SelectStmt" in query)) {
        throw notSupported("this WITH query in a view definition");
      }
      const name = cte.ctename ?? "";
      const columns = (cte.aliascolnames ?? []).map((n) => ("String" in n
        ? quoteIdent(n.String.sval ?? "") : ""));
      const materialized = { CTEMaterializeAlways: "MATERIALIZED ",
        CTEMaterializeNever: "NOT MATERIALIZED " }[cte.ctematerialized as string] ?? "";
      const head = i > 0 ? ", " : clause.recursive === true ? "WITH RECURSIVE " : "WITH ";
      buf.add(`${head}${quoteIdent(name)}${columns.length > 0 ? `(${columns.join(", ")})` : ""
      } AS ${materialized}(`);
      buf.keyword("", 0, 0, 0);
      const readable = clause.recursive === true ? items : items.slice(0, i);
      const holder: Level = { ...parent, used, ctes: new Map([...parent.ctes,
        ...readable.map((c): [string, CteDef] => [c.ctename ?? "", defined(c.ctename ?? "")])]) };
      buf.add(this.query(query.SelectStmt, holder, buf.level, null, true));
      buf.keyword("", 0, 0, 0);
      buf.add(`)${this.searchCycle(cte, holder)}`);
      ctes.set(name, defined(name));
    });
    buf.level -= std;
    buf.keyword("", 0, 0, 0);
    return ctes;
  }

  /** A recursive item's SEARCH and CYCLE clauses, as get_with_clause prints them. */
  private searchCycle(cte: ast.CommonTableExpr, level: Level): string {
    const names = (list: ast.Node[] | undefined): string => (list ?? []).map((n) =>
      quoteIdent("String" in n ? n.String.sval ?? "" : "")).join(", ");
    let text = "";
    const search = cte.search_clause;
    if (search !== undefined) {
      text += ` SEARCH ${search.search_breadth_first === true ? "BREADTH" : "DEPTH"} FIRST BY ` +
        `${names(search.search_col_list)} SET ${quoteIdent(search.search_seq_column ?? "")}`;
    }
    const cycle = cte.cycle_clause;
    if (cycle !== undefined) {
      text += ` CYCLE ${names(cycle.cycle_col_list)} SET ` +
        quoteIdent(cycle.cycle_mark_column ?? "");
      const [mark, fallback] = cycleMarkValues(cycle, this.statement);
      const isBool = (e: Expr, v: boolean): boolean => e.kind === "const" && e.value === v;
      if (!isBool(mark, true) || !isBool(fallback, false)) {
        text += ` TO ${this.print(mark, level, 0, false)} DEFAULT ` +
          this.print(fallback, level, 0, false);
      }
      text += ` USING ${quoteIdent(cycle.cycle_path_column ?? "")}`;
    }
    return text;
  }

  private basicSelect(stmt: ast.SelectStmt, parent: Level, buf: Buffer,
    names: readonly string[] | null, visible: boolean, ctes: Map<string, CteDef>):
    { outputs: readonly string[]; level: Level } {
    if (stmt.valuesLists !== undefined) {
      return this.basicSelect(valuesAsSelect(stmt), parent, buf, names, visible, ctes);
    }
    const scope = new Scope(this.statement, parent.scope);
    if (stmt.windowClause !== undefined) defineWindows(stmt.windowClause, scope);
    const level = newLevel(scope, parent);
    for (const [name, def] of [...parent.ctes, ...ctes]) {
      level.ctes.set(name, def);
      scope.ctes.set(name, def);
    }
    buf.level += std;
    buf.add(" SELECT");
    const fromText = this.fromClause(stmt.fromClause ?? [], level, buf.level - std);
    scope.aggs = [];
    scope.windows = [];
    scope.namedWindows = new Map();
    const targets = this.targets(stmt.targetList ?? [], level);
    this.targetCache.set(level, targets);
    if (stmt.distinctClause !== undefined) {
      const on = stmt.distinctClause.filter((n) => Object.keys(n).length > 0);
      buf.add(on.length === 0 ? " DISTINCT" : ` DISTINCT ON (${on.map((n) =>
        this.groupItem(n, level, targets, buf.level, "ORDER")).join(", ")})`);
    }
    this.targetList(targets, level, buf, names, visible);
    if (fromText !== "") {
      buf.keyword(" FROM ", -std, std, 2);
      buf.add(fromText);
    }
    if (stmt.whereClause !== undefined) {
      buf.keyword(" WHERE ", -std, std, 1);
      buf.add(this.expr(stmt.whereClause, level, buf.level, false, "WHERE"));
    }
    if (stmt.groupClause !== undefined) {
      buf.keyword(" GROUP BY ", -std, std, 1);
      if (stmt.groupDistinct === true) buf.add("DISTINCT ");
      buf.add(stmt.groupClause.map((n) => groupingItemText(n, (m) =>
        this.groupItem(m, level, targets, buf.level, "GROUP"))).join(", "));
    }
    if (stmt.havingClause !== undefined) {
      buf.keyword(" HAVING ", -std, std, 0);
      buf.add(this.expr(stmt.havingClause, level, buf.level, false, "HAVING"));
    }
    if (stmt.windowClause !== undefined) {
      buf.keyword(" WINDOW ", -std, std, 1);
      const ctx = this.ruleContext(level, buf.level, new Map());
      buf.add(namedWindows(scope).map((w) =>
        `${quoteIdent(w.name)} AS (${windowSpecText(w.spec, ctx, w.ref)})`).join(", "));
    }
    return { outputs: targets.map((t) => t.name), level };
  }

  /** get_target_list: each entry on its own line, `AS name` unless the name is its own. */
  private targetList(targets: readonly Target[], level: Level, buf: Buffer,
    names: readonly string[] | null, visible: boolean): void {
    // A view's `*` shows the columns it had when the view was made, not ones added since.
    const shown = names === null ? targets : targets.slice(0, names.length);
    shown.forEach((t, i) => {
      buf.add(i === 0 ? " " : ", ");
      let text = this.print(t.expr, level, buf.level, true, t.node);
      const own = t.expr.kind === "var" || t.expr.kind === "outer" ? t.own
        : visible ? null : "?column?";
      const name = names?.[i] ?? t.name;
      if (own !== name) text += ` AS ${quoteIdent(name)}`;
      if (!text.startsWith("\n") && i > 0) buf.keyword("", -std, std, 4);
      buf.add(text);
    });
  }

  private targets(list: readonly ast.Node[], level: Level): Target[] {
    const out: Target[] = [];
    for (const node of list) {
      if (!("ResTarget" in node)) throw notSupported("this select-list entry");
      const rt = node.ResTarget;
      const star = starOf(rt.val);
      if (star !== undefined) {
        for (const c of this.starColumns(star, level)) {
          out.push({ expr: c.expr, own: c.name, name: c.name });
        }
        continue;
      }
      let expr = this.analyze(rt.val!, level, "SELECT");
      if (expr.type === Oid.unknown) {
        expr = coerceTo(expr, Oid.text, -1, "i", this.statement.params);
      }
      const own = expr.kind === "var" || expr.kind === "outer" ? this.ownName(expr, level) : "";
      out.push({ expr, own, name: rt.name ?? figureColname(rt.val), node: rt.val! });
    }
    return out;
  }

  private starColumns(qualifier: string | null, level: Level): ScopeColumn[] {
    const items = level.scope!.items.filter((i) => i.visible &&
      (qualifier === null || i.alias === qualifier));
    if (qualifier !== null && items.length === 0) throw notSupported(`${qualifier}.* here`);
    return items.flatMap((i) => i.columns.filter((c) => qualifier !== null || c.hidden !== true));
  }

  /** The column name a reference reads, which Postgres compares with the output name. */
  private ownName(expr: Expr, level: Level): string {
    const found = this.resolveVar(expr, level);
    return found?.column ?? "";
  }

  private resolveVar(expr: Expr, level: Level):
    { readonly ref: string; readonly column: string } | undefined {
    if (expr.kind === "var") return level.columns.get(expr.index);
    if (expr.kind !== "outer" || level.parent === undefined) return undefined;
    // A value passed down from further out keeps the slot of the level that took it in.
    const param = level.scope?.outerParams.find((p) => p.slot === expr.slot);
    return this.resolveVar(param === undefined ? expr : param.expr, level.parent);
  }

  /** Analyzes an expression of this level; `clause` names it for aggregate checks. */
  private analyze(node: ast.Node, level: Level, clause: string): Expr {
    const scope = level.scope!;
    const saved = { aggs: scope.aggs, windows: scope.windows, clause: scope.clause };
    if (clause === "WHERE" || clause === "JOIN") {
      scope.aggs = null;
      scope.windows = null;
    } else if (clause === "HAVING" || clause === "GROUP") {
      scope.windows = null;
    }
    scope.clause = clause;
    try {
      return analyzeExpr(node, scope);
    } finally {
      Object.assign(scope, saved);
    }
  }

  /** Analyzes and prints an expression at indentation `indent`. */
  private expr(node: ast.Node, level: Level, indent: number, shown: boolean,
    clause: string): string {
    const analyzed = this.analyze(node, level, clause);
    return this.print(analyzed, level, indent, shown, node);
  }

  /** Prints an analyzed expression; `node`, when given, supplies its subqueries' text. */
  private print(e: Expr, level: Level, indent: number, shown: boolean, node?: ast.Node): string {
    const links = node === undefined ? new Map<SubLinkExpr, ast.SubLink>()
      : matchSubLinks(e, node);
    const ctx = { ...this.ruleContext(level, indent, links),
      inLists: node === undefined || JSON.stringify(node).includes("AEXPR_IN"),
      sqlSyntax: node === undefined ? new Set<string>() : sqlSyntaxNames(node) };
    return shown ? deparseShown(e, ctx) : deparseStored(e, ctx);
  }

  private ruleContext(level: Level, indent: number, links: Map<SubLinkExpr, ast.SubLink>):
    RuleContext {
    const columnText = (e: Expr): string => {
      const found = this.resolveVar(e, level);
      if (found === undefined) throw notSupported("this column reference in a view definition");
      return `${quoteIdent(found.ref)}.${quoteIdent(found.column)}`;
    };
    return {
      pretty: this.pretty, fmt: this.view.ctx, indent,
      column: () => "?",
      relationName: (name) => name,
      variable: columnText,
      outer: columnText,
      subLink: (e, ctx) => {
        const link = links.get(e);
        if (link === undefined) throw notSupported("this subquery in a view definition");
        return this.subLink(e, link, level, ctx);
      },
    };
  }

  /** get_sublink_expr: `(EXISTS ( SELECT …))`, `(x IN ( SELECT …))`, `( SELECT …)`. */
  private subLink(e: SubLinkExpr, link: ast.SubLink, level: Level, ctx: RuleContext): string {
    const sub = link.subselect;
    if (sub === undefined || !("SelectStmt" in sub)) throw notSupported("this subquery");
    const inner = this.query(sub.SelectStmt, level, ctx.indent ?? 0, null, false);
    switch (e.linkType) {
      case "exists": return `(EXISTS (${inner}))`;
      case "expr": {
        if (e.rowCompare === undefined) return `(${inner})`;
        const lefts = e.testArgs.map((a) => deparseShown(a, ctx)).join(", ");
        return `((${lefts}) ${e.testOpName} (${inner}))`;
      }
      case "array": return `ARRAY(${inner})`;
      case "any": case "all": {
        if (e.testArgs.length !== 1) throw notSupported("a row comparison with a subquery");
        const left = deparseShown(e.testArgs[0]!, ctx);
        const op = e.linkType === "any" && e.testOpName === "=" ? "IN"
          : `${e.testOpName} ${e.linkType === "any" ? "ANY" : "ALL"}`;
        return `(${left} ${op} (${inner}))`;
      }
    }
  }

  /** get_from_clause: the items, a new line for each after the first. */
  private fromClause(list: readonly ast.Node[], level: Level, indent: number): string {
    const buf = new Buffer(indent + std);
    list.forEach((node, i) => {
      if (i > 0) {
        buf.add(", ");
        buf.keyword("", -std, std, 4);
      }
      this.fromItem(node, level, buf);
    });
    return buf.text;
  }

  private fromItem(node: ast.Node, level: Level, buf: Buffer): void {
    if ("RangeVar" in node) return this.relationItem(node.RangeVar, level, buf);
    if ("RangeSubselect" in node) return this.subqueryItem(node.RangeSubselect, level, buf);
    if ("JoinExpr" in node) return this.joinItem(node.JoinExpr, level, buf);
    if ("RangeFunction" in node) return this.functionItem(node.RangeFunction, level, buf);
    throw notSupported(`${Object.keys(node)[0] ?? "this FROM item"} in a view definition`);
  }

  private relationItem(rv: ast.RangeVar, level: Level, buf: Buffer): void {
    if (rv.alias?.colnames !== undefined) throw notSupported("column aliases in a view's FROM");
    const { catalog, path } = this.statement;
    const name = rv.relname ?? "";
    const cte = rv.schemaname === undefined ? level.ctes.get(name) : undefined;
    if (cte !== undefined) {
      const alias = rv.alias?.aliasname ?? name;
      const ref = uniqueName(alias, level);
      buf.add(`${quoteIdent(name)}${rv.alias !== undefined || ref !== name
        ? ` ${quoteIdent(ref)}` : ""}`);
      this.addItem(level, alias, ref, 0, cte.columns.map((c, i) => ({ ...c, attnum: i + 1 })),
        cte.columns.length);
      return;
    }
    const rel = catalog.findRelation(path, rv.schemaname, name);
    if (rel === undefined) throw notSupported(`relation "${name}" in a view definition`);
    const alias = rv.alias?.aliasname ?? name;
    const ref = uniqueName(alias, level);
    const only = rv.inh !== true ? "ONLY " : "";
    const shown = rv.alias !== undefined || ref !== rel.name ? ` ${quoteIdent(ref)}` : "";
    buf.add(`${only}${relationName(this.view, rel.schema, rel.name)}${shown}`);
    const columns = rel.columns.map((c, i) => ({ c, i })).filter(({ c }) => !c.dropped);
    this.addItem(level, alias, ref, rel.oid, columns.map(({ c, i }) =>
      ({ name: c.name, type: c.type, typmod: c.typmod, attnum: i + 1 })), rel.columns.length);
  }

  /**
   * A function in FROM: always with its alias and column names, `generate_series(1, 3) g(g)`;
   * a column definition list takes the names' place with their types, `r(a integer, b
   * text)`, and inside ROWS FROM follows its function, `ROWS FROM(f(…) AS (a integer), …)`.
   */
  private functionItem(rf: ast.RangeFunction, level: Level, buf: Buffer): void {
    const functions = rf.functions ?? [];
    if (functions.length !== 1 && rf.is_rowsfrom !== true) {
      throw notSupported("this function in FROM in a view definition");
    }
    const scope = new Scope(this.statement, level.scope);
    analyzeFunctionScan(rf, scope, 0);
    const item = scope.items[scope.items.length - 1];
    if (item === undefined) throw notSupported("this FROM item");
    const ref = uniqueName(item.alias, level);
    const calls = functions.map((f) => this.functionCall(f, rf, level, buf.level));
    const call = rf.is_rowsfrom === true ? `ROWS FROM(${calls.join(", ")})` : calls[0]!;
    const columns = rf.coldeflist !== undefined ? columnDefinitions(item.columns)
      : item.columns.map((c) => quoteIdent(c.name)).join(", ");
    buf.add(`${rf.lateral === true ? "LATERAL " : ""}${call}${rf.ordinality === true
      ? " WITH ORDINALITY" : ""} ${quoteIdent(ref)}(${columns})`);
    this.addItem(level, item.alias, ref, 0, item.columns.map((c, i) =>
      ({ name: c.name, type: c.expr.type, typmod: c.expr.typmod, attnum: i + 1 })),
    item.columns.length);
  }

  /** One function of a FROM item, with `AS (…)` for its own column definition list. */
  private functionCall(f: ast.Node, rf: ast.RangeFunction, level: Level, indent: number):
    string {
    const list = "List" in f ? f.List.items ?? [] : [];
    const call = list[0];
    if (call === undefined || !("FuncCall" in call)) throw notSupported("this FROM function");
    const own = list[1] !== undefined && "List" in list[1] ? list[1].List.items : undefined;
    const coldeflist = rf.is_rowsfrom === true ? own : rf.coldeflist ?? own;
    // Analyzed under this level's scope, a LATERAL reference reads its FROM items.
    const child = new Scope(this.statement, level.scope);
    child.items = [];
    const part = analyzeFromPart({ call: call.FuncCall, name: "", coldeflist }, child);
    const expr = mapExpr(part.call, (e) => (e.kind === "outer"
      ? child.outerParams.find((l) => l.slot === e.slot)?.expr : undefined));
    const text = this.print(expr, level, indent, true);
    if (own === undefined) return text;
    return `${text} AS (${part.columns.map((c) => `${quoteIdent(c.name)} ${
      formatTypeName(c.type, c.typmod)}`).join(", ")})`;
  }

  private subqueryItem(rs: ast.RangeSubselect, level: Level, buf: Buffer): void {
    const sub = rs.subquery;
    if (sub === undefined || !("SelectStmt" in sub)) throw notSupported("this FROM subquery");
    const values = sub.SelectStmt.valuesLists !== undefined;
    const names = (rs.alias?.colnames ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
    if (names.length > 0 && !values) throw notSupported("column aliases in a view's FROM");
    const lateral = rs.lateral === true;
    const analyzed = analyzeSubquery(sub, new Scope(this.statement, level.scope, !lateral));
    const alias = rs.alias?.aliasname ?? "unnamed_subquery";
    const ref = uniqueName(alias, level);
    // The parser's own VALUES list prints bare; a subquery that is a VALUES, after a space.
    const text = values ? `${valuesLists.has(rs) ? "" : " "}${this.values(sub.SelectStmt,
      level, buf.level)}`
      : this.query(sub.SelectStmt, level, buf.level, null, true);
    const shownNames = names.length > 0 ? `(${names.map(quoteIdent).join(", ")})` : "";
    buf.add(`${lateral ? "LATERAL " : ""}(${text}) ${quoteIdent(ref)}${shownNames}`);
    const columns = analyzed.columns.map((c, i) =>
      ({ name: names[i] ?? c.name, type: c.type, typmod: c.typmod, attnum: i + 1 }));
    this.addItem(level, alias, ref, 0, columns, columns.length);
  }

  /** get_values_def: `VALUES (1,'a'::text), (2,'b'::text)`, each value of its column's type. */
  private values(stmt: ast.SelectStmt, level: Level, indent: number): string {
    const scope = new Scope(this.statement, level.scope, true);
    const types = analyzeSubquery({ SelectStmt: stmt }, scope).columns;
    const rows = (stmt.valuesLists ?? []).map((row) => {
      const items = "List" in row ? row.List.items ?? [] : [];
      return `(${items.map((item, i) => {
        const column = types[i]!;
        const e = coerceTo(analyzeExpr(item, new Scope(this.statement, scope)), column.type,
          column.typmod, "i", this.statement.params);
        return this.print(e, level, indent, true, item);
      }).join(",")})`;
    });
    return `VALUES ${rows.join(", ")}`;
  }

  private addItem(level: Level, alias: string, ref: string, oid: number,
    columns: readonly { name: string; type: number; typmod: number; attnum: number }[],
    width: number): void {
    const scope = level.scope!;
    const offset = level.width;
    level.width += width;
    const scoped: ScopeColumn[] = columns.map((c) => {
      const index = offset + c.attnum - 1;
      level.columns.set(index, { ref, column: c.name });
      return { name: c.name, expr: { kind: "var", index, type: c.type, typmod: c.typmod,
        name: `${alias}.${c.name}`, tableOid: oid, attnum: c.attnum } };
    });
    scope.items.push({ alias, columns: scoped, relationOid: oid, visible: true });
  }

  private joinItem(j: ast.JoinExpr, level: Level, buf: Buffer): void {
    if (j.alias !== undefined || j.join_using_alias !== undefined) {
      throw notSupported("a join alias in a view definition");
    }
    const paren = !this.pretty;
    const items = level.scope!.items;
    const start = items.length;
    const rightParen = this.pretty && j.rarg !== undefined && "JoinExpr" in j.rarg;
    if (paren) buf.add("(");
    this.fromItem(j.larg!, level, buf);
    const middle = items.length;
    const cross = j.quals === undefined && j.usingClause === undefined && j.isNatural !== true;
    const words: Record<string, string> = { JOIN_INNER: cross ? "CROSS JOIN" : "JOIN",
      JOIN_LEFT: "LEFT JOIN", JOIN_RIGHT: "RIGHT JOIN", JOIN_FULL: "FULL JOIN" };
    const word = words[j.jointype ?? "JOIN_INNER"];
    if (word === undefined) throw notSupported(`${j.jointype ?? "this join"} in a view`);
    buf.keyword(` ${word} `, -std, std, 4);
    if (rightParen) buf.add("(");
    this.fromItem(j.rarg!, level, buf);
    if (rightParen) buf.add(")");
    if (j.usingClause !== undefined || j.isNatural === true) {
      const names = mergeUsingColumns(j, items, start, middle);
      buf.add(` USING (${names.map(quoteIdent).join(", ")})`);
    } else if (j.quals !== undefined) {
      const on = this.expr(j.quals, level, buf.level, false, "JOIN");
      buf.add(` ON ${paren ? `(${on})` : on}`);
    }
    if (paren) buf.add(")");
  }

  /** A GROUP BY, ORDER BY or DISTINCT ON item, as get_rule_sortgroupclause prints it. */
  private groupItem(node: ast.Node, level: Level, targets: readonly Target[], indent: number,
    kind: "GROUP" | "ORDER"): string {
    const e = this.resolveSortExpr(node, level, targets, kind);
    const text = this.print(e, level, indent, true, node);
    if (e.kind === "var" || e.kind === "outer" || e.kind === "const") return text;
    const paren = this.pretty || (e.kind === "call" && !e.operator) || e.kind === "aggref" ||
      e.kind === "windowref";
    return paren ? `(${text})` : text;
  }

  /** findTargetlistEntrySQL92: an output name or position, else an expression. */
  private resolveSortExpr(node: ast.Node, level: Level, targets: readonly Target[],
    kind: "GROUP" | "ORDER"): Expr {
    const position = integerConst(node);
    if (position !== undefined) {
      const target = targets[position - 1];
      if (target === undefined) throw notSupported(`${kind} BY position ${position}`);
      return target.expr;
    }
    const bare = bareName(node);
    if (bare !== undefined) {
      const input = level.scope!.tryResolve([bare], undefined);
      const output = targets.filter((t) => t.name === bare);
      if (output.length === 1 && (kind === "ORDER" || input === undefined)) {
        return output[0]!.expr;
      }
    }
    return this.analyze(node, level, kind === "GROUP" ? "GROUP" : "ORDER BY");
  }

  private orderAndLimit(stmt: ast.SelectStmt, level: Level | undefined,
    outputs: readonly string[], buf: Buffer): void {
    if (stmt.sortClause !== undefined) {
      buf.keyword(" ORDER BY ", -std, std, 1);
      buf.add(stmt.sortClause.map((n) => {
        if (!("SortBy" in n)) throw notSupported("this ORDER BY item");
        const by = n.SortBy;
        if (by.useOp !== undefined) throw notSupported("ORDER BY … USING in a view");
        const key = level === undefined ? String(columnNumber(by.node!, outputs))
          : this.groupItem(by.node!, level, this.targetsOf(level), buf.level, "ORDER");
        const desc = by.sortby_dir === "SORTBY_DESC";
        const nulls = by.sortby_nulls ?? "SORTBY_NULLS_DEFAULT";
        if (!desc) return `${key}${nulls === "SORTBY_NULLS_FIRST" ? " NULLS FIRST" : ""}`;
        return `${key} DESC${nulls === "SORTBY_NULLS_LAST" ? " NULLS LAST" : ""}`;
      }).join(", "));
    }
    const limitLevel = level ?? newLevel(new Scope(this.statement, undefined), undefined);
    if (stmt.limitOffset !== undefined) {
      buf.keyword(" OFFSET ", -std, std, 0);
      buf.add(this.expr(stmt.limitOffset, limitLevel, buf.level, false, "OFFSET"));
    }
    if (stmt.limitCount !== undefined) {
      const ties = stmt.limitOption === "LIMIT_OPTION_WITH_TIES";
      buf.keyword(ties ? " FETCH FIRST " : " LIMIT ", -std, std, 0);
      const isNull = "A_Const" in stmt.limitCount && stmt.limitCount.A_Const.isnull === true;
      const count = isNull && !ties ? "ALL"
        : this.expr(stmt.limitCount, limitLevel, buf.level, false, "LIMIT");
      buf.add(ties ? `(${count}) ROWS WITH TIES` : count);
    }
  }

  private readonly targetCache = new WeakMap<Level, Target[]>();

  private targetsOf(level: Level): Target[] {
    return this.targetCache.get(level) ?? [];
  }

  /** get_setop_query: the branches one under the other, the operator between. */
  private setOperation(stmt: ast.SelectStmt, parent: Level, buf: Buffer,
    names: readonly string[] | null, visible: boolean, ctes: Map<string, CteDef>):
    readonly string[] {
    const isSetOp = (s: ast.SelectStmt | undefined): boolean =>
      s !== undefined && s.op !== undefined && s.op !== "SETOP_NONE";
    const left = stmt.larg!;
    const right = stmt.rarg!;
    let outputs: readonly string[];
    const leftParen = isSetOp(left) && (left.op !== stmt.op || left.all !== stmt.all);
    let sub = leftParen ? std : 0;
    if (leftParen) {
      buf.add("(");
      buf.keyword("", sub, 0, 0);
    }
    outputs = this.branch(left, parent, buf, names, visible, ctes);
    buf.keyword(leftParen ? ") " : "", -sub, 0, 0);
    const word = { SETOP_UNION: "UNION ", SETOP_INTERSECT: "INTERSECT ",
      SETOP_EXCEPT: "EXCEPT " }[stmt.op as string] ?? "UNION ";
    buf.add(`${word}${stmt.all === true ? "ALL " : ""}`);
    const rightParen = isSetOp(right);
    sub = rightParen ? std : 0;
    if (rightParen) buf.add("(");
    buf.keyword("", sub, 0, 0);
    // A right branch's names are not shown: `SELECT (t.n + 1)`, not `AS "?column?"`.
    this.branch(right, parent, buf, names, false, ctes);
    buf.level -= sub;
    if (rightParen) buf.keyword(")", 0, 0, 0);
    outputs = names ?? outputs;
    return outputs;
  }

  private branch(stmt: ast.SelectStmt, parent: Level, buf: Buffer,
    names: readonly string[] | null, visible: boolean, ctes: Map<string, CteDef>):
    readonly string[] {
    if (stmt.op !== undefined && stmt.op !== "SETOP_NONE") {
      return this.setOperation(stmt, parent, buf, names, visible, ctes);
    }
    if (stmt.withClause !== undefined) throw notSupported("WITH inside a set operation");
    const paren = stmt.sortClause !== undefined || stmt.limitCount !== undefined ||
      stmt.limitOffset !== undefined || stmt.withClause !== undefined;
    const leaf = new Buffer(buf.level);
    if (isSimpleValues(stmt, names)) {
      buf.add(` ${this.values(stmt, parent, buf.level)}`);
      return names ?? valuesColumnNames(stmt);
    }
    const { outputs, level } = this.basicSelect(stmt, parent, leaf, names, visible, ctes);
    this.orderAndLimit(stmt, level, outputs, leaf);
    buf.add(paren ? `(${leaf.text})` : leaf.text);
    return outputs;
  }
}

/** A column definition list as ruleutils prints it: `a integer, b character varying(5)`. */
function columnDefinitions(columns: readonly ScopeColumn[]): string {
  return columns.map((c) => `${quoteIdent(c.name)} ${formatTypeName(c.expr.type,
    c.expr.typmod)}`).join(", ");
}

/** The names VALUES gives its columns: column1, column2 … */
function valuesColumnNames(stmt: ast.SelectStmt): string[] {
  const first = stmt.valuesLists?.[0];
  const width = first !== undefined && "List" in first ? first.List.items?.length ?? 0 : 0;
  return Array.from({ length: width }, (_, i) => `column${i + 1}`);
}

/**
 * get_simple_values_rte: VALUES prints as itself when its columns keep their names (those
 * of the view, or the names VALUES gives them where no view names them).
 */
function isSimpleValues(stmt: ast.SelectStmt, names: readonly string[] | null): boolean {
  if (stmt.valuesLists === undefined) return false;
  const own = valuesColumnNames(stmt);
  return (names ?? own).every((n, i) => n === own[i]);
}

/**
 * A VALUES whose columns were renamed reads as the parser stored it: a SELECT of its
 * columns from the VALUES list named `*VALUES*`, printed `FROM (VALUES …) "*VALUES*"`.
 */
function valuesAsSelect(stmt: ast.SelectStmt): ast.SelectStmt {
  const values: ast.SelectStmt = { valuesLists: stmt.valuesLists!, limitOption:
    "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" };
  const column = (name: string): ast.Node => ({ ResTarget: { val: { ColumnRef: { fields:
    [{ String: { sval: "*VALUES*" } }, { String: { sval: name } }] } } } });
  const from: ast.RangeSubselect = { subquery: { SelectStmt: values },
    alias: { aliasname: "*VALUES*" } };
  valuesLists.add(from);
  return { targetList: valuesColumnNames(stmt).map(column), fromClause: [{ RangeSubselect:
    from }], limitOption: "LIMIT_OPTION_DEFAULT", op: "SETOP_NONE" };
}

/** The FROM items `valuesAsSelect` made: VALUES lists of the parser, not subqueries. */
const valuesLists = new WeakSet<ast.RangeSubselect>();

/**
 * A USING (or NATURAL) join's merged columns: the inputs' columns of those names are hidden
 * from unqualified references, and a nameless item in front reads the left one (the right one
 * for a RIGHT JOIN), which ruleutils prints qualified by the left (right) item.
 */
function mergeUsingColumns(j: ast.JoinExpr, items: RangeItem[], start: number,
  middle: number): string[] {
  if (j.jointype === "JOIN_FULL") throw notSupported("FULL JOIN USING in a view definition");
  const visibleColumns = (from: number, to: number): ScopeColumn[] => items.slice(from, to)
    .flatMap((i) => i.columns.filter((c) => c.hidden !== true));
  const left = visibleColumns(start, middle);
  const right = visibleColumns(middle, items.length);
  const names = j.isNatural === true
    ? left.map((c) => c.name).filter((n) => right.some((c) => c.name === n))
    : (j.usingClause ?? []).map((n) => ("String" in n ? n.String.sval ?? "" : ""));
  const merged: ScopeColumn[] = names.map((name) => {
    const l = left.find((c) => c.name === name);
    const r = right.find((c) => c.name === name);
    if (l === undefined || r === undefined) throw notSupported(`USING column "${name}"`);
    return { name, expr: j.jointype === "JOIN_RIGHT" ? r.expr : l.expr };
  });
  for (let k = start; k < items.length; k++) {
    const item = items[k]!;
    items[k] = { ...item, columns: item.columns.map((c) =>
      (names.includes(c.name) ? { ...c, hidden: true } : c)) };
  }
  items.splice(start, 0, { alias: "", columns: merged, relationOid: 0, visible: true });
  return names;
}

/**
 * A view made with a column list (`CREATE VIEW v (a, b) AS …`) is stored as
 * `SELECT a, b FROM (query) v(a, b)`; Postgres prints the query itself, its columns named
 * after the view's (`AS a`).
 */
function unwrapColumnNames(stmt: ast.SelectStmt, names: readonly string[]): ast.SelectStmt {
  const from = stmt.fromClause?.[0];
  if (stmt.fromClause?.length !== 1 || from === undefined || !("RangeSubselect" in from)) {
    return stmt;
  }
  const sub = from.RangeSubselect;
  const aliases = (sub.alias?.colnames ?? []).map((n) => ("String" in n ? n.String.sval : ""));
  // The wrapper is built by CREATE VIEW, so unlike parsed entries its entries have no location.
  const targets = (stmt.targetList ?? []).map((t) => ("ResTarget" in t && t.ResTarget.val !==
    undefined && t.ResTarget.location === undefined ? bareName(t.ResTarget.val) : undefined));
  const wrapper = sub.alias?.aliasname === "v" && aliases.length === names.length &&
    aliases.every((a, i) => a === names[i] && targets[i] === a) &&
    targets.length === names.length && stmt.whereClause === undefined;
  return wrapper && sub.subquery !== undefined && "SelectStmt" in sub.subquery
    ? sub.subquery.SelectStmt : stmt;
}

/** set_rtable_names: a name an enclosing level uses gets the first free `_N` suffix. */
function uniqueName(name: string, level: Level): string {
  let ref = name;
  for (let n = 1; level.used.has(ref); n++) ref = `${name}_${n}`;
  level.used.add(ref);
  return ref;
}
