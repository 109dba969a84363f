/**
 * Sort keys (ORDER BY inside aggregates and windows) and window specifications (PARTITION BY,
 * ORDER BY, frame options) shared by `expr-call.ts` and `select.ts`; the rules for OVER and
 * WINDOW live in `window-clause.ts`.
 */
import { SqlError, SqlState, notSupported } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import { compareFor, type Compare } from "../catalog/type-io.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import { smashedType } from "./domain-coerce.js";
import { coerceTo } from "./coerce.js";
import type { Expr, SortKey, WindowSpec } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { makeOperator } from "./expr-ops.js";
import { exprKey } from "./grouping.js";
import { requireOrdering } from "./comparable-types.js";
import type { Scope } from "./scope.js";
import { resolveWindow } from "./window-clause.js";

/** Builds a sort key over `expr` with a SortBy's direction and null ordering. */
export function sortKeyFor(expr: Expr, sortBy: ast.SortBy, scope: Scope): SortKey {
  const typed = expr.type === Oid.unknown
    ? coerceTo(expr, Oid.text, -1, "i", scope.statement.params) : expr;
  if (sortBy.useOp === undefined) requireOrdering(typed.type);
  const using = sortBy.useOp === undefined ? undefined
    : usingOrder(sortBy.useOp, typed, scope, sortBy.location);
  const descending = using?.descending ?? sortBy.sortby_dir === "SORTBY_DESC";
  const nulls = sortBy.sortby_nulls;
  const nullsFirst = nulls === "SORTBY_NULLS_FIRST" ? true
    : nulls === "SORTBY_NULLS_LAST" ? false : descending;
  const key = { expr: typed, descending, nullsFirst, compare: compareFor(typed.type) };
  if (using?.compare === undefined) return key;
  return { ...key, compare: using.compare, using: using.name };
}

/** How ORDER BY … USING op sorts: its direction, and its own comparison when not `<`/`>`. */
interface UsingOrder {
  readonly descending: boolean;
  readonly name: string;
  readonly compare?: Compare;
}

/**
 * The text_pattern_ops and bpchar_pattern_ops orderings `~<~` and `~>~`: byte-wise (UTF-8)
 * whatever the collation, bpchar without its trailing spaces.
 */
function patternCompare(type: number): Compare {
  const bytes = type === Oid.bpchar
    ? (v: Value): Buffer => Buffer.from(String(v).replace(/ +$/, ""))
    : (v: Value): Buffer => Buffer.from(String(v));
  return (a, b) => Buffer.compare(bytes(a), bytes(b));
}

/**
 * ORDER BY … USING op: the operator must exist for the key's type (42883 otherwise) and be
 * the `<` or `>` of a btree family, which sorts ascending or descending; as with DESC, nulls
 * come first by default after `>`. The pattern orderings bring their own comparison.
 */
function usingOrder(names: ast.Node[], key: Expr, scope: Scope,
  location: number | undefined): UsingOrder {
  const name = names.map((n) => ("String" in n ? n.String.sval ?? "" : "")).join(".");
  const bare = name.startsWith("pg_catalog.") ? name.slice("pg_catalog.".length) : name;
  const call = makeOperator(bare, key, key, scope, location);
  // A row comparison expands field by field; its fields need no check here.
  const operand = call.kind === "call" && key.kind !== "row" ? call.args[0]?.type : undefined;
  if (operand !== undefined && !sortsWithout(key.type, operand)) {
    const type = formatTypeName(key.type, -1);
    throw new SqlError(SqlState.undefinedFunction, "operator requires run-time type " +
      `coercion: ${type} ${bare} ${type}`, locationOf(location));
  }
  if (bare === "<" || bare === ">") return { descending: bare === ">", name: bare };
  if ((bare === "~<~" || bare === "~>~") && operand !== undefined) {
    return { descending: bare === "~>~", name: bare, compare: patternCompare(operand) };
  }
  throw new SqlError(SqlState.wrongObjectType, `operator ${bare} is not a valid ordering operator`,
    { ...locationOf(location),
      hint: "Ordering operators must be \"<\" or \">\" members of btree operator families." });
}

/**
 * Analyzes a list of SortBy nodes as plain expressions. A key equal to one of an aggregate's
 * `args` but for the argument's implicit coercion sorts that argument, as
 * findTargetlistEntrySQL99 matches it (`string_agg(v, ',' ORDER BY v)` sorts `v::text`).
 */
export function analyzeSortKeys(list: readonly ast.Node[], scope: Scope,
  args: readonly Expr[] = []): SortKey[] {
  const bare = (e: Expr): Expr => (e.kind === "cast" && !e.explicit ? bare(e.arg) : e);
  const coerced = args.filter((a) => bare(a) !== a);
  return list.map((node) => {
    if (!("SortBy" in node)) throw notSupported("this ORDER BY item");
    const key = analyzeExpr(node.SortBy.node!, scope);
    const arg = coerced.find((a) => exprKey(bare(a)) === exprKey(key));
    return sortKeyFor(arg ?? key, node.SortBy, scope);
  });
}

/**
 * True when a key of type `key` reaches an ordering operator over `operand` without a run-time
 * coercion (compatible_oper): the same type, varchar as text, or a domain over it.
 */
function sortsWithout(key: number, operand: number): boolean {
  const base = smashedType(key);
  return base === operand || (base === Oid.varchar && operand === Oid.text) ||
    key === Oid.unknown;
}

/** Analyzes an OVER clause (see `window-clause.ts`). */
export function analyzeWindowSpec(def: ast.WindowDef, scope: Scope): WindowSpec {
  return resolveWindow(def, scope);
}
