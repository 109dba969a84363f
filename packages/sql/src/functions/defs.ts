/**
 * The shapes of built-in function, aggregate, window function and operator definitions: the
 * data the analyzer resolves overloads over (PostgreSQL's pg_proc, pg_aggregate, pg_operator),
 * each with the implementation the expression compiler calls.
 *
 * Signatures use type OIDs, with PostgreSQL's pseudo-type OIDs (anyelement 2283, anyarray 2277,
 * anynonarray 2776, anycompatible 5077, anycompatiblearray 5078, any 2276) for polymorphic
 * arguments. The analyzer resolves them and hands the concrete types to `impl` in `CallInfo`,
 * because functions such as `concat(variadic "any")` or `array_agg` need to know them.
 */
import type { Value } from "../types/value.js";

/** What a function may ask of the session that calls it. */
export interface EvalContext {
  /** Returns a setting's current value as text (`TimeZone`, `DateStyle`, `server_version`). */
  setting(name: string): string;
  readonly transactionStartMicros: bigint;
  readonly statementStartMicros: bigint;
  /** The session's PRNG, in [0, 1); `setseed` reseeds it. */
  random(): number;
  setSeed(seed: number): void;
  readonly user: string;
  readonly database: string;
  /** Aborted when the statement is cancelled; `pg_sleep` honours it. */
  readonly signal: AbortSignal;
  /** The session's backend pid, for pg_backend_pid(). */
  readonly backendPid?: number;
  /** set_config(): changes a session setting; absent where there is no session. */
  setSetting?(name: string, value: string, local: boolean): string;
}

/** The concrete types of one call, after the analyzer has resolved polymorphic arguments. */
export interface CallInfo {
  /** One OID per argument actually passed (after variadic expansion, if any). */
  readonly argTypes: readonly number[];
  readonly returnType: number;
  /**
   * The columns of a `record` or row-type result when the caller knows them: a column
   * definition list (`jsonb_to_record(j) AS t(a int, b text)`) or a table's row type
   * (`jsonb_populate_record(null::t, j)`), as Postgres's expected tuple descriptor.
   */
  readonly resultColumns?: readonly ResultColumn[];
  /**
   * A variadic "any" function called with `VARIADIC arr`: its last argument is that array,
   * whose elements the function takes as its arguments (concat, concat_ws, format).
   */
  readonly variadicArray?: boolean;
}

/** One column of a record result, with the typmod its values are coerced to. */
export interface ResultColumn {
  readonly name: string;
  readonly type: number;
  readonly typmod: number;
}

export type Volatility = "i" | "s" | "v";

interface Signature {
  readonly name: string;
  readonly argTypes: readonly number[];
  /** Element type of a trailing VARIADIC parameter; the last `argTypes` entry is its array. */
  readonly variadic?: number;
  readonly returnType: number;
  /** Parameter names, for named notation (`make_interval(days => 3)`). */
  readonly argNames?: readonly string[];
  /**
   * An untyped literal passed to an `any` parameter stays of type unknown (pg_typeof('x') is
   * unknown) instead of being read as text, which functions that use the value need.
   */
  readonly keepsUnknown?: boolean;
  /** How many trailing parameters may be omitted; `impl` then sees fewer arguments. */
  readonly defaultCount?: number;
  /**
   * The values of those trailing parameters (pg_proc.proargdefaults), so named notation can
   * skip one in the middle: `make_interval(days => 10)` passes zeros before `days`.
   */
  readonly defaults?: readonly Value[];
  readonly volatility: Volatility;
}

export type ScalarImpl = (args: Value[], ctx: EvalContext, call: CallInfo) => Value;

export interface ScalarFunction extends Signature {
  readonly kind: "scalar";
  /** true: any null argument gives null and `impl` is not called. */
  readonly strict: boolean;
  readonly impl: ScalarImpl;
  /** Set only on functions that must wait (pg_sleep); callers await `implAsync` instead. */
  readonly implAsync?: (args: Value[], ctx: EvalContext, call: CallInfo) => Promise<Value>;
}

export interface OutColumn {
  readonly name: string;
  readonly type: number;
}

export interface SetReturningFunction extends Signature {
  readonly kind: "srf";
  readonly strict: boolean;
  /** Present when the function returns `record` (or a row): one entry per column. */
  readonly outColumns?: readonly OutColumn[];
  /** Yields one Value per row, or one Value[] per row when `outColumns` is set. */
  readonly impl: (args: Value[], ctx: EvalContext, call: CallInfo) => Iterable<Value | Value[]>;
}

/**
 * An aggregate. `transition` sees every input row, nulls included, and decides itself what a
 * null means (most skip it, as PostgreSQL's strict transition functions do). `combine` merges
 * two partial states, as PostgreSQL's combinefn, for distributed and parallel aggregation.
 * Ordered-set aggregates (`percentile_cont(0.5) WITHIN GROUP (ORDER BY x)`) receive their
 * aggregated rows in the WITHIN GROUP order and their direct arguments in `final`.
 */
export interface AggregateFunction<S = unknown> extends Signature {
  readonly kind: "aggregate";
  readonly stateInit: (call: CallInfo) => S;
  readonly transition: (state: S, args: Value[], call: CallInfo) => S;
  /** `transition` of a one-argument aggregate taking the value itself (no array per row). */
  readonly transition1?: (state: S, arg: Value) => S;
  readonly final: (state: S, call: CallInfo, directArgs: Value[]) => Value;
  readonly combine?: (a: S, b: S) => S;
  /** Ordered-set aggregate: `directArgTypes` come before WITHIN GROUP, `argTypes` inside it. */
  readonly orderedSet?: boolean;
  readonly directArgTypes?: readonly number[];
  /**
   * Hypothetical-set aggregate (`rank(5) WITHIN GROUP (ORDER BY x)`): the executor adds the
   * direct arguments as one more row, flagged by a last boolean argument, sorted before (-1)
   * or after (1) its peers. See `aggregate-ordered.ts`.
   */
  readonly hypothetical?: -1 | 1;
}

/**
 * What a window function sees: its partition, sorted by the window's ORDER BY, and where the
 * current row, its peers (rows equal under ORDER BY) and its frame lie. Ranges are half-open
 * [start, end) row positions within the partition.
 */
export interface WindowRows {
  readonly partitionRowCount: number;
  readonly currentRow: number;
  readonly peerStart: number;
  readonly peerEnd: number;
  /** How many peer groups come before the current row's (dense_rank - 1). */
  readonly peerGroupIndex: number;
  readonly frameStart: number;
  readonly frameEnd: number;
  /** Evaluates argument `argIndex` at partition row `row`. */
  argAt(row: number, argIndex: number): Value;
}

export interface WindowFunction extends Signature {
  readonly kind: "window";
  readonly impl: (rows: WindowRows, ctx: EvalContext, call: CallInfo) => Value;
}

export type FunctionDef =
  ScalarFunction | SetReturningFunction | AggregateFunction | WindowFunction;

/**
 * A built-in operator. `left` is 0 for a prefix operator, whose `impl` receives its operand as
 * `r` (and null as `l`). Built-in operators are strict (a null operand gives null) except the
 * array `||` operators, whose functions (array_cat, array_append) take nulls. `call`
 * carries the operand types (two entries) for polymorphic operators such as `anynonarray || text`.
 */
export interface OperatorDef {
  readonly name: string;
  readonly left: number;
  readonly right: number;
  readonly result: number;
  readonly impl: (l: Value, r: Value, ctx: EvalContext, call: CallInfo) => Value;
  readonly strict: boolean;
  readonly negator?: string;
  readonly commutator?: string;
  /**
   * Typed operands must have exactly the declared types (untyped literals aside): set on the
   * operators PostgreSQL declares over anyrange and anyelement (`int4range @> int4`), whose
   * element operand it never casts, so `int8range @> 5` has no operator.
   */
  readonly exactOperands?: boolean;
  /**
   * Set on the built-in comparisons of one comparator: `impl(l, r)` is `test(cmp(l, r))`, so
   * execution may call them directly, without the argument array of a bound call.
   */
  readonly comparator?: OperatorComparator;
}

/** The comparator and result test behind a built-in comparison operator. */
export interface OperatorComparator {
  readonly cmp: (l: Value, r: Value) => number;
  readonly test: (c: number) => boolean;
}
