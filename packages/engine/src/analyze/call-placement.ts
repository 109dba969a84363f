/**
 * Where a call's arguments go among a user function's or procedure's parameters, as
 * PostgreSQL binds them: positional arguments first, then named ones (`b => 2`) by parameter
 * name; parameters left out are filled from their DEFAULTs (`ddl/function-param-defaults.ts`).
 * A VARIADIC function's trailing arguments (one or more) go into its last parameter, an array,
 * unless the call passes the array itself (`f(VARIADIC arr)`).
 */
import type { ast } from "@tessera/sql";
import type { SqlFunction } from "../catalog/sql-functions.js";

export interface Placement {
  readonly fn: SqlFunction;
  /** Per given argument, in the call's order, the parameter it binds. */
  readonly positions: readonly number[];
  /** The trailing arguments are the elements of the VARIADIC array parameter. */
  readonly expanded: boolean;
}

/** The name of each argument of a call, undefined for positional ones. */
export function argNamesOf(raw: readonly ast.Node[]): (string | undefined)[] {
  return raw.map((a) => ("NamedArgExpr" in a ? a.NamedArgExpr.name ?? "" : undefined));
}

/** An argument's expression (a named argument's value). */
export function argValue(a: ast.Node): ast.Node {
  return "NamedArgExpr" in a ? a.NamedArgExpr.arg! : a;
}

/**
 * The placement of arguments named `names` on `fn`; undefined when they do not fit or an
 * omitted parameter has no default.
 */
export function placeArgs(names: readonly (string | undefined)[], fn: SqlFunction,
  variadicCall = false): Placement | undefined {
  const n = fn.argTypes.length;
  const expanded = fn.variadic !== undefined && !variadicCall;
  if (variadicCall && fn.variadic === undefined) return undefined;
  if (expanded) {
    // Expanded VARIADIC calls are positional, with at least one variadic argument.
    if (names.length < n || names.some((name) => name !== undefined)) return undefined;
    return { fn, positions: names.map((_name, i) => Math.min(i, n - 1)), expanded };
  }
  if (names.length > n) return undefined;
  const positions: number[] = [];
  for (const [i, name] of names.entries()) {
    const at = name !== undefined ? fn.argNames.indexOf(name) : i;
    if (at < 0 || positions.includes(at)) return undefined;
    positions.push(at);
  }
  for (let i = 0; i < n; i++) {
    if (!positions.includes(i) && fn.argDefaults?.[i] === undefined) return undefined;
  }
  return { fn, positions, expanded };
}

/** The parameter types the given arguments are matched against. */
export function placedTypes(p: Placement): number[] {
  const last = p.fn.argTypes.length - 1;
  return p.positions.map((at) => (p.expanded && at === last ? p.fn.variadic!
    : p.fn.argTypes[at]!));
}

/**
 * Per parameter, the given argument, its DEFAULT expression (`fromDefault`), or for an
 * expanded VARIADIC call the trailing arguments packed by `pack`.
 */
export function fillArgs<T>(p: Placement, given: readonly T[], fromDefault: (e: ast.Node) => T,
  pack: (elements: T[]) => T): T[] {
  const last = p.fn.argTypes.length - 1;
  return p.fn.argTypes.map((_t, i) => {
    if (p.expanded && i === last) return pack(given.slice(last));
    const at = p.positions.indexOf(i);
    return at >= 0 ? given[at]! : fromDefault(p.fn.argDefaults![i]!.expr);
  });
}
