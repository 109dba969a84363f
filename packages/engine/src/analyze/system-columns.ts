/**
 * System columns of a table read by name: `tableoid`, the OID of the relation a row comes
 * from. pg_dump selects it from every catalog it reads (`SELECT tableoid, oid, … FROM
 * pg_type`). A plain table's rows all come from itself, so the column is the table's OID as a
 * constant; it is not part of `*`. Views, subqueries and functions have no system columns, and
 * neither has a partitioned table here (each row's partition would be its tableoid), so the
 * name stays unknown there, as 42703 in Postgres for the first ones.
 */
import type { Catalog } from "../catalog/catalog.js";
import { Oid } from "../catalog/types.js";
import { constant, type Expr } from "./expr.js";
import type { RangeItem } from "./scope.js";

/** The system column `name` of a FROM item, or undefined when it has none of that name. */
export function systemColumn(catalog: Catalog, item: RangeItem, name: string): Expr | undefined {
  if (name !== "tableoid" || item.relationOid === 0) return undefined;
  const relation = catalog.relation(item.relationOid);
  if (relation === undefined || relation.partitionKey !== undefined) return undefined;
  if (relation.kind !== "r" && relation.kind !== "m") return undefined;
  return constant(Oid.oid, relation.oid);
}
