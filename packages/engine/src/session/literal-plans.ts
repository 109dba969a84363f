/**
 * One session's plans shared by the simple-protocol statements of one shape: after the shape
 * cache (`statement-shape-cache.ts`) has named a statement's shape and found its literals
 * bindable (`literal-parameters.ts`), the statement runs through a plan made once with $1, $2 …
 * in place of its literals, as a prepared statement would, instead of being analysed and planned
 * with its constants every time.
 *
 * The shared plan is trusted only when it is the plan the constants would get: on first sight
 * the statement is planned both ways, and the two plans must be equal node for node, except
 * that where the first holds the literal as an int4 constant the second holds the parameter
 * of that literal. A cast or fold the analyzer applied to the constant, a different operator,
 * index or order of tests makes them differ, and the shape then always plans with constants
 * in this session. Like a prepared statement's plan (`plan-cache.ts`), a shared plan is made
 * again after the catalog epoch moves; it is also made again after any setting changed.
 */
import { isSqlError } from "@tessera/base";
import type { ast, Value } from "@tessera/sql";
import type { PreparedStatement, QueryEngine, StatementContext } from "../api.js";
import { Engine, type PlannedQuery } from "../engine.js";
import { withAnalysisSettings } from "../catalog/type-io.js";
import { catalogEpoch } from "../catalog/catalog-epoch.js";
import type { BindableShape } from "./statement-shape-cache.js";
import { refuseParameterReferences } from "./simple-params.js";

/** Shapes with a plan kept per session; past it the oldest is dropped. */
export const literalPlansPerSessionMax = 200;
/** Plans nested deeper than this are not compared, so not shared (the comparison recurses). */
const planDepthMax = 500;

const stats = { made: 0, runs: 0 };

/** Counts for tests: shared plans made, and statements run through one. */
export function literalPlanStats(): { readonly made: number; readonly runs: number } {
  return { ...stats };
}

interface SharedPlan {
  readonly prepared: PreparedStatement;
  readonly epoch: number;
  readonly settingsVersion: number;
}

/** A statement ready to open: its plan and the parameter values to open it with. */
export interface ReadyStatement {
  readonly prepared: PreparedStatement;
  readonly params: readonly Value[];
}

export class LiteralPlans {
  private readonly plans = new Map<string, SharedPlan | null>();

  constructor(private readonly engine: QueryEngine,
    private readonly settingsVersion: () => number) {}

  /**
   * Plans `stmt`, or finds the plan its shape shares. The first statement of a shape is
   * planned with its constants (errors are the usual ones) and, if that worked, once more
   * with parameters for the statements after it.
   */
  prepare(stmt: ast.Node, shape: BindableShape | undefined, ctx: StatementContext):
    ReadyStatement {
    if (shape === undefined) {
      refuseParameterReferences(stmt);
      return { prepared: this.engine.prepare(stmt, [], ctx), params: [] };
    }
    const shared = this.plans.get(shape.key);
    const version = this.settingsVersion();
    if (shared !== undefined && shared !== null && shared.epoch === catalogEpoch.value &&
      shared.settingsVersion === version) {
      stats.runs++;
      return { prepared: shared.prepared, params: shape.values };
    }
    refuseParameterReferences(stmt);
    const epoch = catalogEpoch.value;
    const prepared = this.engine.prepare(stmt, [], ctx);
    if (shared === null) return { prepared, params: [] };
    // Two literals of one value could hide a parameter standing for the other: try later.
    if (new Set(shape.values).size !== shape.values.length) return { prepared, params: [] };
    if (this.plans.size >= literalPlansPerSessionMax) {
      this.plans.delete(this.plans.keys().next().value!);
    }
    const plan = this.sharedPlan(stmt, shape, ctx);
    this.plans.set(shape.key, plan === null ? null
      : { prepared: plan, epoch, settingsVersion: version });
    return { prepared, params: [] };
  }

  /** Forgets every plan (DISCARD PLANS, DISCARD ALL). */
  clear(): void {
    this.plans.clear();
  }

  /** Plans the statement with parameters; null unless that equals the plan with constants. */
  private sharedPlan(stmt: ast.Node, shape: BindableShape, ctx: StatementContext):
    PreparedStatement | null {
    const engine = this.engine;
    if (!(engine instanceof Engine)) return null;
    const paramStmt = shape.paramStatement();
    // The statement already told the client what its analysis had to say.
    ctx = new Proxy(ctx, { get: (target, key) =>
      key === "notice" ? (): void => undefined : Reflect.get(target, key, target) });
    try {
      const [constants, params] = withAnalysisSettings(ctx, () => [
        engine.planQuery(stmt, engine.statementScope([], ctx)),
        engine.planQuery(paramStmt, engine.statementScope(shape.paramTypes, ctx)),
      ]);
      if (!samePlans(constants, params, shape)) return null;
      const prepared = engine.prepare(paramStmt, shape.paramTypes, ctx);
      const typesKept = prepared.paramTypes.length === shape.paramTypes.length &&
        prepared.paramTypes.every((t, i) => t === shape.paramTypes[i]);
      if (typesKept) stats.made++;
      return typesKept ? prepared : null;
    } catch (error) {
      if (isSqlError(error)) return null; // the parameters do not analyse as the constants do
      throw error;
    }
  }
}

/**
 * True when the plan with parameters is the plan with constants, node for node, where each
 * parameter stands where the constant of its literal stood.
 */
function samePlans(constants: PlannedQuery, params: PlannedQuery, shape: BindableShape): boolean {
  const matched = new Set<number>();
  const same = new PlanComparison(shape.values, shape.paramTypes, matched)
    .equal(constants, params, 0);
  return same && matched.size === shape.values.length;
}

/** A deep comparison of two plans built from the same statement with constants and $n. */
class PlanComparison {
  constructor(
    private readonly values: readonly number[],
    private readonly types: readonly number[],
    private readonly matched: Set<number>,
  ) {}

  equal(a: unknown, b: unknown, depth: number): boolean {
    if (a === b) return true;
    if (typeof a === "function" && typeof b === "function") {
      // Closures bound at analysis (operators, casts) are made from types, not values. Native
      // and bound functions show no source: those must be the same function.
      const source = a.toString();
      return !source.includes("[native code]") && source === b.toString();
    }
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (depth > planDepthMax) return false;
    const prototype = Object.getPrototypeOf(a) as unknown;
    if (prototype !== Object.getPrototypeOf(b)) return false;
    if (Array.isArray(a)) {
      const other = b as unknown[];
      return a.length === other.length && a.every((x, i) => this.equal(x, other[i], depth + 1));
    }
    // Anything but plain data (Decimal, Map, a catalog object) must be the same object.
    if (prototype !== Object.prototype) return false;
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    if (left["kind"] === "const" && right["kind"] === "param") return this.bound(left, right);
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    return keys.every((k) => Object.hasOwn(right, k) && this.equal(left[k], right[k], depth + 1));
  }

  /** A constant against a parameter: the literal's own value and type, unchanged. */
  private bound(constant: Record<string, unknown>, param: Record<string, unknown>): boolean {
    const index = param["index"];
    if (typeof index !== "number" || index < 0 || index >= this.values.length) return false;
    const type = this.types[index];
    const same = constant["type"] === type && param["type"] === type &&
      constant["typmod"] === -1 && param["typmod"] === -1 &&
      constant["value"] === this.values[index];
    if (same) this.matched.add(index);
    return same;
  }
}
