/**
 * Aggregation: plain (one group), hashed (a Map from group key to states). Each aggregate
 * keeps its transition state per group; DISTINCT aggregates keep a set of seen argument keys,
 * ordered aggregates collect their rows and feed them sorted at the end (`agg-ordered.ts`).
 * The output row is [group keys…, aggregate results…]; HAVING filters it.
 */
import type { Row, Value } from "@tessera/sql";
import type { AggCall, Expr } from "../analyze/expr.js";
import { hashKeyOf } from "../catalog/type-io.js";
import type { AggPlan } from "../plan/plan.js";
import { compileExpr, compileExprShared, compilePredicate, type Compiled } from "./compile.js";
import { findSharedExprs, nextRow, type SharedExprs } from "./shared-exprs.js";
import type { NodeState, Runtime } from "./runtime.js";
import { orderedAggRunner } from "./agg-ordered.js";
import { checkMemory } from "./memory-limit.js";
import { runnableAggregate } from "./user-aggregate-run.js";

export interface AggRunner {
  init(): unknown;
  step(state: unknown, row: Row): unknown;
  finish(state: unknown): Value;
  /** Ordered-set aggregates: evaluates the direct arguments on `row` (before any step). */
  setDirect?(state: unknown, row: Row): void;
}

/** One group's key values and aggregate states. */
interface Group {
  keys: Value[];
  states: unknown[];
}

export function buildAgg(plan: AggPlan, rt: Runtime): NodeState {
  const input = rt.build(plan.input);
  const shared = findSharedExprs(plan,
    () => [...plan.groupKeys, ...plan.aggs.flatMap(perRowExprs)]);
  const keys = plan.groupKeys.map((e) => compileExprShared(e, shared));
  const runners = plan.aggs.map((a) => aggRunner(a, rt, shared));
  const having = compilePredicate(plan.filter);
  let output: Row[] | null = null;
  let i = 0;
  const run = (): Row[] => {
    const groups = new Map<unknown, Group>();
    if (keys.length === 0) {
      // One group: its states step without a key or a lookup per row.
      const states = runners.map((a) => a.init());
      groups.set(0, { keys: [], states });
      for (let r = input.next(); r !== null; r = input.next()) {
        if (shared !== null) nextRow(shared);
        for (let k = 0; k < runners.length; k++) states[k] = runners[k]!.step(states[k], r);
      }
    } else {
      groupRows(groups);
    }
    const rows: Row[] = [];
    for (const g of groups.values()) {
      const row: Row = g.keys.concat(g.states.map((s, k) => runners[k]!.finish(s)));
      if (having === null || having(row, rt)) rows.push(row);
    }
    return rows;
  };
  const single = keys.length === 1 ? keys[0]! : null;
  const groupRows = (groups: Map<unknown, Group>): void => {
    // Several keys: one Map level per key, on each key's hash key (no string per row).
    const index = single === null ? new Map<unknown, unknown>() : null;
    for (let r = input.next(); r !== null; r = input.next()) {
      if (shared !== null) nextRow(shared);
      let group: Group | undefined;
      let level: Map<unknown, unknown> | null = null;
      let hash: unknown;
      if (index === null) {
        hash = hashKeyOf(single!(r, rt));
        group = groups.get(hash);
      } else {
        level = index;
        hash = hashKeyOf(keys[0]!(r, rt));
        for (let k = 1; k < keys.length; k++) {
          let next = level.get(hash) as Map<unknown, unknown> | undefined;
          if (next === undefined) {
            next = new Map<unknown, unknown>();
            level.set(hash, next);
          }
          level = next;
          hash = hashKeyOf(keys[k]!(r, rt));
        }
        group = level.get(hash) as Group | undefined;
      }
      if (group === undefined) {
        checkMemory();
        group = { keys: keys.map((f) => f(r!, rt)), states: runners.map((a) => a.init()) };
        if (level === null) {
          groups.set(hash, group);
        } else {
          level.set(hash, group);
          groups.set(groups.size, group);
        }
      }
      const states = group.states;
      for (let k = 0; k < runners.length; k++) states[k] = runners[k]!.step(states[k], r);
    }
  };
  return {
    next(): Row | null {
      if (output === null) output = run();
      return i < output.length ? output[i++]! : null;
    },
    rescan(): void {
      input.rescan();
      output = null;
      i = 0;
    },
  };
}

/** A predicate's closure: true only for a true result (null and false both reject). */
function predicateOf(f: Compiled): (row: Row, rt: Runtime) => boolean {
  return (row, rt) => f(row, rt) === true;
}

/** The argument list of count(*): one shared empty array, not one per row. */
const noArgs = Object.freeze([]) as unknown as Value[];

/**
 * The expressions of an aggregate evaluated on each input row as it arrives: a plain
 * aggregate's arguments and FILTER. (DISTINCT and ordered aggregates keep rows to evaluate
 * later, so they share nothing.)
 */
function perRowExprs(agg: AggCall): Expr[] {
  if (agg.grouping !== undefined || agg.distinct || agg.order.length > 0) return [];
  return agg.filter === null ? [...agg.args] : [...agg.args, agg.filter];
}

/**
 * Builds the init/step/finish closures of one aggregate (GROUPING() is 0 in a plain group).
 * `shared`: the node's subexpressions evaluated once per input row, when the node has any.
 */
export function aggRunner(agg: AggCall, rt: Runtime, shared: SharedExprs | null = null,
): AggRunner {
  if (agg.grouping !== undefined) return { init: () => 0, step: (s) => s, finish: () => 0 };
  if (perRowExprs(agg).length === 0) shared = null;
  const args: Compiled[] = agg.args.map((e) => compileExprShared(e, shared));
  const filter = agg.filter === null ? null : predicateOf(compileExprShared(agg.filter, shared));
  const def = runnableAggregate(agg.def, rt);
  const call = { argTypes: agg.argTypes, returnType: agg.type };
  const evalArgs = (row: Row): Value[] => args.map((f) => f(row, rt));
  if (!agg.distinct && agg.order.length === 0) {
    if (args.length === 0) {
      return {
        init: () => def.stateInit(call),
        step: (s, row) => (filter !== null && !filter(row, rt) ? s
          : def.transition(s, noArgs, call)),
        finish: (s) => def.final(s, call, []),
      };
    }
    if (args.length === 1) {
      const a0 = args[0]!;
      const step1 = def.transition1;
      if (step1 !== undefined) {
        return {
          init: () => def.stateInit(call),
          step: filter === null ? (s, row) => step1(s, a0(row, rt))
            : (s, row) => (filter(row, rt) ? step1(s, a0(row, rt)) : s),
          finish: (s) => def.final(s, call, []),
        };
      }
      return {
        init: () => def.stateInit(call),
        step: (s, row) => (filter !== null && !filter(row, rt) ? s
          : def.transition(s, [a0(row, rt)], call)),
        finish: (s) => def.final(s, call, []),
      };
    }
    return {
      init: () => def.stateInit(call),
      step: (s, row) => (filter !== null && !filter(row, rt) ? s
        : def.transition(s, evalArgs(row), call)),
      finish: (s) => def.final(s, call, []),
    };
  }
  return orderedAggRunner(agg, rt, args, filter);
}
