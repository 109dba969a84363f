/**
 * ALTER TABLE … ALTER COLUMN c ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [( options )]:
 * makes a NOT NULL column without a default an identity column, with a new sequence owned by
 * it. pg_dump writes identity columns this way, naming the sequence (`SEQUENCE NAME
 * app.orders_id_seq`) and giving its options, so a restore keeps the sequence's name.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { baseTypeOf } from "../catalog/domains.js";
import { createOwnedSequence } from "../catalog/create-table.js";
import { Oid } from "../catalog/types.js";
import { columnIndex, type AlterContext } from "./alter-table.js";

export function addIdentityCmd(a: AlterContext, name: string, def: ast.Node | undefined): void {
  const { rel, catalog } = a;
  const column = rel.columns[columnIndex(rel, name)]!;
  const prerequisite = (what: string): SqlError => new SqlError(
    SqlState.objectNotInPrerequisiteState, `column "${name}" of relation "${rel.name}" ${what}`);
  const integers: readonly number[] = [Oid.int2, Oid.int4, Oid.int8];
  if (!integers.includes(baseTypeOf(column.type).type)) {
    throw new SqlError(SqlState.invalidParameterValue,
      "identity column type must be smallint, integer, or bigint");
  }
  if (!column.notNull) throw prerequisite("must be declared NOT NULL before identity can be added");
  if (column.identity !== null) throw prerequisite("is already an identity column");
  if (column.defaultExpr !== null) throw prerequisite("already has a default value");
  const constraint = def !== undefined && "Constraint" in def ? def.Constraint : undefined;
  const before = new Set(catalog.allSequences());
  const qualified = createOwnedSequence(catalog, rel, name, column.type, constraint?.options);
  const seq = [...catalog.allSequences()].find((s) => !before.has(s))!;
  column.identity = constraint?.generated_when === "a" ? "a" : "d";
  column.defaultExpr = { FuncCall: { funcname: [{ String: { sval: "nextval" } }],
    args: [{ A_Const: { sval: { sval: qualified } } }] } };
  a.undo(() => {
    catalog.removeSequence(seq);
    column.identity = null;
    column.defaultExpr = null;
  });
}
