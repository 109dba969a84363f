/**
 * information_schema views that have no rows in Tessera, with PostgreSQL 15's columns so
 * tools that read them get an empty answer instead of 42P01:
 *
 * - SQL/MED: foreign data wrappers, servers, foreign tables, user mappings and their
 *   options, and the `_pg_*` helper views under them. Tessera has no foreign data wrappers.
 * - transforms: Tessera has no CREATE TRANSFORM.
 * - routine_column_usage, routine_routine_usage, routine_sequence_usage and
 *   routine_table_usage: PostgreSQL fills them from the dependencies of functions with a
 *   SQL-standard body (BEGIN ATOMIC or RETURN); Tessera does not record those dependencies.
 */
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

const routineHead = `specific_catalog:n specific_schema:n specific_name:n routine_catalog:n
  routine_schema:n routine_name:n`;

/** name, OID and column list of each empty view. */
const emptyViews: readonly (readonly [string, number, string])[] = [
  ["_pg_foreign_data_wrappers", 13507, `oid:o fdwowner:o fdwoptions:t[]
    foreign_data_wrapper_catalog:n foreign_data_wrapper_name:n authorization_identifier:n
    foreign_data_wrapper_language:s`],
  ["_pg_foreign_servers", 13519, `oid:o srvoptions:t[] foreign_server_catalog:n
    foreign_server_name:n foreign_data_wrapper_catalog:n foreign_data_wrapper_name:n
    foreign_server_type:s foreign_server_version:s authorization_identifier:n`],
  ["_pg_foreign_table_columns", 13498, "nspname:n relname:n attname:n attfdwoptions:t[]"],
  ["_pg_foreign_tables", 13532, `foreign_table_catalog:n foreign_table_schema:n
    foreign_table_name:n ftoptions:t[] foreign_server_catalog:n foreign_server_name:n
    authorization_identifier:n`],
  ["_pg_user_mappings", 13545, `oid:o umoptions:t[] umuser:o authorization_identifier:n
    foreign_server_catalog:n foreign_server_name:n srvowner:n`],
  ["column_options", 13503, `table_catalog:n table_schema:n table_name:n column_name:n
    option_name:n option_value:s`],
  ["foreign_data_wrapper_options", 13511, `foreign_data_wrapper_catalog:n
    foreign_data_wrapper_name:n option_name:n option_value:s`],
  ["foreign_data_wrappers", 13515, `foreign_data_wrapper_catalog:n
    foreign_data_wrapper_name:n authorization_identifier:n library_name:s
    foreign_data_wrapper_language:s`],
  ["foreign_server_options", 13524, `foreign_server_catalog:n foreign_server_name:n
    option_name:n option_value:s`],
  ["foreign_servers", 13528, `foreign_server_catalog:n foreign_server_name:n
    foreign_data_wrapper_catalog:n foreign_data_wrapper_name:n foreign_server_type:s
    foreign_server_version:s authorization_identifier:n`],
  ["foreign_table_options", 13537, `foreign_table_catalog:n foreign_table_schema:n
    foreign_table_name:n option_name:n option_value:s`],
  ["foreign_tables", 13541, `foreign_table_catalog:n foreign_table_schema:n
    foreign_table_name:n foreign_server_catalog:n foreign_server_name:n`],
  ["user_mapping_options", 13550, `authorization_identifier:n foreign_server_catalog:n
    foreign_server_name:n option_name:n option_value:s`],
  ["user_mappings", 13555, `authorization_identifier:n foreign_server_catalog:n
    foreign_server_name:n`],
  ["transforms", 13430, `udt_catalog:n udt_schema:n udt_name:n specific_catalog:n
    specific_schema:n specific_name:n group_name:n transform_type:s`],
  ["routine_column_usage", 13348, `${routineHead} table_catalog:n table_schema:n
    table_name:n column_name:n`],
  ["routine_routine_usage", 13362, routineHead],
  ["routine_sequence_usage", 13367, `${routineHead} sequence_catalog:n sequence_schema:n
    sequence_name:n`],
  ["routine_table_usage", 13372, `${routineHead} table_catalog:n table_schema:n
    table_name:n`],
];

/** The empty views. */
export function emptyInformationViews(): ReturnType<typeof fixedView>[] {
  return emptyViews.map(([name, oid, spec]) => fixedView(oid, schema, name, spec));
}
