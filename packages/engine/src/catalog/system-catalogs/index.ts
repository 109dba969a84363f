/**
 * pg_catalog and information_schema as psql 15 and drivers read them. `installSystemCatalogs`
 * adds the relations (rows computed at scan time from the catalog), registers the catalog
 * functions and installs the reg* type resolvers. See README.md for the files.
 */
import { infoDomains } from "./domain-rows.js";
import type { Catalog } from "../catalog.js";
import { addSystemRelation } from "../system-relations.js";
import { registerCatalogFunctions } from "./catalog-functions.js";
import { infoColumns } from "./information-schema-columns.js";
import { infoKeyColumnUsage, infoSchemata, infoTableConstraints, infoTables }
  from "./information-schema.js";
import { infoCheckConstraints, infoConstraintColumnUsage, infoConstraintTableUsage,
  infoReferentialConstraints } from "./information-schema-constraints.js";
import { infoSequences, infoViews } from "./information-schema-views.js";
import { SysOid } from "./oids.js";
import { pgAm, pgAttribute, pgClass, pgIndex } from "./pg-class.js";
import { pgAttrdef, pgConstraint } from "./pg-constraint.js";
import { emptyCatalogs, extensionCatalog, fixedCatalogs, triggerCatalog } from "./pg-misc.js";
import { pgProc } from "./pg-proc.js";
import { pgEnum } from "./pg-enum.js";
import { pgOperator } from "./pg-operator.js";
import { pgRange } from "./range-type-rows.js";
import { pgProcWithSqlFunctions } from "./pg-proc-sql.js";
import { pgPreparedStatements } from "./pg-prepared-statements.js";
import { pgAuthMembers, pgAuthid, pgDatabase, pgRoles, pgSettings, pgStatActivity, pgUser }
  from "./pg-roles.js";
import { pgDepend, pgIndexes, pgMatviews, pgSequence, pgSequences, pgTables, pgViews }
  from "./pg-views.js";
import { installRegResolvers } from "./reg-resolvers.js";

import { partitionCatalogs } from "../../partition/catalogs.js";
import { descriptionCatalogs } from "./pg-description.js";
import { pgDumpCatalogs, registerDumpFunctions } from "./pg-dump-support.js";
import { textSearchCatalogs } from "./text-search-catalogs.js";
import { monitoringReplaces, monitoringViews } from "./monitoring-views.js";
export { setLoginRoles } from "./pg-roles.js";
export { setActivitySource, type ActivitySource } from "./pg-stat-activity.js";
export { setTransportSource, setWalSource, type SessionTransport } from "./stat-views.js";

/** Empty stand-ins that other modules fill. */
const replaced = new Set(["pg_matviews", "pg_enum", "pg_inherits", "pg_partitioned_table",
  "pg_description", "pg_shdescription", "pg_rewrite", "pg_operator", "pg_range",
  ...monitoringReplaces]);

/** Adds every system catalog to `catalog`; the engine calls it once at start-up. */
export function installSystemCatalogs(catalog: Catalog): void {
  if (!catalog.schemaExists("information_schema")) {
    catalog.createSchema("information_schema", SysOid.informationSchema);
  }
  // Empty, but every Postgres has it: psql's schema completion (`\dn <TAB>`) lists it.
  if (!catalog.schemaExists("pg_toast")) catalog.createSchema("pg_toast", SysOid.pgToast);
  const defs = [pgClass(catalog), pgAttribute(catalog), pgIndex(catalog), pgAm,
    pgConstraint(catalog), pgAttrdef(catalog), pgProcWithSqlFunctions(catalog, pgProc),
    pgAuthid(catalog), pgRoles(catalog), pgUser(catalog),
    pgAuthMembers(catalog), pgDatabase(catalog), pgSettings, pgStatActivity(catalog),
    pgTables(catalog),
    pgIndexes(catalog), pgViews(catalog), pgMatviews(catalog), pgSequence(catalog),
    pgSequences(catalog), pgDepend(catalog), pgPreparedStatements,
    ...emptyCatalogs.filter((d) => !replaced.has(d.name)), pgEnum(catalog),
    ...fixedCatalogs.filter((d) => !replaced.has(d.name)),
    triggerCatalog(catalog), extensionCatalog(catalog), pgOperator, pgRange(catalog),
    ...partitionCatalogs(catalog), ...descriptionCatalogs(catalog), ...pgDumpCatalogs(catalog),
    ...textSearchCatalogs,
    infoTables(catalog), infoColumns(catalog),
    infoTableConstraints(catalog), infoKeyColumnUsage(catalog), infoSchemata(catalog),
    infoCheckConstraints(catalog), infoReferentialConstraints(catalog),
    infoConstraintColumnUsage(catalog), infoConstraintTableUsage(catalog), infoViews(catalog),
    infoSequences(catalog), infoDomains(catalog), ...monitoringViews(catalog)];
  for (const def of defs) addSystemRelation(catalog, def);
  registerCatalogFunctions(catalog);
  registerDumpFunctions(catalog);
  installRegResolvers(catalog);
}
