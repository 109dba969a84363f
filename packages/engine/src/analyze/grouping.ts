/**
 * Rewrites expressions evaluated above an aggregate so they read the aggregate's output row:
 * [group key 0 … n-1, aggregate 0 … m-1]. A subexpression equal to a group key becomes a var of
 * that key, an aggregate call a var of its result; a column left over is the user's error
 * (42803), exactly where Postgres's check_ungrouped_columns finds it.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { AggCall, Expr } from "./expr.js";
import { someExpr } from "./expr-map.js";
import { referenceLocation } from "./reference-location.js";

/** Returns a key that is equal for structurally equal expressions. */
export function exprKey(expr: Expr): string {
  return JSON.stringify(expr, function (this: unknown, k: string, v: unknown) {
    if (typeof v === "function") return undefined;
    // A sublink parameter's lookup key is bookkeeping that copies of the sublink drop.
    if (k === "key" && typeof this === "object" && this !== null && "slot" in this) {
      return undefined;
    }
    if (typeof v === "bigint") return `${v}n`;
    // JSON writes NaN and ±Infinity as null and -0 as 0: name them apart.
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) {
      return `${Object.is(v, -0) ? "-0" : String(v)} (number)`;
    }
    if (k === "plan" || k === "def" || k === "compare") return undefined;
    return v;
  });
}

export class GroupingRewriter {
  private readonly keyIndex = new Map<string, number>();
  /** Inside a sublink's parameters: an ungrouped column there gets Postgres's other text. */
  private inSubLink = false;

  /** Each aggregate's position, or that of an equal earlier one (find_compatible_agg). */
  private readonly aggIndex = new Map<AggCall, number>();

  constructor(
    private readonly keys: readonly Expr[],
    private readonly aggs: readonly AggCall[],
  ) {
    keys.forEach((k, i) => {
      const key = exprKey(k);
      if (!this.keyIndex.has(key)) this.keyIndex.set(key, i);
    });
    // Equal calls read one result, so `count(*)` in ORDER BY is the select list's count(*);
    // calls with volatile parts stay apart.
    const first = new Map<string, number>();
    aggs.forEach((a, i) => {
      const volatile = [...a.args, ...(a.direct ?? []), ...(a.filter === null ? [] : [a.filter]),
        ...a.order.map((k) => k.expr)].some((e) => someExpr(e, (x) =>
        x.kind === "call" && x.volatile));
      const key = volatile ? `#${i}`
        : exprKey({ kind: "aggref", type: a.type, typmod: -1, agg: a });
      if (!first.has(key)) first.set(key, i);
      this.aggIndex.set(a, first.get(key)!);
    });
  }

  /** Rewrites `expr` over the aggregate's output row. */
  rewrite(expr: Expr): Expr {
    const keyPos = this.keyIndex.get(exprKey(expr));
    if (keyPos !== undefined) {
      const k = this.keys[keyPos]!;
      return {
        kind: "var",
        index: keyPos,
        type: k.type,
        typmod: k.typmod,
        name: k.kind === "var" ? k.name : "?column?",
        tableOid: 0,
        attnum: 0,
      };
    }
    switch (expr.kind) {
      case "aggref": {
        // An ordered-set aggregate's direct arguments are evaluated once per group, so they
        // may use grouped columns only (check_ungrouped_columns walks into them).
        for (const d of expr.agg.direct ?? []) this.rewrite(d);
        const i = this.aggIndex.get(expr.agg) ?? this.aggs.indexOf(expr.agg);
        return {
          kind: "var",
          index: this.keys.length + i,
          type: expr.type,
          typmod: -1,
          name: expr.agg.name,
          tableOid: 0,
          attnum: 0,
        };
      }
      case "var":
        throw new SqlError(
          SqlState.groupingError,
          this.inSubLink ? `subquery uses ungrouped column "${expr.name}" from outer query`
            : `column "${expr.name}" must appear in the GROUP BY clause or be used in an ` +
              "aggregate function",
          referenceLocation(expr),
        );
      case "const":
      case "param":
      case "outer":
      case "caseTest":
      case "srfref":
      case "windowref":
        return expr;
      case "call":
        return { ...expr, args: expr.args.map((a) => this.rewrite(a)) };
      case "cast":
        return { ...expr, arg: this.rewrite(expr.arg) };
      case "and":
      case "or":
      case "not":
        return { ...expr, args: expr.args.map((a) => this.rewrite(a)) };
      case "case":
        return {
          ...expr,
          arg: expr.arg === null ? null : this.rewrite(expr.arg),
          whens: expr.whens.map((w) => ({
            cond: this.rewrite(w.cond),
            result: this.rewrite(w.result),
          })),
          otherwise: this.rewrite(expr.otherwise),
        };
      case "coalesce":
      case "minmax":
      case "row":
        return { ...expr, args: expr.args.map((a) => this.rewrite(a)) } as Expr;
      case "array":
        return { ...expr, elements: expr.elements.map((a) => this.rewrite(a)) };
      case "nullTest":
      case "boolTest":
        return { ...expr, arg: this.rewrite(expr.arg) } as Expr;
      case "distinct":
      case "nullif":
        return { ...expr, left: this.rewrite(expr.left), right: this.rewrite(expr.right) };
      case "subLink": {
        const testArgs = expr.testArgs.map((a) => this.rewrite(a));
        const outer = this.inSubLink;
        this.inSubLink = true;
        try {
          const params = expr.params.map((p) => ({ slot: p.slot, expr: this.rewrite(p.expr) }));
          return { ...expr, params, testArgs };
        } finally {
          this.inSubLink = outer;
        }
      }
    }
  }
}

/** Returns true when `expr` contains an aggregate call of this level. */
export function containsAggref(expr: Expr): boolean {
  return exprKey(expr).includes('"kind":"aggref"');
}
