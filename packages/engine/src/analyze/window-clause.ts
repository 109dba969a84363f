/**
 * Window specifications (Postgres's transformWindowDefinitions and the window part of
 * transformWindowFuncCall): OVER clauses, the WINDOW clause's named windows, references
 * between them, and frame offsets.
 *
 *   WINDOW w AS (PARTITION BY a)
 *   sum(x) OVER w                 -- w itself, frame clause and all
 *   sum(x) OVER (w ORDER BY b)    -- a copy of w with an ORDER BY added: no PARTITION BY and
 *                                 -- no frame of its own in w, no second ORDER BY
 *
 * Equal specifications become one WindowSpec object, so the planner gives every call over
 * the same window one WindowAgg node. Each query level keeps its windows in a side table
 * keyed by its Scope; `windowsInOrder` lists them in Postgres's p_windowdefs order (named
 * windows first, then inline ones as met), which the planner uses to break sort ties.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { Oid, formatTypeName } from "../catalog/types.js";
import { canCoerce, coerceTo } from "./coerce.js";
import { requireEquality, requireOrdering } from "./comparable-types.js";
import type { Expr, WindowRefName, WindowSpec } from "./expr.js";
import { analyzeExpr, locationOf } from "./expr-analyze.js";
import { exprKey } from "./grouping.js";
import { someExpr } from "./expr-map.js";
import type { Scope } from "./scope.js";
import { analyzeSortKeys } from "./window-spec.js";

/** Frame option bits, as Postgres's FRAMEOPTION_* in parsenodes.h. */
export const Frame = {
  nonDefault: 0x1, range: 0x2, rows: 0x4, groups: 0x8, between: 0x10,
  startUnboundedPreceding: 0x20, endUnboundedPreceding: 0x40,
  startUnboundedFollowing: 0x80, endUnboundedFollowing: 0x100,
  startCurrentRow: 0x200, endCurrentRow: 0x400,
  startOffsetPreceding: 0x800, endOffsetPreceding: 0x1000,
  startOffsetFollowing: 0x2000, endOffsetFollowing: 0x4000,
  excludeCurrentRow: 0x8000, excludeGroup: 0x10000, excludeTies: 0x20000,
  defaults: 0x422,
} as const;

const startOffsetBits = Frame.startOffsetPreceding | Frame.startOffsetFollowing;
const endOffsetBits = Frame.endOffsetPreceding | Frame.endOffsetFollowing;

interface Named {
  readonly def: ast.WindowDef;
  spec: WindowSpec | null;
  /** The window this one builds on (`WINDOW w2 AS (w1 ORDER BY x)`), for deparsing. */
  readonly ref: WindowRefName | undefined;
}

interface WindowState {
  readonly named: Map<string, Named>;
  readonly specs: WindowSpec[];
  readonly byKey: Map<string, WindowSpec>;
}

const states = new WeakMap<Scope, WindowState>();

/** Registers a SELECT's WINDOW clause; raises 42P20 for a name defined twice. */
export function defineWindows(list: readonly ast.Node[], scope: Scope): void {
  const state = stateOf(scope);
  for (const node of list) {
    if (!("WindowDef" in node)) continue;
    const def = node.WindowDef;
    const name = def.name ?? "";
    if (state.named.has(name)) {
      throw new SqlError(SqlState.windowingError, `window "${name}" is already defined`,
        locationOf(def.location));
    }
    const merged = def.refname === undefined ? def : copyWindow(def, state, true);
    const ref = def.refname === undefined ? undefined
      : { name: def.refname, whole: false, ownOrder: def.orderClause !== undefined };
    state.named.set(name, { def: merged, spec: null, ref });
  }
}

/** Analyzes every named window not yet used, so their errors surface as in Postgres. */
export function analyzeNamedWindows(scope: Scope): void {
  const state = states.get(scope);
  if (state === undefined) return;
  for (const named of state.named.values()) named.spec ??= analyzeSpec(named.def, scope, state);
}

/** The WINDOW clause's entries by name, in the order written, each analyzed. */
export function namedWindows(scope: Scope):
  { name: string; spec: WindowSpec; ref: WindowRefName | undefined }[] {
  const state = stateOf(scope);
  return [...state.named].map(([name, named]) =>
    ({ name, spec: named.spec ??= analyzeSpec(named.def, scope, state), ref: named.ref }));
}

/** Returns the windows of this level in Postgres's definition order. */
export function windowsInOrder(scope: Scope): readonly WindowSpec[] {
  return states.get(scope)?.specs ?? [];
}

/** Resolves an OVER clause to its (shared) specification. */
export function resolveWindow(def: ast.WindowDef, scope: Scope): WindowSpec {
  const state = stateOf(scope);
  if (def.name !== undefined) {
    const named = state.named.get(def.name);
    if (named === undefined) {
      throw new SqlError(SqlState.undefinedObject, `window "${def.name}" does not exist`,
        locationOf(def.location));
    }
    named.spec ??= analyzeSpec(named.def, scope, state);
    return named.spec;
  }
  const merged = def.refname === undefined ? def : copyWindow(def, state, false);
  return analyzeSpec(merged, scope, state);
}

function stateOf(scope: Scope): WindowState {
  let state = states.get(scope);
  if (state === undefined) {
    state = { named: new Map(), specs: [], byKey: new Map() };
    states.set(scope, state);
  }
  return state;
}

/** Builds `def` on top of the window it names in `refname`, with Postgres's checks. */
function copyWindow(def: ast.WindowDef, state: WindowState, inWindowClause: boolean):
  ast.WindowDef {
  const refname = def.refname!;
  const loc = locationOf(def.location);
  const ref = state.named.get(refname)?.def;
  if (ref === undefined) {
    throw new SqlError(SqlState.undefinedObject, `window "${refname}" does not exist`, loc);
  }
  if (def.partitionClause !== undefined) {
    throw new SqlError(SqlState.windowingError,
      `cannot override PARTITION BY clause of window "${refname}"`, loc);
  }
  if (def.orderClause !== undefined && ref.orderClause !== undefined) {
    throw new SqlError(SqlState.windowingError,
      `cannot override ORDER BY clause of window "${refname}"`, loc);
  }
  const frame = def.frameOptions ?? Frame.defaults;
  if ((ref.frameOptions ?? Frame.defaults) !== Frame.defaults) {
    const bare = !inWindowClause && def.orderClause === undefined && frame === Frame.defaults;
    throw new SqlError(SqlState.windowingError,
      `cannot copy window "${refname}" because it has a frame clause`,
      bare ? { ...loc, hint: "Omit the parentheses in this OVER clause." } : loc);
  }
  const out: ast.WindowDef = { ...def, frameOptions: frame };
  if (ref.partitionClause !== undefined) out.partitionClause = ref.partitionClause;
  const order = def.orderClause ?? ref.orderClause;
  if (order !== undefined) out.orderClause = order;
  delete out.refname;
  return out;
}

/** Analyzes PARTITION BY, ORDER BY and the frame of a resolved window definition. */
function analyzeSpec(def: ast.WindowDef, scope: Scope, state: WindowState): WindowSpec {
  const savedClause = scope.clause;
  const savedWindows = scope.windows;
  scope.windows = null;
  scope.clause = "window definitions";
  try {
    const partition = (def.partitionClause ?? []).map((p) => {
      const e = analyzeExpr(p, scope);
      return e.type === Oid.unknown ? coerceTo(e, Oid.text, -1, "i", scope.statement.params) : e;
    });
    const order = analyzeSortKeys(def.orderClause ?? [], scope);
    for (const p of partition) requireEquality(p.type);
    for (const k of order) requireOrdering(k.expr.type);
    const frameOptions = def.frameOptions ?? Frame.defaults;
    const loc = locationOf(def.location);
    if ((frameOptions & Frame.groups) !== 0 && order.length === 0) {
      throw new SqlError(SqlState.windowingError, "GROUPS mode requires an ORDER BY clause", loc);
    }
    const rangeOffset = (frameOptions & Frame.range) !== 0 &&
      (frameOptions & (startOffsetBits | endOffsetBits)) !== 0;
    if (rangeOffset && order.length !== 1) {
      throw new SqlError(SqlState.windowingError,
        "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column", loc);
    }
    const orderType = order[0]?.expr.type ?? 0;
    const offset = (node: ast.Node | undefined): Expr | null =>
      (node === undefined ? null : frameOffset(node, frameOptions, orderType, scope));
    const spec: WindowSpec = { partition, order, frameOptions,
      startOffset: offset(def.startOffset), endOffset: offset(def.endOffset) };
    return dedupe(spec, state);
  } finally {
    scope.clause = savedClause;
    scope.windows = savedWindows;
  }
}

function dedupe(spec: WindowSpec, state: WindowState): WindowSpec {
  const key = windowKey(spec);
  const existing = state.byKey.get(key);
  if (existing !== undefined) return existing;
  state.byKey.set(key, spec);
  state.specs.push(spec);
  return spec;
}

/** Returns a key equal for equal window specifications. */
export function windowKey(spec: WindowSpec): string {
  const keys = spec.order.map((k) => `${exprKey(k.expr)}/${k.descending}/${k.nullsFirst}`);
  return JSON.stringify([spec.partition.map(exprKey), keys, spec.frameOptions,
    spec.startOffset === null ? null : exprKey(spec.startOffset),
    spec.endOffset === null ? null : exprKey(spec.endOffset)]);
}

/** In-range offset types per ORDER BY column type, as pg_amproc's in_range entries. */
const inRangeOffsets: Record<number, readonly number[]> = {
  [Oid.int2]: [Oid.int8, Oid.int4, Oid.int2], [Oid.int4]: [Oid.int8, Oid.int4, Oid.int2],
  [Oid.int8]: [Oid.int8], [Oid.float4]: [Oid.float8], [Oid.float8]: [Oid.float8],
  [Oid.numeric]: [Oid.numeric], [Oid.date]: [Oid.interval], [Oid.time]: [Oid.interval],
  [Oid.timetz]: [Oid.interval], [Oid.timestamp]: [Oid.interval],
  [Oid.timestamptz]: [Oid.interval], [Oid.interval]: [Oid.interval],
};

/**
 * Analyzes a frame offset (transformFrameOffset): bigint for ROWS and GROUPS, the offset type
 * of the matching in_range support function for RANGE.
 */
function frameOffset(node: ast.Node, options: number, orderType: number, scope: Scope): Expr {
  const mode = (options & Frame.rows) !== 0 ? "ROWS" : (options & Frame.groups) !== 0 ? "GROUPS"
    : "RANGE";
  scope.clause = `window ${mode}`;
  const saved = scope.aggs;
  scope.aggs = null;
  const raw = analyzeExpr(node, scope);
  scope.aggs = saved;
  const loc = locationOf(nodeLocation(node));
  if (someExpr(raw, (e) => e.kind === "var")) {
    throw new SqlError(SqlState.invalidColumnReference,
      `argument of ${mode} must not contain variables`, loc);
  }
  if (mode !== "RANGE") {
    // coerce_to_specific_type: an assignment cast, so `1.5 PRECEDING` rounds to 2.
    if (!canCoerce(raw.type, Oid.int8, "a")) {
      throw new SqlError(SqlState.datatypeMismatch, `argument of ${mode} must be type bigint, ` +
        `not type ${formatTypeName(raw.type, -1)}`, loc);
    }
    return coerceTo(raw, Oid.int8, -1, "a", scope.statement.params);
  }
  const candidates = inRangeOffsets[orderType] ?? [];
  // The message names the sort operator class's input type: varchar sorts with text_ops.
  const columnType = formatTypeName(orderType === Oid.varchar ? Oid.text : orderType, -1);
  if (candidates.length === 0) {
    throw new SqlError(SqlState.featureNotSupported,
      `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${columnType}`, loc);
  }
  const preferred = raw.type === Oid.unknown ? orderType : raw.type;
  let chosen = candidates.find((c) => c === preferred);
  if (chosen === undefined) {
    const coercible = candidates.filter((c) => canCoerce(raw.type, c, "i"));
    if (coercible.length !== 1) {
      throw new SqlError(SqlState.featureNotSupported, "RANGE with offset PRECEDING/FOLLOWING " +
        `is not supported for column type ${columnType} and offset type ` +
        `${formatTypeName(raw.type, -1)}`, { ...loc, hint: coercible.length === 0
        ? "Cast the offset value to an appropriate type."
        : "Cast the offset value to the exact intended type." });
    }
    chosen = coercible[0]!;
  }
  return coerceTo(raw, chosen, -1, "i", scope.statement.params);
}

function nodeLocation(node: ast.Node): number | undefined {
  const inner = Object.values(node)[0] as { location?: number } | undefined;
  return inner?.location;
}
