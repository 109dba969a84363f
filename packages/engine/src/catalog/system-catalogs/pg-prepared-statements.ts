/**
 * pg_prepared_statements: the prepared statements of the scanning session, made by SQL
 * PREPARE or by the protocol's Parse (the unnamed statement is not listed), as in
 * Postgres 15.
 */
import { makeArray, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { SystemRelationDef } from "../system-relations.js";
import { Oid } from "../types.js";

const regtype = 2206;
const regtypeArray = 2211;

export const pgPreparedStatements: SystemRelationDef = {
  oid: 12030, schema: "pg_catalog", name: "pg_prepared_statements",
  columns: [["name", Oid.text], ["statement", Oid.text], ["prepare_time", Oid.timestamptz],
    ["parameter_types", regtypeArray], ["from_sql", Oid.bool], ["generic_plans", Oid.int8],
    ["custom_plans", Oid.int8]],
  rows: (ctx: StatementContext) => (ctx.preparedStatements?.() ?? []).map((s): Row => [
    s.name, s.statement, s.prepareMicros, makeArray(regtype, s.parameterTypes),
    s.fromSql, BigInt(s.genericPlans), BigInt(s.customPlans)]),
};
