/**
 * ALTER TABLE … ALTER COLUMN c ADD GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY [( options )]:
 * makes a NOT NULL column without a default an identity column, with a new sequence owned by
 * it. pg_dump writes identity columns this way, naming the sequence (`SEQUENCE NAME
 * app.orders_id_seq`) and giving its options, so a restore keeps the sequence's name.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import { ownedSequence } from "../catalog/sequences.js";
import { columnIndex, type AlterContext } from "./alter-table.js";

export function addIdentityCmd(a: AlterContext, name: string, def: ast.Node | undefined): void {
  const { rel, catalog } = a;
  const column = rel.columns[columnIndex(rel, name)]!;
  const prerequisite = (what: string): SqlError => new SqlError(
    SqlState.objectNotInPrerequisiteState, `column "${name}" of relation "${rel.name}" ${what}`);
  if (!column.notNull) throw prerequisite("must be declared NOT NULL before identity can be added");
  if (column.identity !== null) throw prerequisite("is already an identity column");
  if (column.defaultExpr !== null) throw prerequisite("already has a default value");
  const constraint = def !== undefined && "Constraint" in def ? def.Constraint : undefined;
  const options = constraint?.options ?? [];
  const named = options.find((o) => "DefElem" in o && o.DefElem.defname === "sequence_name");
  const rest = options.filter((o) => o !== named);
  const parts = named !== undefined && "DefElem" in named && named.DefElem.arg !== undefined &&
    "List" in named.DefElem.arg ? (named.DefElem.arg.List.items ?? [])
      .map((n) => ("String" in n ? n.String.sval ?? "" : "")) : [];
  const schema = parts.length > 1 ? parts[parts.length - 2]! : rel.schema;
  let seqName = parts[parts.length - 1] ?? `${rel.name}_${name}_seq`;
  if (!catalog.schemaExists(schema)) {
    throw new SqlError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`);
  }
  if (parts.length > 0 && catalog.nameTaken(schema, seqName)) {
    throw new SqlError(SqlState.duplicateTable, `relation "${seqName}" already exists`);
  }
  for (let i = 1; catalog.nameTaken(schema, seqName); i++) seqName = `${rel.name}_${name}_seq${i}`;
  const seq = ownedSequence({ oid: catalog.allocateOid(), schema, name: seqName,
    type: column.type, ownedBy: { relationOid: rel.oid, column: name } }, rest);
  catalog.addSequence(seq);
  column.identity = constraint?.generated_when === "a" ? "a" : "d";
  column.defaultExpr = { FuncCall: { funcname: [{ String: { sval: "nextval" } }],
    args: [{ A_Const: { sval: { sval: `${schema}.${seqName}` } } }] } };
  a.undo(() => {
    catalog.removeSequence(seq);
    column.identity = null;
    column.defaultExpr = null;
  });
}
