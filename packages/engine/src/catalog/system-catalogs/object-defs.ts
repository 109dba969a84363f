/**
 * The text of catalog objects, as ruleutils.c's pg_get_indexdef, pg_get_constraintdef and
 * pg_get_expr give it: the SQL that would create them. Stored expressions (defaults, CHECKs)
 * are analyzed against their table, then printed by `rule-deparse.ts`.
 *
 *   pg_get_indexdef      CREATE UNIQUE INDEX orders_code_idx ON public.orders USING btree (code)
 *   pg_get_constraintdef FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE
 */
import type { ast } from "@tessera/sql";
import { analyzeExpr } from "../../analyze/expr-analyze.js";
import type { EvalLike } from "../../analyze/expr.js";
import { tableItem } from "../../analyze/modify-target.js";
import { coerceTo } from "../../analyze/coerce.js";
import { callsKept } from "../../analyze/sql-function-call.js";
import { Scope, type StatementScope } from "../../analyze/scope.js";
import type { StatementContext } from "../../api.js";
import { quoteIdent } from "../../plan/explain-deparse.js";
import type { Catalog } from "../catalog.js";
import { Oid } from "../types.js";
import type { FkAction, ForeignKey, Index, Relation } from "../relation.js";
import { deparseStored, type RuleContext } from "./rule-deparse.js";
import { opclassSuffix } from "../access-methods.js";
import { withAnalysisSettings } from "../type-io.js";

/** A session's view of the catalog: which names its search_path makes visible. */
export interface CatalogView {
  readonly catalog: Catalog;
  readonly path: readonly string[];
  readonly ctx: EvalLike;
}

/** Returns the view of `catalog` from the session of `ctx`. */
export function catalogView(catalog: Catalog, ctx: EvalLike): CatalogView {
  const setting = ctx.setting("search_path");
  const path = catalog.searchPath(setting, ctx.user,
    ctx.backendPid ?? 0);
  return { catalog, path, ctx };
}

/** The name of a relation, qualified when the search path would not find it. */
export function relationName(view: CatalogView, schema: string, name: string): string {
  const found = view.catalog.lookupName(view.path, undefined, name);
  const visible = found !== undefined && found.schema === schema;
  return visible ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * pg_get_indexdef(index) and, for `column` > 0, the text of that key column alone. `pretty`
 * (psql's \d) leaves out parentheses and a schema the search path makes needless.
 */
export function indexDef(view: CatalogView, rel: Relation, index: Index, column = 0,
  pretty = false): string {
  if (column > 0) return keyTexts(rel, index)[column - 1] ?? "";
  const table = pretty ? relationName(view, rel.schema, rel.name)
    : `${quoteIdent(rel.schema)}.${quoteIdent(rel.name)}`;
  return indexDefinition(rel, index, quoteIdent(index.name), table, { view, pretty });
}

/**
 * `CREATE [UNIQUE] INDEX <name> ON <table> USING <method> (<keys>) [WHERE …]` for an index of
 * `rel`, with the names given as they should be printed (the coordinator's shard DDL passes
 * shard names). Keys carry their operator class when it is not the type's default. With a
 * `view`, expressions print as pg_get_indexdef prints them, else as they were stored; both
 * are the same SQL.
 */
export function indexDefinition(rel: Relation, index: Index, name: string, table: string,
  deparse?: { readonly view: CatalogView; readonly pretty: boolean }): string {
  const method = index.method ?? "btree";
  const keys = keyTexts(rel, index, deparse).map((n, k) => {
    const type = index.columns[k]! >= 0 ? rel.columns[index.columns[k]!]!.type
      : index.computed?.types[k] ?? 0;
    const opclass = opclassSuffix(method, index.opclasses?.[k], type);
    return `${n}${opclass}${index.descending?.[k] === true ? " DESC" : ""}`;
  });
  const unique = index.unique ? "UNIQUE " : "";
  const nulls = index.nullsNotDistinct === true ? " NULLS NOT DISTINCT" : "";
  const raw = index.computed?.predicate ?? null;
  const predicate = deparse?.pretty === true && raw !== null
    ? storedExprText(deparse.view, rel, raw, true) : index.computed?.predicateText ?? null;
  const where = predicate === null ? "" : ` WHERE ${predicate}`;
  return `CREATE ${unique}INDEX ${name} ON ${table} USING ${method} (${keys.join(", ")})` +
    `${nulls}${where}`;
}

/**
 * The key columns' texts: quoted column names, and expressions in parentheses unless they
 * read as a function call (ruleutils's looks_like_function): `lower(s)`, `((a + 1))`.
 */
function keyTexts(rel: Relation, index: Index,
  deparse?: { readonly view: CatalogView; readonly pretty: boolean }): string[] {
  return index.columns.map((p, k) => {
    if (p >= 0) return quoteIdent(rel.columns[p]!.name);
    const expr = index.computed?.exprs[k] ?? null;
    const text = deparse === undefined || expr === null ? index.computed?.names[k] ?? "?"
      : storedExprText(deparse.view, rel, expr, deparse.pretty);
    const callLike = expr !== null && ("FuncCall" in expr || "CoalesceExpr" in expr ||
      "MinMaxExpr" in expr || "SQLValueFunction" in expr);
    return callLike ? text : `(${text})`;
  });
}

/** pg_get_constraintdef of a primary key or unique constraint. */
export function keyConstraintDef(rel: Relation, index: Index): string {
  const names = index.columns.map((p) => quoteIdent(rel.columns[p]!.name)).join(", ");
  const timing = (index.deferrable === true ? " DEFERRABLE" : "") +
    (index.initDeferred === true ? " INITIALLY DEFERRED" : "");
  const kind = index.primary ? "PRIMARY KEY"
    : index.nullsNotDistinct === true ? "UNIQUE NULLS NOT DISTINCT" : "UNIQUE";
  return `${kind} (${names})${timing}`;
}

const actionWords: Record<FkAction, string | null> = {
  a: null, r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT",
};

/** pg_get_constraintdef of a foreign key. */
export function foreignKeyDef(view: CatalogView, rel: Relation, fk: ForeignKey): string {
  const ref = view.catalog.relation(fk.refRelationOid);
  const cols = fk.columns.map((p) => quoteIdent(rel.columns[p]!.name)).join(", ");
  const refName = ref === undefined ? "?" : relationName(view, ref.schema, ref.name);
  const refCols = fk.refColumns.map((p) => quoteIdent(ref?.columns[p]?.name ?? "?")).join(", ");
  let text = `FOREIGN KEY (${cols}) REFERENCES ${refName}(${refCols})`;
  if (fk.matchFull === true) text += " MATCH FULL";
  const onUpdate = actionWords[fk.onUpdate];
  const onDelete = actionWords[fk.onDelete];
  if (onUpdate !== null) text += ` ON UPDATE ${onUpdate}`;
  if (onDelete !== null) text += ` ON DELETE ${onDelete}`;
  if (fk.deleteSetColumns !== undefined) {
    text += ` (${fk.deleteSetColumns.map((p) => quoteIdent(rel.columns[p]!.name)).join(", ")})`;
  }
  if (fk.deferrable === true) text += " DEFERRABLE";
  if (fk.initDeferred === true) text += " INITIALLY DEFERRED";
  if (fk.notValid === true) text += " NOT VALID";
  return text;
}

/** pg_get_constraintdef of a CHECK constraint. */
export function checkDef(view: CatalogView, rel: Relation, expr: ast.Node, pretty: boolean):
  string {
  return `CHECK (${storedExprText(view, rel, expr, pretty)})`;
}

/** pg_get_expr of a column default or CHECK expression of `rel`. */
export function storedExprText(view: CatalogView, rel: Relation, expr: ast.Node,
  pretty: boolean, targetType?: { type: number }): string {
  const keyword = sqlValueKeyword(expr);
  if (keyword !== undefined) return keyword;
  // regclass constants ('s'::regclass) print as the session's search_path finds them.
  return withAnalysisSettings(view.ctx, () => analyzedText(view, rel, expr, pretty, targetType));
}

function analyzedText(view: CatalogView, rel: Relation, expr: ast.Node,
  pretty: boolean, targetType?: { type: number }): string {
  const scope = new Scope(statementFor(view, rel), undefined);
  scope.items.push(tableItem(rel, rel.name, 0));
  let analyzed = analyzeExpr(expr, scope);
  if (analyzed.type === Oid.unknown && targetType !== undefined) {
    analyzed = coerceTo(analyzed, targetType.type, -1, "a", scope.statement.params);
  }
  const ctx: RuleContext = {
    pretty, fmt: view.ctx,
    column: (attnum) => quoteIdent(rel.columns[attnum - 1]?.name ?? "?"),
    relationName: (name) => {
      const dot = name.indexOf(".");
      const schema = dot < 0 ? undefined : name.slice(0, dot);
      const bare = dot < 0 ? name : name.slice(dot + 1);
      const found = view.catalog.lookupName(view.path, schema, bare);
      return found === undefined ? name : relationName(view, found.schema, bare);
    },
  };
  return deparseStored(analyzed, ctx);
}

const svfWords: Record<string, string> = {
  SVFOP_CURRENT_DATE: "CURRENT_DATE", SVFOP_CURRENT_TIME: "CURRENT_TIME",
  SVFOP_CURRENT_TIMESTAMP: "CURRENT_TIMESTAMP", SVFOP_LOCALTIME: "LOCALTIME",
  SVFOP_LOCALTIMESTAMP: "LOCALTIMESTAMP", SVFOP_CURRENT_USER: "CURRENT_USER",
  SVFOP_CURRENT_ROLE: "CURRENT_ROLE", SVFOP_SESSION_USER: "SESSION_USER", SVFOP_USER: "USER",
  SVFOP_CURRENT_CATALOG: "CURRENT_CATALOG", SVFOP_CURRENT_SCHEMA: "CURRENT_SCHEMA",
};

/** CURRENT_TIMESTAMP and its kin print as the keyword they were written as. */
function sqlValueKeyword(expr: ast.Node): string | undefined {
  if (!("SQLValueFunction" in expr)) return undefined;
  const f = expr.SQLValueFunction;
  const word = svfWords[f.op ?? ""];
  if (word === undefined) return undefined;
  return f.typmod !== undefined && f.typmod >= 0 ? `${word}(${f.typmod})` : word;
}

function statementFor(view: CatalogView, rel: Relation): StatementScope {
  return catalogStatement(view, [rel.schema, ...view.path]);
}

/**
 * An analysis scope over the catalog for printing catalog objects, resolving through `path`.
 * PostgreSQL stores SQL function calls in CHECKs, defaults and index expressions as calls and
 * prints them so: the scope keeps them unexpanded.
 */
export function catalogStatement(view: CatalogView, path: readonly string[]): StatementScope {
  const ctx: StatementContext = {
    setting: (name) => view.ctx.setting(name),
    notice: () => undefined,
    user: view.ctx.user, database: view.ctx.database, backendPid: view.ctx.backendPid ?? 0,
    signal: view.ctx.signal, transactionStartMicros: view.ctx.transactionStartMicros,
    statementStartMicros: view.ctx.statementStartMicros,
    random: () => view.ctx.random(), setSeed: (seed) => view.ctx.setSeed(seed),
  };
  // Printing only analyzes: system columns (ctid, xmin …) print by name.
  const statement: StatementScope = { catalog: view.catalog, path, ctx,
    params: { types: [] }, nextSlot: 0, nextSubplanId: 0, nextCteId: 0, systemColumns: "named" };
  callsKept.add(statement);
  return statement;
}
