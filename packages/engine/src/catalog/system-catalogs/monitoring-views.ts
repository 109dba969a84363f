/**
 * The catalog views tools, ORMs and monitoring read beyond psql's: information_schema's
 * routines, privileges and grants, types, uses, empty SQL/MED views and sql_* tables, and
 * pg_catalog's statistics, role, extension,
 * time zone and server views. Each module says what its rows come from and what is zero,
 * NULL or empty because Tessera does not keep it.
 */
import type { Catalog } from "../catalog.js";
import type { SystemRelationDef } from "../system-relations.js";
import { emptyInformationViews } from "./information-schema-foreign.js";
import { grantViews } from "./information-schema-grants.js";
import { privilegeViews } from "./information-schema-privileges.js";
import { routineViews } from "./information-schema-routines.js";
import { typeViews } from "./information-schema-types.js";
import { usageViews } from "./information-schema-usage.js";
import { serverViews } from "./server-views.js";
import { sqlTables } from "./sql-tables.js";
import { statViews } from "./stat-views.js";
import { timezoneViews } from "./timezone-views.js";

/** Names of `pg-misc.ts`'s empty stand-ins these views replace. */
export const monitoringReplaces: readonly string[] =
  ["pg_stat_user_tables", "pg_stat_replication", "pg_stats"];

/** Every view of the monitoring modules. */
export function monitoringViews(catalog: Catalog): SystemRelationDef[] {
  return [...routineViews(catalog), ...privilegeViews(catalog), ...typeViews(catalog),
    ...grantViews(catalog), ...usageViews(catalog), ...emptyInformationViews(),
    ...sqlTables(), ...statViews(catalog), ...serverViews(catalog), ...timezoneViews];
}
