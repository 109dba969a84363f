/**
 * information_schema.routines, parameters and triggers, as PostgreSQL 15 computes them
 * from pg_proc and pg_trigger. Routines and parameters list the database's own functions
 * and procedures (SQL and PL/pgSQL, `../sql-functions.ts`); PostgreSQL also lists its ~3,000
 * built-in functions in pg_catalog, which Tessera's built-ins are not stored as routines
 * for, so those rows are absent. Like PostgreSQL's views, routines and parameters give a
 * type's name only (data_type, udt_*): lengths, precisions and scales are NULL.
 * parameters.parameter_default is a DEFAULT's text as pg_get_function_arg_default prints it.
 *
 * triggers has a row per trigger and event (INSERT, DELETE, UPDATE, in that order as
 * PostgreSQL's tgtype bits run), action_order the trigger's rank by name among those of its
 * table, event, timing and orientation; action_statement is pg_get_triggerdef's text from
 * "EXECUTE FUNCTION" on, action_condition the text inside its WHEN ( … ).
 */
import { formatType, type Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { compositeTypesOf } from "../composite-types.js";
import { domainOf } from "../domains.js";
import { enumTypesOf } from "../enum-types.js";
import { allSqlFunctions, type SqlFunction } from "../sql-functions.js";
import { typeInfo } from "../types.js";
import { allTriggers, triggerDefinition } from "../../plpgsql/trigger-admin.js";
import { pseudoTypeName } from "./pseudo-types.js";
import { ownsRoutine, routineVisible } from "./information-schema-visibility.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

/** A type as information_schema names it: data_type, udt_schema and udt_name. */
export function udtOf(catalog: Catalog, oid: number):
  { dataType: string; schema: string; name: string } {
  const user = enumTypesOf(catalog).get(oid) ?? compositeTypesOf(catalog).get(oid)
    ?? domainOf(oid);
  if (user !== undefined) {
    return { dataType: "USER-DEFINED", schema: user.schema, name: user.name };
  }
  const pseudo = pseudoTypeName(oid);
  if (pseudo !== undefined) return { dataType: pseudo, schema: "pg_catalog", name: pseudo };
  const info = typeInfo(oid);
  return { dataType: info.category === "A" ? "ARRAY" : formatType(oid), schema: "pg_catalog",
    name: info.name };
}

/** A routine's specific_name: `name_oid`, as PostgreSQL's nameconcatoid makes it. */
export const specificName = (f: SqlFunction): string => `${f.name}_${f.oid}`;

const routineColumns = `specific_catalog:n specific_schema:n specific_name:n
  routine_catalog:n routine_schema:n routine_name:n routine_type:s module_catalog:n
  module_schema:n module_name:n udt_catalog:n udt_schema:n udt_name:n data_type:s
  character_maximum_length:i character_octet_length:i character_set_catalog:n
  character_set_schema:n character_set_name:n collation_catalog:n collation_schema:n
  collation_name:n numeric_precision:i numeric_precision_radix:i numeric_scale:i
  datetime_precision:i interval_type:s interval_precision:i type_udt_catalog:n
  type_udt_schema:n type_udt_name:n scope_catalog:n scope_schema:n scope_name:n
  maximum_cardinality:i dtd_identifier:n routine_body:s routine_definition:s external_name:s
  external_language:s parameter_style:s is_deterministic:y sql_data_access:s is_null_call:y
  sql_path:s schema_level_routine:y max_dynamic_result_sets:i is_user_defined_cast:y
  is_implicitly_invocable:y security_type:s to_sql_specific_catalog:n
  to_sql_specific_schema:n to_sql_specific_name:n as_locator:y created:T2 last_altered:T2
  new_savepoint_level:y is_udt_dependent:y result_cast_from_data_type:s
  result_cast_as_locator:y result_cast_char_max_length:i result_cast_char_octet_length:i
  result_cast_char_set_catalog:n result_cast_char_set_schema:n result_cast_char_set_name:n
  result_cast_collation_catalog:n result_cast_collation_schema:n result_cast_collation_name:n
  result_cast_numeric_precision:i result_cast_numeric_precision_radix:i
  result_cast_numeric_scale:i result_cast_datetime_precision:i result_cast_interval_type:s
  result_cast_interval_precision:i result_cast_type_udt_catalog:n
  result_cast_type_udt_schema:n result_cast_type_udt_name:n result_cast_scope_catalog:n
  result_cast_scope_schema:n result_cast_scope_name:n result_cast_maximum_cardinality:i
  result_cast_dtd_identifier:n`;

const nulls = (n: number): null[] => Array.from({ length: n }, () => null);

/** upper(lanname): an aggregate's pg_proc row is in language internal. */
function languageName(f: SqlFunction): string {
  if (f.aggregate === true) return "INTERNAL";
  return f.plpgsql === undefined || f.plpgsql.languageSql === true ? "SQL" : "PLPGSQL";
}

/**
 * A routines row; `owner` says whether the current user may see the body's text. An
 * aggregate's routine_type is NULL (PostgreSQL names only prokind 'f' and 'p').
 */
function routineRow(catalog: Catalog, db: string, f: SqlFunction, owner: boolean): Row {
  const procedure = f.procedure === true;
  const udt = procedure ? undefined : udtOf(catalog, f.returnType);
  const language = languageName(f);
  const type = procedure ? "PROCEDURE" : f.aggregate === true ? null : "FUNCTION";
  return [db, f.schema, specificName(f), db, f.schema, f.name,
    type, null, null, null, null, null, null,
    udt?.dataType ?? null, ...nulls(14),
    udt === undefined ? null : db, udt?.schema ?? null, udt?.name ?? null, null, null, null,
    null, procedure ? null : "0", language === "SQL" ? "SQL" : "EXTERNAL", owner ? f.source : null,
    null,
    language, "GENERAL", f.volatility === "i" ? "YES" : "NO", "MODIFIES",
    procedure ? null : f.strict ? "YES" : "NO", null, "YES", 0, null, null,
    f.securityDefiner === true ? "DEFINER" : "INVOKER", null, null, null, "NO", null, null,
    null, "NO", ...nulls(24)];
}

interface Parameter {
  readonly mode: string;
  readonly name: string;
  readonly type: number;
  /** pg_get_function_arg_default's text, for an input parameter with a DEFAULT. */
  readonly default: string | null;
}

/** A function's parameters in order (RETURNS TABLE columns as OUT), with their defaults. */
export function parametersOf(f: SqlFunction): Parameter[] {
  const pl = f.plpgsql;
  const defaultOf = (input: number): string | null => f.argDefaults?.[input]?.text ?? null;
  if (pl !== undefined && pl.argModes.length > 0) {
    const modes: Record<string, string> = { i: "IN", o: "OUT", b: "INOUT", v: "IN", t: "OUT" };
    let inputs = 0;
    return pl.allArgTypes.map((type, i) => {
      const mode = modes[pl.argModes[i] ?? "i"] ?? "IN";
      const input = mode === "OUT" ? -1 : inputs++;
      return { mode, name: pl.allArgNames[i] ?? "", type,
        default: input < 0 ? null : defaultOf(input) };
    });
  }
  return [...f.argTypes.map((type, i) => ({ mode: "IN", name: f.argNames[i] ?? "", type,
    default: defaultOf(i) })),
  ...f.outColumns.map((c) => ({ mode: "OUT", name: c.name, type: c.type, default: null }))];
}

function parameterRows(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  return visibleRoutines(catalog, ctx).flatMap((f) => parametersOf(f).map((p, i): Row => {
    const udt = udtOf(catalog, p.type);
    return [db, f.schema, specificName(f), i + 1, p.mode, "NO", "NO",
      p.name === "" ? null : p.name, udt.dataType, ...nulls(14), db, udt.schema, udt.name,
      null, null, null, null, String(i + 1), p.default];
  }));
}

/** The functions and procedures the current user owns or may execute. */
function visibleRoutines(catalog: Catalog, ctx: StatementContext): SqlFunction[] {
  return allSqlFunctions(catalog).filter((f) => routineVisible(catalog, ctx, f.oid));
}

const triggerEvents = ["insert", "delete", "update"] as const;

function triggerRowsOf(catalog: Catalog, ctx: StatementContext): Row[] {
  const db = ctx.database;
  const all = allTriggers(catalog);
  return triggerEvents.flatMap((event) => all.filter((t) => t.trigger.events.includes(event))
    .map(({ trigger, relation }, _, same): Row => {
      const order = same.filter((o) => o.relation.oid === relation.oid
        && o.trigger.before === trigger.before && o.trigger.row === trigger.row
        && o.trigger.name < trigger.name).length + 1;
      const def = triggerDefinition(catalog, trigger, relation, false, [relation.schema]);
      const execute = def.indexOf(" EXECUTE ");
      const when = def.indexOf(" WHEN (");
      const statement = def.slice(execute + 1);
      return [db, relation.schema, trigger.name, event.toUpperCase(), db, relation.schema,
        relation.name, order,
        when < 0 ? null : def.slice(when + " WHEN (".length, execute - 1),
        statement, trigger.row ? "ROW" : "STATEMENT", trigger.before ? "BEFORE" : "AFTER",
        null, null, null, null, null];
    }));
}

/** routines, parameters and triggers. */
export function routineViews(catalog: Catalog): ReturnType<typeof fixedView>[] {
  return [
    fixedView(13377, schema, "routines", routineColumns, (ctx) =>
      visibleRoutines(catalog, ctx).map((f) => routineRow(catalog, ctx.database, f,
        ownsRoutine(catalog, ctx, f.oid)))),
    fixedView(13334, schema, "parameters", `specific_catalog:n specific_schema:n
      specific_name:n ordinal_position:i parameter_mode:s is_result:y as_locator:y
      parameter_name:n data_type:s character_maximum_length:i character_octet_length:i
      character_set_catalog:n character_set_schema:n character_set_name:n
      collation_catalog:n collation_schema:n collation_name:n numeric_precision:i
      numeric_precision_radix:i numeric_scale:i datetime_precision:i interval_type:s
      interval_precision:i udt_catalog:n udt_schema:n udt_name:n scope_catalog:n
      scope_schema:n scope_name:n maximum_cardinality:i dtd_identifier:n
      parameter_default:s`, (ctx) => parameterRows(catalog, ctx)),
    fixedView(13440, schema, "triggers", `trigger_catalog:n trigger_schema:n trigger_name:n
      event_manipulation:s event_object_catalog:n event_object_schema:n
      event_object_table:n action_order:i action_condition:s action_statement:s
      action_orientation:s action_timing:s action_reference_old_table:n
      action_reference_new_table:n action_reference_old_row:n action_reference_new_row:n
      created:T2`, (ctx) => triggerRowsOf(catalog, ctx)),
  ];
}
