/**
 * information_schema's grants on routines and types, and the role_* views: routine_privileges
 * (EXECUTE on the database's functions and procedures, from their ACLs, PUBLIC's default
 * grant included), udt_privileges (TYPE USAGE on every composite type: stand-alone ones and
 * the row types of tables, views and materialized views, each with its default ACL since
 * Tessera has no GRANT on types), and role_column_grants, role_routine_grants,
 * role_udt_grants and role_usage_grants: the rows of their privilege view whose grantor or
 * grantee is an enabled role (`information-schema-privileges.ts`).
 *
 * specific_name is `name_oid` as PostgreSQL's nameconcatoid makes it. PostgreSQL also lists
 * its ~3,000 built-in functions and its catalogs' row types here; Tessera's are not stored
 * with ACLs, so only the database's own objects appear.
 */
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { compositeTypesOf } from "../composite-types.js";
import { effectiveAcl, ownerOf } from "../privileges.js";
import { bootstrapSuperuserOid } from "../roles.js";
import { allSqlFunctions } from "../sql-functions.js";
import { isSystemRelation } from "./oids.js";
import { columnPrivilegeRows, enabledRoleOids, grantsOf, usagePrivilegeRows, type Grant }
  from "./information-schema-privileges.js";
import { specificName } from "./information-schema-routines.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

const enabledFilter = (enabled: ReadonlySet<number> | undefined) => (g: Grant): boolean =>
  enabled === undefined || enabled.has(g.grantorOid) || enabled.has(g.granteeOid);

/** routine_privileges; with `enabled`, role_routine_grants. */
function routinePrivilegeRows(catalog: Catalog, ctx: StatementContext,
  enabled?: ReadonlySet<number>): Row[] {
  const db = ctx.database;
  return allSqlFunctions(catalog).flatMap((f) => {
    const owner = ownerOf(catalog, "function", f.oid);
    return grantsOf(catalog, ctx, effectiveAcl(catalog, "function", f.oid), owner)
      .filter((g) => g.letter === "X").filter(enabledFilter(enabled)).map((g): Row =>
        [g.grantor, g.grantee, db, f.schema, specificName(f), db, f.schema, f.name,
          "EXECUTE", g.grantable ? "YES" : "NO"]);
  });
}

const rowTypeKinds = new Set(["r", "p", "v", "m", "f"]);

/** The composite types with their owners: stand-alone types and relations' row types. */
function compositeTypes(catalog: Catalog): { schema: string; name: string; owner: number }[] {
  const standAlone = [...compositeTypesOf(catalog).values()].map((t) =>
    ({ schema: t.schema, name: t.name, owner: bootstrapSuperuserOid }));
  const rowTypes = [...catalog.allRelations()].filter((r) => rowTypeKinds.has(r.kind) &&
    !isSystemRelation(r)).map((r) =>
    ({ schema: r.schema, name: r.name, owner: ownerOf(catalog, "table", r.oid) }));
  return [...standAlone, ...rowTypes];
}

/** udt_privileges; with `enabled`, role_udt_grants. */
function udtPrivilegeRows(catalog: Catalog, ctx: StatementContext,
  enabled?: ReadonlySet<number>): Row[] {
  return compositeTypes(catalog).flatMap((t) => {
    const acl = [{ grantee: 0, grantor: t.owner, privs: "U", options: "" },
      { grantee: t.owner, grantor: t.owner, privs: "U", options: "" }];
    return grantsOf(catalog, ctx, acl, t.owner).filter(enabledFilter(enabled)).map((g): Row =>
      [g.grantor, g.grantee, ctx.database, t.schema, t.name, "TYPE USAGE",
        g.grantable ? "YES" : "NO"]);
  });
}

const routineGrantColumns = `grantor:n grantee:n specific_catalog:n specific_schema:n
  specific_name:n routine_catalog:n routine_schema:n routine_name:n privilege_type:s
  is_grantable:y`;
const udtGrantColumns = `grantor:n grantee:n udt_catalog:n udt_schema:n udt_name:n
  privilege_type:s is_grantable:y`;

/** routine and udt privileges, and the role_* views over column, routine, udt and usage. */
export function grantViews(catalog: Catalog): ReturnType<typeof fixedView>[] {
  const enabled = (ctx: StatementContext): Set<number> => enabledRoleOids(catalog, ctx);
  return [
    fixedView(13353, schema, "routine_privileges", routineGrantColumns,
      (ctx) => routinePrivilegeRows(catalog, ctx)),
    fixedView(13358, schema, "role_routine_grants", routineGrantColumns,
      (ctx) => routinePrivilegeRows(catalog, ctx, enabled(ctx))),
    fixedView(13445, schema, "udt_privileges", udtGrantColumns,
      (ctx) => udtPrivilegeRows(catalog, ctx)),
    fixedView(13450, schema, "role_udt_grants", udtGrantColumns,
      (ctx) => udtPrivilegeRows(catalog, ctx, enabled(ctx))),
    fixedView(13344, schema, "role_column_grants", `grantor:n grantee:n table_catalog:n
      table_schema:n table_name:n column_name:n privilege_type:s is_grantable:y`,
    (ctx) => columnPrivilegeRows(catalog, ctx, enabled(ctx))),
    fixedView(13459, schema, "role_usage_grants", `grantor:n grantee:n object_catalog:n
      object_schema:n object_name:n object_type:s privilege_type:s is_grantable:y`,
    (ctx) => usagePrivilegeRows(catalog, ctx, enabled(ctx))),
  ];
}
