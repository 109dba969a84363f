/**
 * WindowAgg (Postgres's nodeWindowAgg.c): reads its input, already sorted by the window's
 * PARTITION BY and ORDER BY (a Sort below, or an order the input has anyway), one partition
 * at a time; computes every call of the node for every row of the partition; then returns
 * the rows with the calls' results appended.
 *
 * Window functions see the partition through WindowRows (`row_number`, `lag`, `first_value`
 * …). Aggregates see their frame: when every frame starts at the partition's first row, the
 * transition state only grows and each row just finalizes it (O(n)); otherwise a frame that
 * differs from the previous row's is aggregated afresh.
 */
import type { Row, Value } from "@tessera/sql";
import type { WindowCall } from "../analyze/expr.js";
import type { AggregateDef, WindowDefLike, WindowRowsLike } from "../catalog/builtins.js";
import { compareFor } from "../catalog/type-io.js";
import type { WindowPlan } from "../plan/plan.js";
import { compileExpr, compilePredicate, type Compiled } from "./compile.js";
import type { NodeState, Runtime } from "./runtime.js";
import { runnableAggregate } from "./user-aggregate-run.js";
import { FrameFinder, checkOffsets, findPeers, type Offsets, type Peers } from "./window-frame.js";

/** The rows of one partition with what every call needs to read them. */
interface Partition {
  readonly rows: readonly Row[];
  readonly peers: Peers;
  readonly frames: FrameFinder;
}

type CallRunner = (part: Partition, out: Value[]) => void;

export function buildWindowAgg(plan: WindowPlan, rt: Runtime): NodeState {
  const spec = plan.calls[0]!.window;
  const reader = new PartitionReader(rt.build(plan.input), spec.partition.map((e) =>
    ({ f: compileExpr(e), cmp: compareFor(e.type) })), rt);
  const orderKeys = spec.order.map((k) => compileExpr(k.expr));
  const runners = plan.calls.map((c) => callRunner(c, rt));
  const startOffset = spec.startOffset === null ? null : compileExpr(spec.startOffset);
  const endOffset = spec.endOffset === null ? null : compileExpr(spec.endOffset);
  let offsets: Offsets | null = null;
  let rows: Row[] = [];
  let results: Value[][] = [];
  let pos = 0;
  const loadPartition = (): boolean => {
    const next = reader.next();
    if (next === null) return false;
    rows = next;
    const orderValues = rows.map((r) => orderKeys.map((f) => f(r, rt)));
    const peers = findPeers(orderValues, spec.order);
    const frames = new FrameFinder(spec, offsets!, peers, (i) => orderValues[i]![0] ?? null,
      rt.evalContext);
    const part: Partition = { rows, peers, frames };
    results = runners.map((run) => {
      const out = new Array<Value>(rows.length);
      run(part, out);
      return out;
    });
    pos = 0;
    return true;
  };
  return {
    next(): Row | null {
      if (offsets === null) {
        offsets = { start: startOffset?.([], rt) ?? null, end: endOffset?.([], rt) ?? null };
        checkOffsets(spec, offsets);
      }
      if (pos >= rows.length && !loadPartition()) return null;
      const i = pos++;
      const out = rows[i]!.slice();
      for (const column of results) out.push(column[i]!);
      return out;
    },
    rescan(): void {
      reader.rescan();
      rows = [];
      results = [];
      pos = 0;
      offsets = null;
    },
  };
}

interface PartitionKey {
  readonly f: Compiled;
  readonly cmp: (a: Value, b: Value) => number;
}

/** Cuts sorted input into partitions: rows with equal PARTITION BY values, nulls equal. */
class PartitionReader {
  private lookahead: Row | null = null;
  private exhausted = false;

  constructor(private readonly input: NodeState, private readonly keys: readonly PartitionKey[],
    private readonly rt: Runtime) {}

  /** Returns the next partition's rows, or null after the last. */
  next(): Row[] | null {
    const first = this.lookahead ?? (this.exhausted ? null : this.input.next());
    this.lookahead = null;
    if (first === null) {
      this.exhausted = true;
      return null;
    }
    const rows = [first];
    for (let r = this.input.next(); ; r = this.input.next()) {
      if (r === null) {
        this.exhausted = true;
        break;
      }
      if (this.keys.length > 0 && !this.same(first, r)) {
        this.lookahead = r;
        break;
      }
      rows.push(r);
    }
    return rows;
  }

  rescan(): void {
    this.input.rescan();
    this.lookahead = null;
    this.exhausted = false;
  }

  private same(a: Row, b: Row): boolean {
    for (const k of this.keys) {
      const x = k.f(a, this.rt);
      const y = k.f(b, this.rt);
      if (x === null || y === null) {
        if (x !== y) return false;
      } else if (k.cmp(x, y) !== 0) return false;
    }
    return true;
  }
}

function callRunner(call: WindowCall, rt: Runtime): CallRunner {
  const args = call.args.map((e) => compileExpr(e));
  if (call.def.kind === "window") return windowFunctionRunner(call, call.def, args, rt);
  return aggregateRunner(call, runnableAggregate(call.def, rt), args, rt);
}

/** Functions that read their frame and so must skip rows EXCLUDE removes. */
const frameReaders = new Set(["first_value", "last_value", "nth_value"]);

function windowFunctionRunner(call: WindowCall, def: WindowDefLike, args: Compiled[],
  rt: Runtime): CallRunner {
  const info = { argTypes: call.argTypes, returnType: call.type };
  const readsFrame = frameReaders.has(call.name);
  return (part, out) => {
    const view = { partitionRowCount: part.rows.length, currentRow: 0, peerStart: 0, peerEnd: 0,
      peerGroupIndex: 0, frameStart: 0, frameEnd: 0,
      argAt: (row: number, i: number): Value => args[i]!(part.rows[row]!, rt) };
    for (let row = 0; row < part.rows.length; row++) {
      view.currentRow = row;
      view.peerStart = part.peers.start[row]!;
      view.peerEnd = part.peers.end[row]!;
      view.peerGroupIndex = part.peers.group[row]!;
      view.frameStart = part.frames.start(row);
      view.frameEnd = Math.max(view.frameStart, part.frames.end(row));
      out[row] = readsFrame && part.frames.excludes
        ? def.impl(excludingView(part, row, view.frameStart, view.frameEnd, args, rt),
          rt.evalContext, info)
        : def.impl(view, rt.evalContext, info);
    }
  };
}

/**
 * Presents a frame with EXCLUDE applied as a contiguous one: the frame's remaining rows
 * become rows 0…n-1 and the current row becomes row n.
 */
function excludingView(part: Partition, row: number, start: number, end: number,
  args: Compiled[], rt: Runtime): WindowRowsLike {
  const kept: number[] = [];
  for (let r = start; r < end; r++) if (!part.frames.excluded(row, r)) kept.push(r);
  const n = kept.length;
  return { partitionRowCount: n + 1, currentRow: n, peerStart: n, peerEnd: n + 1,
    peerGroupIndex: 0, frameStart: 0, frameEnd: n,
    argAt: (r, i) => args[i]!(part.rows[r === n ? row : kept[r]!]!, rt) };
}

function aggregateRunner(call: WindowCall, def: AggregateDef, args: Compiled[],
  rt: Runtime): CallRunner {
  const info = { argTypes: call.argTypes, returnType: call.type };
  const filter = compilePredicate(call.filter);
  const step = (state: unknown, row: Row): unknown => {
    if (filter !== null && !filter(row, rt)) return state;
    return def.transition(state, args.map((f) => f(row, rt)), info);
  };
  const finish = (state: unknown): Value => detach(def.final(state, info, []));
  return (part, out) => {
    const frames = part.frames;
    const excludes = frames.excludes;
    const growing = frames.startsAtPartition && !excludes;
    let state = def.stateInit(info);
    let doneStart = 0;
    let doneEnd = 0;
    let last: Value = null;
    let valid = false;
    for (let row = 0; row < part.rows.length; row++) {
      const start = frames.start(row);
      const end = Math.max(start, frames.end(row));
      if (valid && start === doneStart && end === doneEnd && !excludes) {
        out[row] = last;
        continue;
      }
      if (!(growing && valid && end >= doneEnd)) {
        state = def.stateInit(info);
        doneEnd = start;
      }
      for (let r = doneEnd; r < end; r++) {
        if (!excludes || !frames.excluded(row, r)) state = step(state, part.rows[r]!);
      }
      doneStart = start;
      doneEnd = end;
      last = finish(state);
      valid = true;
      out[row] = last;
    }
  };
}

/**
 * Copies a result that may share storage with the transition state (array_agg's items), so
 * later transitions of a growing frame cannot change rows already returned.
 */
function detach(v: Value): Value {
  if (Array.isArray(v)) return [...(v as unknown[])] as unknown as Value;
  if (typeof v === "object" && v !== null && "kind" in v && v.kind === "array") {
    return { ...v, items: [...v.items] };
  }
  return v;
}
