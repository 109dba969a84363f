/**
 * UPDATE pg_settings: PostgreSQL's pg_settings_u rule turns `UPDATE pg_settings SET setting =
 * v WHERE …` into `SELECT set_config(name, v, false) FROM pg_settings WHERE …` for the rows
 * the WHERE clause picks, so it works as SET for each of them; the command tag is UPDATE 0
 * (what an INSTEAD rule's statement reports). Assignments to other columns are ignored, as
 * the rule reads only the new setting; RETURNING is refused as PostgreSQL refuses it.
 */
import { SqlError, SqlState } from "@tessera/base";
import type { ast } from "@tessera/sql";
import type { PlannedQuery } from "../engine.js";
import type { Scope } from "./scope.js";
import { analyzeSelect } from "./select.js";

const str = (sval: string): ast.Node => ({ String: { sval } });

/** pg_settings's pg_class OID (`catalog/system-catalogs/pg-roles.ts`). */
const pgSettingsOid = 12002;

/** True when `rv` names pg_catalog.pg_settings as the statement resolves it. */
export function isSettingsView(rv: ast.RangeVar, scope: Scope): boolean {
  if (rv.relname !== "pg_settings") return false;
  const { catalog, path } = scope.statement;
  return catalog.findRelation(path, rv.schemaname, rv.relname)?.oid === pgSettingsOid;
}

/** Plans UPDATE pg_settings as its rule's SELECT set_config(…). */
export function analyzeSettingsUpdate(stmt: ast.UpdateStmt, scope: Scope): PlannedQuery {
  if ((stmt.returningClause?.exprs ?? []).length > 0) {
    throw new SqlError(SqlState.featureNotSupported,
      'cannot perform UPDATE RETURNING on relation "pg_settings"', { hint: "You need an " +
        "unconditional ON UPDATE DO INSTEAD rule with a RETURNING clause." });
  }
  const assigned = (stmt.targetList ?? []).flatMap((t) =>
    ("ResTarget" in t && t.ResTarget.name === "setting" && t.ResTarget.val !== undefined
      ? [t.ResTarget.val] : []));
  const value = assigned.at(-1) ?? { ColumnRef: { fields: [str("setting")] } };
  const text: ast.Node = { TypeCast: { arg: value,
    typeName: { names: [str("pg_catalog"), str("text")], typemod: -1 } } };
  const call: ast.Node = { FuncCall: { funcname: [str("pg_catalog"), str("set_config")],
    args: [{ ColumnRef: { fields: [str("name")] } }, text,
      { A_Const: { boolval: { boolval: false } } }] } };
  const select: ast.SelectStmt = { targetList: [{ ResTarget: { val: call } }],
    fromClause: [{ RangeVar: stmt.relation! }],
    ...(stmt.fromClause !== undefined && { fromClause: [{ RangeVar: stmt.relation! },
      ...stmt.fromClause] }),
    ...(stmt.whereClause !== undefined && { whereClause: stmt.whereClause }) };
  const result = analyzeSelect(select, scope);
  return { plan: result.plan, columns: null, tag: "UPDATE" };
}
