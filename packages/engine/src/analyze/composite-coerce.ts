/**
 * ROW(…) to a named composite type (`ROW(1, 'a')::pair`, an INSERT of ROW(…) into a column
 * of the type), as Postgres's coerce_record_to_complex: the row must have exactly the type's
 * attributes, each field is coerced to its attribute's type in the cast's context, and the row
 * takes the composite type. Other records (a record-typed column, a function's record) do not
 * become a composite type.
 */
import { SqlError, SqlState } from "@tessera/base";
import { compositeAttributes } from "../catalog/composite-types.js";
import { rowTypeAttributes } from "../catalog/row-types.js";
import { Oid, formatTypeName } from "../catalog/types.js";
import { tryCoerce, type CoercionContext, type ParamTypes } from "./coerce.js";
import type { Expr } from "./expr.js";

/** The fields of a composite type or of a table's row type, or undefined for other types. */
export function namedAttributes(oid: number):
  readonly { name: string; type: number; typmod: number }[] | undefined {
  return compositeAttributes(oid) ?? rowTypeAttributes(oid);
}

/** Returns `expr` as a row of composite `target`, or undefined when this rule does not apply. */
export function coerceRowToComposite(expr: Expr, target: number, context: CoercionContext,
  params: ParamTypes): Expr | undefined {
  // A composite value is a record as it is (record comparison operators, record arguments).
  if (target === Oid.record && namedAttributes(expr.type) !== undefined) {
    return { ...expr, type: Oid.record, typmod: -1 } as Expr;
  }
  if (expr.kind !== "row" || expr.type !== Oid.record) return undefined;
  const attributes = namedAttributes(target);
  if (attributes === undefined) return undefined;
  const cannot = (detail: string): SqlError => new SqlError(SqlState.cannotCoerce,
    `cannot cast type record to ${formatTypeName(target, -1)}`, { detail });
  if (expr.args.length > attributes.length) throw cannot("Input has too many columns.");
  if (expr.args.length < attributes.length) throw cannot("Input has too few columns.");
  const args = expr.args.map((arg, i) => {
    const attribute = attributes[i]!;
    const coerced = tryCoerce(arg, attribute.type, attribute.typmod, context, params);
    if (coerced === undefined) {
      throw cannot(`Cannot cast type ${formatTypeName(arg.type, arg.typmod)} to ` +
        `${formatTypeName(attribute.type, attribute.typmod)} in column ${i + 1}.`);
    }
    return coerced;
  });
  return { kind: "row", type: target, typmod: -1, args,
    names: attributes.map((a) => a.name) };
}
