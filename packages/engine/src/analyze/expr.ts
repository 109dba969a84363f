/**
 * Analyzed expressions: the raw parse tree's expressions with every name resolved, every
 * literal typed and every operator and function bound to its implementation. The planner
 * places them in plan nodes and `execute/compile.ts` turns each into a closure once per plan.
 *
 * A `var` reads position `index` of the row its plan node consumes; analysis lays rows out as
 * the FROM clause's columns left to right, and `analyze/grouping.ts` rewrites expressions above
 * an aggregate to read the aggregate's output row instead. An `outer` reads a value the
 * enclosing query passed down to a correlated subquery (Postgres's PARAM_EXEC).
 */
import type { FormatSettings } from "../catalog/type-io.js";
import type { EvalContext, Value } from "@tessera/sql";
import type { Plan } from "../plan/plan.js";
import type { Compare } from "../catalog/type-io.js";

export interface Typed {
  readonly type: number;
  readonly typmod: number;
}

/** The context functions see at run time: `@tessera/sql`'s EvalContext. */
export type EvalLike = EvalContext;

/** A bound function or operator implementation, arguments already evaluated. */
export type BoundImpl = (args: Value[], ctx: EvalLike) => Value;

export interface ConstExpr extends Typed {
  readonly kind: "const";
  readonly value: Value;
  /** Where an untyped literal stood: the position of its input error once typed. */
  readonly location?: number;
}
export interface ParamExpr extends Typed { readonly kind: "param"; readonly index: number }
export interface VarExpr extends Typed {
  readonly kind: "var";
  readonly index: number;
  /** "t.x" for EXPLAIN and error messages. */
  readonly name: string;
  readonly tableOid: number;
  readonly attnum: number;
}
export interface OuterExpr extends Typed {
  readonly kind: "outer";
  readonly slot: number;
  readonly name: string;
}
export interface CallExpr extends Typed {
  readonly kind: "call";
  /** Function name, or the operator symbol when `operator` is set. */
  readonly name: string;
  readonly operator: boolean;
  readonly args: readonly Expr[];
  readonly strict: boolean;
  readonly volatile: boolean;
  /**
   * A built-in function's volatility, for constant folding (execute/constant-errors.ts): true
   * for an immutable one, false for a stable or volatile one; unset elsewhere (unknown).
   */
  readonly immutable?: boolean;
  readonly impl: BoundImpl;
  /** Prints the call from its deparsed arguments, for calls that are not `f(a, b)` (`a[1]`). */
  readonly deparse?: (args: readonly string[]) => string;
  /**
   * What `impl` holds that the name and arguments do not show (a field selection's field), so
   * that structurally equal calls are equal calls (`exprKey`: GROUP BY matching).
   */
  readonly detail?: string;
}
export interface CastExpr extends Typed {
  readonly kind: "cast";
  readonly arg: Expr;
  readonly explicit: boolean;
  /** Converts a non-null value; `fmt` is the running statement's settings. */
  readonly fn: (v: Value, fmt: FormatSettings) => Value;
  /**
   * Set on `(jsonb ->> 'key')::numeric`: execution may read the member's number directly
   * (execute/fused-cast.ts). A hint only; `arg` stays the expression shown and deparsed.
   */
  readonly fusion?: "jsonbFieldNumeric";
}
export interface BoolExpr extends Typed {
  readonly kind: "and" | "or" | "not";
  readonly args: readonly Expr[];
}
export interface CaseExpr extends Typed {
  readonly kind: "case";
  /** The simple CASE's operand; `caseTest` inside `whens` reads it. */
  readonly arg: Expr | null;
  readonly whens: readonly { readonly cond: Expr; readonly result: Expr }[];
  readonly otherwise: Expr;
}
export interface CaseTestExpr extends Typed { readonly kind: "caseTest" }
export interface CoalesceExpr extends Typed {
  readonly kind: "coalesce";
  readonly args: readonly Expr[];
}
export interface MinMaxExpr extends Typed {
  readonly kind: "minmax";
  readonly greatest: boolean;
  readonly args: readonly Expr[];
  readonly compare: Compare;
}
export interface NullTestExpr extends Typed {
  readonly kind: "nullTest";
  readonly arg: Expr;
  readonly negated: boolean;
}
export interface BoolTestExpr extends Typed {
  readonly kind: "boolTest";
  readonly arg: Expr;
  readonly test: "IS_TRUE" | "IS_NOT_TRUE" | "IS_FALSE" | "IS_NOT_FALSE" | "IS_UNKNOWN" |
    "IS_NOT_UNKNOWN";
}
/** IS [NOT] DISTINCT FROM and NULLIF: both compare with a bound `=`. */
export interface DistinctExpr extends Typed {
  readonly kind: "distinct" | "nullif";
  readonly left: Expr;
  readonly right: Expr;
  readonly negated: boolean;
  readonly equals: BoundImpl;
}
export interface ArrayExpr extends Typed {
  readonly kind: "array";
  readonly elementType: number;
  readonly elements: readonly Expr[];
}
export interface RowExpr extends Typed {
  readonly kind: "row";
  readonly args: readonly Expr[];
  /** Field names of a whole-row reference (`to_jsonb(t)` keys); ROW() has none. */
  readonly names?: readonly string[];
}
/** An aggregate call; lives only until `grouping.ts` replaces it with a var. */
export interface AggRefExpr extends Typed {
  readonly kind: "aggref";
  readonly agg: AggCall;
}
export interface WindowRefExpr extends Typed {
  readonly kind: "windowref";
  readonly call: WindowCall;
}
export interface SubLinkExpr extends Typed {
  readonly kind: "subLink";
  readonly linkType: "exists" | "expr" | "any" | "all" | "array";
  readonly plan: Plan;
  /** Values the subquery reads from this query: slot ids with their expressions here. */
  readonly params: readonly { readonly slot: number; readonly expr: Expr }[];
  /** For ANY/ALL: the left operands and the bound comparison per column. */
  readonly testArgs: readonly Expr[];
  readonly testOps: readonly BoundImpl[];
  readonly testOpName: string;
  /** ARRAY(SELECT arr): the rows are arrays, stacked into one more dimension. */
  readonly stacksArrays?: boolean;
  /**
   * `ROW(…) op (SELECT …)` (an "expr" link): the values of `testArgs`, then the one row's
   * columns, go into `slots`; `test`, a row comparison reading only those slots, decides.
   */
  readonly rowCompare?: { readonly slots: readonly number[]; readonly test: Expr };
  /** Reads values of a query further out (no params of its own): never run just once. */
  readonly readsEnclosing?: boolean;
  /**
   * Reads a WITH query of an enclosing level that is recomputed with it (a correlated CTE):
   * never run just once either, though it reads no column of any outer level itself.
   */
  readsCorrelatedCte?: boolean;
  /** Identifies the subplan in EXPLAIN ("SubPlan 1"). */
  readonly id: number;
}
/** A set-returning function call in the select list (ProjectSet). */
export interface SrfRefExpr extends Typed {
  readonly kind: "srfref";
  readonly index: number;
}

export type Expr =
  | ConstExpr | ParamExpr | VarExpr | OuterExpr | CallExpr | CastExpr | BoolExpr | CaseExpr
  | CaseTestExpr | CoalesceExpr | MinMaxExpr | NullTestExpr | BoolTestExpr | DistinctExpr
  | ArrayExpr | RowExpr | AggRefExpr | WindowRefExpr | SubLinkExpr | SrfRefExpr;

/** One aggregate of a query: its function, arguments and modifiers. */
export interface AggCall {
  readonly name: string;
  readonly def: import("../catalog/builtins.js").AggregateDef;
  readonly args: readonly Expr[];
  readonly argTypes: readonly number[];
  readonly star: boolean;
  readonly distinct: boolean;
  readonly filter: Expr | null;
  readonly order: readonly SortKey[];
  readonly type: number;
  /** GROUPING(…): positions of its arguments among the group keys, set once GROUP BY is known. */
  readonly grouping?: { refs: number[] };
  /** Ordered-set aggregates: the arguments before WITHIN GROUP, evaluated once per group. */
  readonly direct?: readonly Expr[];
}

/** A window function call, or an aggregate used as one (`sum(x) OVER w`). */
export interface WindowCall {
  readonly name: string;
  readonly def: import("../catalog/builtins.js").WindowDefLike |
    import("../catalog/builtins.js").AggregateDef;
  readonly args: readonly Expr[];
  readonly argTypes: readonly number[];
  readonly filter: Expr | null;
  readonly window: WindowSpec;
  readonly type: number;
  /** How OVER named a WINDOW clause entry: `OVER w`, or `OVER (w …)` building on it. */
  readonly over?: WindowRefName | undefined;
}

export interface WindowRefName {
  readonly name: string;
  /** True for `OVER w` itself; false for a copy `OVER (w ORDER BY …)`. */
  readonly whole: boolean;
  /** The copy gave its own ORDER BY (else it shows w's). */
  readonly ownOrder: boolean;
}

export interface WindowSpec {
  readonly partition: readonly Expr[];
  readonly order: readonly SortKey[];
  readonly frameOptions: number;
  readonly startOffset: Expr | null;
  readonly endOffset: Expr | null;
}

export interface SortKey {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
  readonly compare: Compare;
  /** ORDER BY … USING op with an operator other than `<` and `>`, as written. */
  readonly using?: string;
}

/** Makes a constant. */
export function constant(type: number, value: Value, typmod = -1): ConstExpr {
  return { kind: "const", type, typmod, value };
}
