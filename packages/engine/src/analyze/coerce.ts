/**
 * Type coercion, as Postgres's parse_coerce.c: whether a value of one type may become another
 * in a given context (implicit, assignment, explicit), the expression that converts it, and
 * the common type of a set of expressions (CASE, COALESCE, UNION, VALUES).
 *
 * Unknown-typed string literals are converted here, at analysis time, through the target
 * type's input function, so `'12'::int` is the constant 12 in the plan, and a bad literal
 * raises 22P02 before anything runs, as in Postgres.
 */
import { SqlError, SqlState, isSqlError } from "@tessera/base";
import {
  coerceToTypmod,
  currentAnalysisSettings,
  findCastDef,
  inputValue,
  outputValue,
  type FormatSettings,
} from "../catalog/type-io.js";
import { Oid, formatTypeName, typeInfo } from "../catalog/types.js";
import type { Value } from "@tessera/sql";
import type { Expr } from "./expr.js";
import { coerceRowToComposite, namedAttributes } from "./composite-coerce.js";
import { coerceWithDomains, involvesDomain, relabelToBase, smashedType } from "./domain-coerce.js";

export type CoercionContext = "i" | "a" | "e";

const contextRank: Record<CoercionContext, number> = { i: 0, a: 1, e: 2 };

/** Where analysis records the types it infers for `$n` parameters given as 0. */
export interface ParamTypes {
  readonly types: number[];
  /** Typmods of the given parameters (a record's shape); absent or -1: none. */
  readonly typmods?: readonly number[];
}

/** True when a value of `source` may become `target` in `context` (can_coerce_type). */
export function canCoerce(source: number, target: number, context: CoercionContext): boolean {
  if (source === target) return true;
  if (source === Oid.unknown) return true;
  if (involvesDomain(source, target)) {
    return canCoerce(smashedType(source), smashedType(target), context);
  }
  if (target === Oid.any) return true;
  if (isPolyTarget(target)) return polyAccepts(source, target);
  if (source === Oid.record && namedAttributes(target) !== undefined) return true;
  if (target === Oid.record && namedAttributes(source) !== undefined) return true;
  const cast = findCastDef(source, target);
  if (cast !== undefined) return contextRank[cast.context] <= contextRank[context];
  // Automatic I/O conversion: anything to a string type by assignment, from one explicitly.
  if (isStringType(target) && context !== "i") return true;
  if (isStringType(source) && context === "e") return true;
  return false;
}

function isPolyTarget(t: number): boolean {
  return (
    t === Oid.anyelement ||
    t === Oid.anynonarray ||
    t === Oid.anycompatible ||
    t === Oid.anycompatiblenonarray ||
    t === Oid.anyarray ||
    t === Oid.anycompatiblearray
  );
}

function polyAccepts(source: number, target: number): boolean {
  const isArray = typeInfo(source).elem !== 0;
  if (target === Oid.anyarray || target === Oid.anycompatiblearray) return isArray;
  if (target === Oid.anynonarray || target === Oid.anycompatiblenonarray) return !isArray;
  return true;
}

export function isStringType(t: number): boolean {
  return t === Oid.text || t === Oid.varchar || t === Oid.bpchar || t === Oid.name;
}

/**
 * Returns `expr` converted to `target` (coerce_to_target_type), or raises 42846 when no cast
 * exists in `context`. `params` receives the type of an untyped parameter.
 */
export function coerceTo(
  expr: Expr,
  target: number,
  typmod: number,
  context: CoercionContext,
  params: ParamTypes,
  location?: number,
): Expr {
  const coerced = tryCoerce(expr, target, typmod, context, params);
  if (coerced !== undefined) return coerced;
  throw new SqlError(
    SqlState.cannotCoerce,
    `cannot cast type ${formatTypeName(expr.type, expr.typmod)} to ` +
      formatTypeName(target, typmod),
    location === undefined ? {} : { location },
  );
}

/** Returns `expr` converted to `target`, or undefined when `context` allows no such cast. */
export function tryCoerce(
  expr: Expr,
  target: number,
  typmod: number,
  context: CoercionContext,
  params: ParamTypes,
): Expr | undefined {
  if (target === Oid.any) return expr;
  // A domain over an array passed to an array parameter is read as its base type.
  if (isPolyTarget(target)) {
    const arrayTarget = target === Oid.anyarray || target === Oid.anycompatiblearray;
    return arrayTarget ? relabelToBase(expr) : expr;
  }
  if (involvesDomain(expr.type, target)) {
    return coerceWithDomains(expr, target, typmod, context, params, tryCoerce);
  }
  if (expr.kind === "param" && expr.type === Oid.unknown) {
    params.types[expr.index] = target;
    return applyTypmod({ ...expr, type: target }, target, typmod, context === "e");
  }
  if (expr.type === Oid.unknown) return coerceUnknown(expr, target, typmod, context);
  if (expr.type === target) {
    if (typmod < 0 || typmod === expr.typmod) return expr;
    return applyTypmod(expr, target, typmod, context === "e");
  }
  const composite = coerceRowToComposite(expr, target, context, params);
  if (composite !== undefined) return composite;
  const cast = findCastDef(expr.type, target);
  const explicit = context === "e";
  if (cast !== undefined) {
    if (contextRank[cast.context] > contextRank[context]) return undefined;
    const made = foldCast(expr, target, typmod, explicit, (v, fmt) =>
      cast.fn(v, typmod, explicit, fmt));
    return withFusion(made, expr, target, typmod);
  }
  if (isStringType(target) && context !== "i") {
    const source = expr.type;
    return foldCast(expr, target, typmod, explicit, (v, fmt) =>
      coerceToTypmod(
        target,
        inputValue(target, outputValue(source, v, fmt), -1, fmt),
        typmod,
        explicit,
      ),
    );
  }
  if (isStringType(expr.type) && explicit) {
    const made = foldCast(expr, target, typmod, explicit, (v, fmt) =>
      coerceToTypmod(target, inputValue(target, v as string, -1, fmt), typmod, explicit),
    );
    return withFusion(made, expr, target, typmod);
  }
  return undefined;
}

/** Marks `jsonb ->> 'key'` cast to plain numeric, which execution may fuse. */
function withFusion(made: Expr, expr: Expr, target: number, typmod: number): Expr {
  if (made.kind !== "cast" || target !== Oid.numeric || typmod >= 0) return made;
  if (expr.kind !== "call" || !expr.operator || expr.name !== "->>") return made;
  const [json, key] = expr.args;
  if (json?.type !== Oid.jsonb || key?.kind !== "const" || typeof key.value !== "string") {
    return made;
  }
  return { ...made, fusion: "jsonbFieldNumeric" };
}

function coerceUnknown(expr: Expr, target: number, typmod: number, context: CoercionContext): Expr {
  // As coerce_type: the input function sees typmod -1 (interval aside, whose input needs its
  // fields), then the typmod is applied as a length coercion of the cast's context, so
  // 'abcdef'::varchar(3) cuts to 'abc' while an assignment of it fails.
  const explicit = context === "e";
  const inputTypmod = target === Oid.interval ? typmod : -1;
  const convert = (v: Value, fmt: FormatSettings): Value =>
    coerceToTypmod(target, inputValue(target, v as string, inputTypmod, fmt), typmod, explicit);
  if (expr.kind === "const") {
    const fmt = currentAnalysisSettings();
    let value: Value;
    try {
      value = expr.value === null ? null : inputValue(target, expr.value as string, inputTypmod,
        fmt);
    } catch (error) {
      // Postgres points an untyped literal's input error at the literal.
      if (!isSqlError(error) || error.position !== undefined || expr.location === undefined) {
        throw error;
      }
      throw new SqlError(error.code, error.message, { ...error.fields, location: expr.location });
    }
    // The length coercion runs later in Postgres, so its errors carry no position.
    value = value === null ? null : coerceToTypmod(target, value, typmod, explicit);
    return { kind: "const", type: target, typmod, value };
  }
  // A non-constant unknown (a CASE over literals, say) goes through text.
  return foldCast(expr, target, typmod, explicit, convert);
}

/** Applies `typmod` to a value already of type `target` (a length coercion). */
function applyTypmod(expr: Expr, target: number, typmod: number, explicit: boolean): Expr {
  if (typmod < 0) return expr;
  return foldCast(expr, target, typmod, explicit, (v) =>
    coerceToTypmod(target, v, typmod, explicit),
  );
}

/** Builds a cast node, folding it when the argument is a constant. */
function foldCast(
  expr: Expr,
  target: number,
  typmod: number,
  explicit: boolean,
  fn: (v: Value, fmt: FormatSettings) => Value,
): Expr {
  if (expr.kind === "const") {
    const value = expr.value === null ? null : fn(expr.value, currentAnalysisSettings());
    return { kind: "const", type: target, typmod, value };
  }
  return { kind: "cast", type: target, typmod, arg: expr, explicit, fn };
}

/**
 * Chooses the type a set of expressions resolves to, as select_common_type: the first known
 * type, replaced by a later one of the same category it implicitly converts to (unless it is
 * the category's preferred type); all unknown gives text. `what` names the construct in the
 * 42804 error: "CASE", "COALESCE", "UNION".
 */
export function commonType(given: readonly Expr[], what: string): number {
  // Inputs of one domain keep it; a domain mixed with other types is read as its base type.
  const known = given.filter((e) => e.type !== Oid.unknown);
  const exprs = known.every((e) => e.type === known[0]!.type) ? given : given.map(relabelToBase);
  let chosen: Expr | undefined;
  for (const expr of exprs) {
    if (expr.type === Oid.unknown) continue;
    if (chosen === undefined) {
      chosen = expr;
      continue;
    }
    if (expr.type === chosen.type) continue;
    const a = typeInfo(chosen.type);
    const b = typeInfo(expr.type);
    if (a.category !== b.category) {
      throw new SqlError(
        SqlState.datatypeMismatch,
        `${what} types ${a.sqlName} and ${b.sqlName} cannot be matched`,
        locationOf(expr),
      );
    }
    if (!a.preferred && canCoerce(a.oid, b.oid, "i") && !canCoerce(b.oid, a.oid, "i")) {
      chosen = expr;
    }
  }
  return chosen === undefined ? Oid.text : chosen.type;
}

function locationOf(_expr: Expr): { location?: number } {
  return {};
}

/** Converts every expression to `target`, or raises 42804 naming the construct. */
export function coerceAll(
  exprs: readonly Expr[],
  target: number,
  what: string,
  params: ParamTypes,
): Expr[] {
  return exprs.map((expr) => {
    const coerced = tryCoerce(expr, target, -1, "i", params);
    if (coerced === undefined) {
      throw new SqlError(
        SqlState.datatypeMismatch,
        `${what} could not convert type ${typeInfo(expr.type).sqlName} to ` +
          typeInfo(target).sqlName,
      );
    }
    return coerced;
  });
}
