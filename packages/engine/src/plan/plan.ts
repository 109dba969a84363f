/**
 * Plan trees: read-only descriptions of how to produce rows, built once per prepared
 * statement and run any number of times (the executor keeps run state in a parallel tree).
 *
 * Every node outputs rows as arrays. Expressions inside a node read that node's input row;
 * `offset` on scans and joins is the position of the node's first column in the FROM clause's
 * row, which `execute/compile.ts` subtracts from var indexes, so a join nested on the right of
 * another still reads its own row from 0.
 */
import type { Value } from "@tessera/sql";
import type { AggCall, Expr, SortKey, WindowCall } from "../analyze/expr.js";
import type { Index, Relation } from "../catalog/relation.js";
import type { RowLockSpec } from "../txn/write-guard.js";
import type { TableSampleSpec } from "../analyze/tablesample.js";

export interface PlanBase {
  /** Output width (columns per row). */
  readonly width: number;
  /** Estimated output rows, for EXPLAIN. */
  readonly rows: number;
}

export interface ResultPlan extends PlanBase { readonly kind: "result" }

export interface SeqScanPlan extends PlanBase {
  readonly kind: "seqScan";
  readonly relation: Relation;
  readonly alias: string;
  readonly offset: number;
  readonly filter: Expr | null;
  /** UPDATE/DELETE targets: each row carries its version's slot as one more column. */
  readonly rowId?: boolean;
  /** SELECT … FOR UPDATE/SHARE: each row the scan returns is locked first. */
  readonly lock?: RowLockSpec;
  /** Rows carry the system columns after their columns (`analyze/system-columns.ts`). */
  readonly systemColumns?: boolean;
  /** TABLESAMPLE: only a sample of the rows (`analyze/tablesample.ts`); never an index. */
  readonly sample?: TableSampleSpec;
  /** FROM ONLY t: the scan leaves out the tables inheriting from t (`inherit-scan.ts`). */
  readonly onlyTable?: boolean;
}

export interface IndexBound {
  /** Key values for the leading columns, as expressions (constants or params). */
  readonly values: readonly Expr[];
  readonly inclusive: boolean;
}

export interface IndexScanPlan extends PlanBase {
  readonly kind: "indexScan";
  readonly relation: Relation;
  readonly index: Index;
  readonly alias: string;
  readonly offset: number;
  readonly lower: IndexBound | null;
  readonly upper: IndexBound | null;
  readonly backward: boolean;
  readonly filter: Expr | null;
  /** For EXPLAIN's "Index Cond". */
  readonly condText: string;
  /** As on SeqScanPlan. */
  readonly rowId?: boolean;
  readonly lock?: RowLockSpec;
  readonly systemColumns?: boolean;
}

export interface ValuesPlan extends PlanBase {
  readonly kind: "values";
  readonly values: readonly (readonly Expr[])[];
}

export interface FunctionScanPlan extends PlanBase {
  readonly kind: "functionScan";
  readonly call: Expr;
  readonly name: string;
  readonly alias: string;
  readonly ordinality: boolean;
  readonly recordColumns: number;
  readonly offset: number;
  readonly filter: Expr | null;
}

/** A derived table, view or CTE reference: its child's rows under a new name. */
export interface SubqueryScanPlan extends PlanBase {
  readonly kind: "subqueryScan";
  readonly input: Plan;
  readonly alias: string;
  readonly offset: number;
  readonly filter: Expr | null;
}

export interface CteScanPlan extends PlanBase {
  readonly kind: "cteScan";
  readonly cteId: number;
  readonly name: string;
  readonly alias: string;
  readonly offset: number;
  readonly filter: Expr | null;
}

export interface WorkTableScanPlan extends PlanBase {
  readonly kind: "workTableScan";
  readonly cteId: number;
  readonly alias: string;
  readonly offset: number;
  readonly filter: Expr | null;
}

export type JoinType = "inner" | "left" | "right" | "full" | "semi" | "anti";

export interface NestLoopPlan extends PlanBase {
  readonly kind: "nestLoop";
  readonly joinType: JoinType;
  readonly left: Plan;
  readonly right: Plan;
  readonly leftWidth: number;
  readonly offset: number;
  readonly cond: Expr | null;
  readonly filter: Expr | null;
  /** LATERAL: values the right side reads from the left row, set before each rescan. */
  readonly lateral: readonly { readonly slot: number; readonly expr: Expr }[];
}

export interface HashJoinPlan extends PlanBase {
  readonly kind: "hashJoin";
  readonly joinType: JoinType;
  readonly left: Plan;
  readonly right: Plan;
  readonly leftWidth: number;
  readonly offset: number;
  /** Key expressions over the left row and over the right row (both relative to `offset`). */
  readonly leftKeys: readonly Expr[];
  readonly rightKeys: readonly Expr[];
  /** The `=` conditions the keys came from, for re-planning when more conditions arrive. */
  readonly equalities: readonly Expr[];
  readonly cond: Expr | null;
  readonly filter: Expr | null;
  readonly condText: string;
  /**
   * Which input the hash table is built from ("right" when absent). Output rows keep the
   * left-then-right layout either way; EXPLAIN shows the other input as the outer side.
   */
  readonly buildSide?: "left" | "right";
}

export interface AggPlan extends PlanBase {
  readonly kind: "agg";
  readonly strategy: "plain" | "hashed" | "sorted";
  readonly input: Plan;
  readonly groupKeys: readonly Expr[];
  readonly aggs: readonly AggCall[];
  /** Grouping sets as lists of key positions; null for one plain grouping. */
  readonly groupingSets: readonly (readonly number[])[] | null;
  readonly filter: Expr | null;
}

export interface WindowPlan extends PlanBase {
  readonly kind: "window";
  readonly input: Plan;
  readonly calls: readonly WindowCall[];
}

export interface ProjectPlan extends PlanBase {
  readonly kind: "project";
  readonly input: Plan;
  readonly exprs: readonly Expr[];
  /** Set-returning functions of the select list, expanded in lockstep (ProjectSet). */
  readonly srfs: readonly Expr[];
  /** Columns computed after a Sort (`analyze/sort-postpone.ts`): EXPLAIN shows a Result. */
  readonly aboveSort?: boolean;
}

export interface SortPlan extends PlanBase {
  readonly kind: "sort";
  readonly input: Plan;
  /** Keys over the input row; any expression, not only columns. */
  readonly keys: readonly SortKey[];
  /** Set under a LIMIT: only the first count + offset rows are wanted (top-N heapsort). */
  readonly bound?: { readonly count: Expr; readonly offset: Expr | null };
}

export interface DistinctPlan extends PlanBase {
  readonly kind: "distinct";
  readonly input: Plan;
  /** Column positions that decide distinctness (DISTINCT ON), all visible ones otherwise. */
  readonly columns: readonly number[];
  readonly on: boolean;
}

export interface LimitPlan extends PlanBase {
  readonly kind: "limit";
  readonly input: Plan;
  readonly offsetExpr: Expr | null;
  readonly countExpr: Expr | null;
  /** FETCH … WITH TIES: rows past the count that tie the last one on these keys also pass. */
  readonly ties?: readonly SortKey[];
}

export interface SetOpPlan extends PlanBase {
  readonly kind: "setOp";
  readonly op: "union" | "intersect" | "except";
  readonly all: boolean;
  readonly left: Plan;
  readonly right: Plan;
  /** Output columns of type bpchar, whose trailing spaces do not count when rows compare. */
  readonly paddedColumns?: readonly number[];
}

export interface RecursiveUnionPlan extends PlanBase {
  readonly kind: "recursiveUnion";
  readonly cteId: number;
  readonly all: boolean;
  readonly base: Plan;
  readonly recursive: Plan;
}

/** Runs the CTEs a query defines, then its main plan. */
export interface WithPlan extends PlanBase {
  readonly kind: "with";
  readonly ctes: readonly { readonly id: number; readonly name: string; readonly plan: Plan }[];
  readonly input: Plan;
}

/** Drops trailing junk columns (sort keys not in the select list). */
export interface TrimPlan extends PlanBase {
  readonly kind: "trim";
  readonly input: Plan;
}

export interface ModifyPlan extends PlanBase {
  readonly kind: "modify";
  /** "merge": MERGE, run by `execute/merge.ts` (spec: `analyze/merge.ts`). */
  readonly operation: "insert" | "update" | "delete" | "merge";
  readonly relation: Relation;
  /** The target's alias as written (`UPDATE t AS x`), "" without one: EXPLAIN shows it. */
  readonly alias: string;
  readonly input: Plan;
  readonly returning: readonly Expr[] | null;
  readonly spec: unknown;
  /**
   * INSERT … RETURNING reads system columns (ctid, xmin, xmax …): each returned row gets the
   * written version's after its columns (`execute/system-values.ts`).
   */
  readonly returningSystem?: boolean;
}

export type Plan =
  | ResultPlan | SeqScanPlan | IndexScanPlan | ValuesPlan | FunctionScanPlan
  | SubqueryScanPlan | CteScanPlan | WorkTableScanPlan | NestLoopPlan | HashJoinPlan
  | AggPlan | WindowPlan | ProjectPlan | SortPlan | DistinctPlan | LimitPlan | SetOpPlan
  | RecursiveUnionPlan | WithPlan | TrimPlan | ModifyPlan;

export type ConstValue = Value;
