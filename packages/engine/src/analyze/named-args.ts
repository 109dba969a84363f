/**
 * Named and mixed notation for function calls (Postgres's func_get_detail with argnames):
 * `make_interval(days => 10, hours => 3)` places each named argument at its parameter's
 * position and fills the skipped parameters before the last one given with their defaults,
 * so the candidate sees a positional call: make_interval(0, 0, 0, 10, 3).
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { FunctionDef } from "../catalog/builtins.js";
import type { Expr } from "./expr.js";

export interface NamedArg {
  readonly name: string;
  readonly expr: Expr;
  readonly location: number | undefined;
}

/** Splits a call's raw arguments; positional ones may not follow a named one (42601). */
export function splitNamedArgs(raw: readonly ast.Node[], analyze: (n: ast.Node) => Expr):
  { positional: Expr[]; named: NamedArg[] } {
  const positional: Expr[] = [];
  const named: NamedArg[] = [];
  for (const node of raw) {
    if ("NamedArgExpr" in node) {
      const arg = node.NamedArgExpr;
      named.push({ name: arg.name ?? "", expr: analyze(arg.arg!), location: arg.location });
      continue;
    }
    if (named.length > 0) {
      throw new SqlError(SqlState.syntaxError,
        "positional argument cannot follow named argument");
    }
    positional.push(analyze(node));
  }
  return { positional, named };
}

/**
 * Returns the positional argument list `def` sees for this call, or undefined when a name is
 * not one of its parameters, a parameter is given twice, or a skipped one has no default.
 */
export function placeNamedArgs(def: FunctionDef, positional: readonly Expr[],
  named: readonly NamedArg[]): Expr[] | undefined {
  const names = def.argNames;
  if (names === undefined) return undefined;
  const slots: (Expr | undefined)[] = [...positional];
  for (const arg of named) {
    const index = names.indexOf(arg.name);
    if (index < 0 || slots[index] !== undefined) return undefined;
    slots[index] = arg.expr;
  }
  const defaults = def.defaults ?? [];
  const firstDefault = def.argTypes.length - defaults.length;
  const out: Expr[] = [];
  for (let i = 0; i < slots.length; i++) {
    const given = slots[i];
    if (given !== undefined) {
      out.push(given);
      continue;
    }
    if (i < firstDefault) return undefined;
    out.push({ kind: "const", type: def.argTypes[i]!, typmod: -1,
      value: defaults[i - firstDefault] ?? null });
  }
  return out.length >= firstDefault ? out : undefined;
}
