/**
 * information_schema's privilege views, from the ACLs `../privileges.ts` and
 * `../column-privileges.ts` keep: table_privileges and role_table_grants (one row per
 * grantor, grantee, table and privilege, the owner's implicit grants included, as aclexplode
 * shows them), column_privileges (table grants of INSERT, SELECT, UPDATE and REFERENCES
 * apply to every column, plus column grants), usage_privileges (USAGE on the collations and
 * domains to PUBLIC and on sequences), enabled_roles (the roles whose privileges the current
 * user holds: all of them for a superuser) and applicable_roles (role memberships).
 *
 * A privilege is grantable when granted WITH GRANT OPTION or when the grantee holds the
 * object owner's privileges. As PostgreSQL's views, a row shows only when the current user
 * holds the privileges of its grantor or grantee, or the grantee is PUBLIC; the role_*
 * views keep the rows whose grantor or grantee is an enabled role (`information-schema-
 * grants.ts` has those). PostgreSQL also lists its own catalogs in pg_catalog and
 * information_schema in these views; Tessera's are computed relations without ACLs, so only
 * the database's own tables, views, sequences, domains and collations appear.
 */
import type { Row } from "@tessera/sql";
import type { StatementContext } from "../../api.js";
import type { Catalog } from "../catalog.js";
import { columnAcl } from "../column-privileges.js";
import { effectiveAcl, ownerOf, type AclItem } from "../privileges.js";
import type { Relation } from "../relation.js";
import { domainsOf } from "../domains.js";
import { allMemberships, allRoles, bootstrapSuperuserOid, hasPrivilegesOf, roleByOid }
  from "../roles.js";
import { viewerOf } from "./information-schema-visibility.js";
import { userRelations } from "./information-schema.js";
import { fixedView } from "./view-columns.js";

const schema = "information_schema";

const privilegeNames: Readonly<Record<string, string>> = {
  a: "INSERT", r: "SELECT", w: "UPDATE", d: "DELETE", D: "TRUNCATE", x: "REFERENCES",
  t: "TRIGGER", U: "USAGE",
};

export const roleText = (catalog: Catalog, oid: number): string =>
  oid === 0 ? "PUBLIC" : roleByOid(catalog, oid)?.name ?? String(oid);

export interface Grant {
  readonly grantorOid: number;
  readonly granteeOid: number;
  readonly grantor: string;
  readonly grantee: string;
  readonly letter: string;
  readonly grantable: boolean;
}

/**
 * Each privilege of `acl` as a grant, less those the current user may not see (PostgreSQL's
 * `pg_has_role(grantor) OR pg_has_role(grantee) OR grantee = 'PUBLIC'`). A grant is
 * grantable with its grant option, or when its grantee holds the owner's privileges.
 */
export function grantsOf(catalog: Catalog, ctx: StatementContext, acl: readonly AclItem[],
  owner: number): Grant[] {
  const viewer = currentRoleOid(catalog, ctx);
  return acl.flatMap((item) => [...item.privs].map((letter): Grant => ({
    grantorOid: item.grantor, granteeOid: item.grantee,
    grantor: roleText(catalog, item.grantor), grantee: roleText(catalog, item.grantee),
    letter, grantable: item.options.includes(letter) ||
      (item.grantee !== 0 && hasPrivilegesOf(catalog, item.grantee, owner)) })))
    .filter((g) => g.granteeOid === 0 || hasPrivilegesOf(catalog, viewer, g.grantorOid) ||
      hasPrivilegesOf(catalog, viewer, g.granteeOid));
}

/** The current user's role OID (`information-schema-visibility.ts` says which). */
export function currentRoleOid(catalog: Catalog, ctx: StatementContext): number {
  return viewerOf(catalog, ctx);
}

/** The roles enabled_roles lists: those whose privileges the current user holds. */
export function enabledRoleOids(catalog: Catalog, ctx: StatementContext): Set<number> {
  const viewer = currentRoleOid(catalog, ctx);
  return new Set(allRoles(catalog).filter((r) => hasPrivilegesOf(catalog, viewer, r.oid))
    .map((r) => r.oid));
}

const tableKinds = new Set(["r", "v", "m", "p", "f"]);

function tables(catalog: Catalog): Relation[] {
  return userRelations(catalog).filter((r) => tableKinds.has(r.kind));
}

/** table_privileges; with `enabled`, role_table_grants (grantor or grantee enabled). */
function tablePrivilegeRows(catalog: Catalog, ctx: StatementContext,
  enabled?: ReadonlySet<number>): Row[] {
  return tables(catalog).flatMap((r) => {
    const owner = ownerOf(catalog, "table", r.oid);
    return grantsOf(catalog, ctx, effectiveAcl(catalog, "table", r.oid), owner)
      .filter((g) => enabled === undefined || enabled.has(g.grantorOid) ||
        enabled.has(g.granteeOid)).map((g): Row =>
      [g.grantor, g.grantee, ctx.database, r.schema, r.name, privilegeNames[g.letter] ?? "",
        g.grantable ? "YES" : "NO", g.letter === "r" ? "YES" : "NO"]);
  });
}

/** column_privileges; with `enabled`, role_column_grants (grantor or grantee enabled). */
export function columnPrivilegeRows(catalog: Catalog, ctx: StatementContext,
  enabled?: ReadonlySet<number>): Row[] {
  const rows = new Map<string, Row>();
  const shown = (g: Grant): boolean => enabled === undefined || enabled.has(g.grantorOid) ||
    enabled.has(g.granteeOid);
  for (const r of tables(catalog)) {
    const owner = ownerOf(catalog, "table", r.oid);
    const tableGrants = grantsOf(catalog, ctx, effectiveAcl(catalog, "table", r.oid), owner)
      .filter((g) => "arwx".includes(g.letter) && shown(g));
    r.columns.forEach((c, i) => {
      if (c.dropped) return;
      const own = grantsOf(catalog, ctx, columnAcl(catalog, r.oid, i + 1) ?? [], owner)
        .filter(shown);
      for (const g of [...tableGrants, ...own]) {
        const key = [g.grantor, g.grantee, r.oid, c.name, g.letter].join("\0");
        const prior = rows.get(key);
        if (prior !== undefined && prior[7] === "YES") continue;
        rows.set(key, [g.grantor, g.grantee, ctx.database, r.schema, r.name, c.name,
          privilegeNames[g.letter] ?? "", g.grantable ? "YES" : "NO"]);
      }
    });
  }
  return [...rows.values()];
}

/**
 * usage_privileges; with `enabled`, role_usage_grants (grantor or grantee enabled). A
 * domain keeps its default ACL (USAGE to PUBLIC and to its owner, the bootstrap superuser).
 */
export function usagePrivilegeRows(catalog: Catalog, ctx: StatementContext,
  enabled?: ReadonlySet<number>): Row[] {
  const superuser = bootstrapSuperuserOid;
  const publicUsage = [{ grantee: 0, grantor: superuser, privs: "U", options: "" },
    { grantee: superuser, grantor: superuser, privs: "U", options: "" }];
  const collations = ["default", "C", "POSIX"].flatMap((name) =>
    grantsOf(catalog, ctx, publicUsage.slice(0, 1), superuser).map((g) =>
      ({ g, schema: "pg_catalog", name, type: "COLLATION" })));
  const domains = [...domainsOf(catalog).values()].flatMap((d) =>
    grantsOf(catalog, ctx, publicUsage, superuser).map((g) =>
      ({ g, schema: d.schema, name: d.name, type: "DOMAIN" })));
  const sequences = [...catalog.allSequences()].flatMap((r) => {
    const owner = ownerOf(catalog, "sequence", r.oid);
    return grantsOf(catalog, ctx, effectiveAcl(catalog, "sequence", r.oid), owner)
      .filter((g) => g.letter === "U").map((g) =>
        ({ g, schema: r.schema, name: r.name, type: "SEQUENCE" }));
  });
  return [...collations, ...domains, ...sequences]
    .filter(({ g }) => enabled === undefined || enabled.has(g.grantorOid) ||
      enabled.has(g.granteeOid))
    .map(({ g, schema, name, type }): Row => [g.grantor, g.grantee, ctx.database, schema,
      name, type, "USAGE", g.grantable ? "YES" : "NO"]);
}

export const grantColumns = `grantor:n grantee:n table_catalog:n table_schema:n table_name:n
  privilege_type:s is_grantable:y with_hierarchy:y`;

/**
 * applicable_roles: the memberships of the roles whose privileges the current user holds;
 * with `adminOnly`, administrable_role_authorizations (those held WITH ADMIN OPTION).
 */
function applicableRoleRows(catalog: Catalog, ctx: StatementContext, adminOnly: boolean):
  Row[] {
  const enabled = enabledRoleOids(catalog, ctx);
  return allMemberships(catalog).filter((m) => enabled.has(m.member) &&
    (!adminOnly || m.admin)).map((m): Row => [roleText(catalog, m.member),
    roleText(catalog, m.roleid), m.admin ? "YES" : "NO"]);
}

/** table_privileges, role_table_grants, column_privileges, usage_privileges, roles. */
export function privilegeViews(catalog: Catalog): ReturnType<typeof fixedView>[] {
  return [
    fixedView(13416, schema, "table_privileges", grantColumns,
      (ctx) => tablePrivilegeRows(catalog, ctx)),
    fixedView(13421, schema, "role_table_grants", grantColumns,
      (ctx) => tablePrivilegeRows(catalog, ctx, enabledRoleOids(catalog, ctx))),
    fixedView(13285, schema, "column_privileges", `grantor:n grantee:n table_catalog:n
      table_schema:n table_name:n column_name:n privilege_type:s is_grantable:y`,
    (ctx) => columnPrivilegeRows(catalog, ctx)),
    fixedView(13454, schema, "usage_privileges", `grantor:n grantee:n object_catalog:n
      object_schema:n object_name:n object_type:s privilege_type:s is_grantable:y`,
    (ctx) => usagePrivilegeRows(catalog, ctx)),
    fixedView(13325, schema, "enabled_roles", "role_name:n", (ctx) => {
      const enabled = enabledRoleOids(catalog, ctx);
      return allRoles(catalog).filter((r) => enabled.has(r.oid)).map((r): Row => [r.name]);
    }),
    fixedView(13236, schema, "applicable_roles", "grantee:n role_name:n is_grantable:y",
      (ctx) => applicableRoleRows(catalog, ctx, false)),
    fixedView(13241, schema, "administrable_role_authorizations",
      "grantee:n role_name:n is_grantable:y", (ctx) => applicableRoleRows(catalog, ctx, true)),
  ];
}
